package io.openiot.sink.ingest;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How records from {@code iot.sink-records} are written.
 *
 * @param retryBackoff    pause before the first retry of a batch the database did not take; doubled for each further one
 * @param retryMaxBackoff longest pause between two retries (the consumer keeps polling while it waits, so any value
 *                        keeps it in its group)
 * @param retryMaxElapsed how long to keep retrying a batch before its records go to the dead-letter topic; unset (the
 *                        default) retries until the database takes them
 * @param summaryInterval least time between two INFO summaries of what was stored
 * @param maxItemBytes    largest item (as JSON text) that is stored; a larger one is malformed
 */
@Validated
@ConfigurationProperties("iot.sink.ingest")
record IngestProperties(
        @DefaultValue("200ms") @NotNull Duration retryBackoff,
        @DefaultValue("10s") @NotNull Duration retryMaxBackoff,
        Duration retryMaxElapsed,
        @DefaultValue("10s") @NotNull Duration summaryInterval,
        @DefaultValue("409600") @Min(1) int maxItemBytes) {

    @AssertTrue(message = "retry-backoff must be positive and at most retry-max-backoff")
    boolean isBackoffConsistent() {
        // null values are reported by @NotNull
        return retryBackoff == null || retryMaxBackoff == null
                || !retryBackoff.isNegative() && !retryBackoff.isZero() && retryBackoff.compareTo(retryMaxBackoff) <= 0;
    }

    /** Whether a batch is retried until it is written, never dead-lettered for the database's sake. */
    boolean retriesForever() {
        return retryMaxElapsed == null || retryMaxElapsed.isZero();
    }
}
