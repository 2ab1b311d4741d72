package io.openiot.sink.deadletter;

import io.swagger.v3.oas.annotations.media.Schema;

/** How many dead letters wait for a replay. */
@Schema(description = "Dead letters of the sink")
record DeadLetterSummary(
        @Schema(description = "the dead-letter topic") String topic,
        @Schema(description = "dead letters not replayed yet") long pending) {
}
