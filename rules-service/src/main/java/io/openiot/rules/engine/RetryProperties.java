package io.openiot.rules.engine;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a batch whose actions failed transiently (Kafka unavailable or timing out) is retried: its partitions' consumption
 * pauses and the batch runs again after an exponentially growing wait, repeating only the actions that did not succeed.
 *
 * @param initialInterval the first wait
 * @param multiplier      each wait is this many times the previous one
 * @param maxInterval     the longest wait
 * @param maxDuration     how long to keep retrying before the failing actions count as failed (error action, then the
 *                        dead-letter topic); unset (the default) retries until they succeed
 */
@Validated
@ConfigurationProperties("iot.rules.engine.retry")
record RetryProperties(
        @DefaultValue("500ms") @NotNull Duration initialInterval,
        @DefaultValue("2.0") @DecimalMin("1.0") double multiplier,
        @DefaultValue("30s") @NotNull Duration maxInterval,
        Duration maxDuration) {

    boolean retriesForever() {
        return maxDuration == null || maxDuration.isZero() || maxDuration.isNegative();
    }
}
