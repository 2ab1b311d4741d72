package io.openiot.sink.ingest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How records from {@code iot.sink-records} are written.
 *
 * @param writeAttempts   attempts to write one poll's batch before it goes to the dead-letter topic as a whole
 * @param retryBackoff    pause before the second attempt; doubled for each further one
 * @param summaryInterval least time between two INFO summaries of what was stored
 * @param maxItemBytes    largest item (as JSON text) that is stored; a larger one is malformed
 */
@Validated
@ConfigurationProperties("iot.sink.ingest")
record IngestProperties(
        @DefaultValue("3") @Min(1) @Max(10) int writeAttempts,
        @DefaultValue("200ms") @NotNull Duration retryBackoff,
        @DefaultValue("10s") @NotNull Duration summaryInterval,
        @DefaultValue("409600") @Min(1) int maxItemBytes) {
}
