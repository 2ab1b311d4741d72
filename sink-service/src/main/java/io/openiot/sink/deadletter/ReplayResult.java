package io.openiot.sink.deadletter;

import io.swagger.v3.oas.annotations.media.Schema;

/** What a replay moved, and what is left on the dead-letter topic after it. */
@Schema(description = "Outcome of a replay")
record ReplayResult(
        @Schema(description = "records put back onto the sink's input topic") long replayed,
        @Schema(description = "dead letters not replayed yet") long remaining) {
}
