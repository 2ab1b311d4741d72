package io.openiot.shadow.store;

import io.openiot.shadow.document.ShadowLimits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the shadow service ({@code iot.shadow.*}).
 *
 * @param maxStateBytes      UTF-8 size of a shadow's desired and reported state, metadata not counted (AWS: 8 KB)
 * @param maxDepth           levels of nesting inside desired or reported (AWS: 6)
 * @param history            how long the versions of a shadow are kept
 * @param requestRetention   how long the ids of applied MQTT requests are kept to recognise a redelivery
 * @param outboxRelayInterval how often messages that a crash left in the outbox are sent
 */
@Validated
@ConfigurationProperties("iot.shadow")
public record ShadowProperties(
        @DefaultValue("8192") @Min(1) @Max(1_048_576) int maxStateBytes,
        @DefaultValue("6") @Min(1) @Max(64) int maxDepth,
        @Valid @NotNull @DefaultValue History history,
        @NotNull @DefaultValue("7d") Duration requestRetention,
        @NotNull @DefaultValue("5s") Duration outboxRelayInterval) {

    /**
     * Retention of shadow versions. The current version is always readable from the shadow itself.
     *
     * @param maxVersions     versions kept per shadow, newest first
     * @param maxAge          versions older than this are removed
     * @param cleanupInterval how often the background cleanup runs
     */
    public record History(
            @DefaultValue("1000") @Min(1) int maxVersions,
            @NotNull @DefaultValue("30d") Duration maxAge,
            @NotNull @DefaultValue("1m") Duration cleanupInterval) {
    }

    public ShadowLimits limits() {
        return new ShadowLimits(maxStateBytes, maxDepth, 64);
    }
}
