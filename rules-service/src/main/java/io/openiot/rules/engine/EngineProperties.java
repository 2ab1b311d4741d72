package io.openiot.rules.engine;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the engine runs rules.
 *
 * @param maxHopCount     a message that has been republished this many times is not evaluated any more (loop guard)
 * @param refreshInterval how often the rules' fingerprint is compared with the database's (a reload
 *                        only when it changed), so that replicas converge
 * @param actionTimeout   how long a batch waits for Kafka to take its actions' records; beyond the producer's own
 *                        delivery timeout, so that it only bounds a stuck producer
 * @param summaryInterval how often, at most, the engine logs a progress summary at INFO
 */
@Validated
@ConfigurationProperties("iot.rules")
record EngineProperties(
        @DefaultValue("8") @Min(1) @Max(1000) int maxHopCount,
        @DefaultValue("1s") @NotNull Duration refreshInterval,
        @DefaultValue("35s") @NotNull Duration actionTimeout,
        @DefaultValue("10s") @NotNull Duration summaryInterval) {
}
