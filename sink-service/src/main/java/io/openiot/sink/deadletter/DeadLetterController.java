package io.openiot.sink.deadletter;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Dead letters", description = "Sink records that were not stored, and how to bring them back")
class DeadLetterController {

    private final DeadLetterReplayer replayer;
    private final DeadLetterProperties properties;

    DeadLetterController(DeadLetterReplayer replayer, DeadLetterProperties properties) {
        this.replayer = replayer;
        this.properties = properties;
    }

    @GetMapping(path = "/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Count dead letters", description = "Records on the sink's dead-letter topic that no replay "
            + "has moved back yet. Each carries its reason in the header x-exception-message and where it came from "
            + "in x-original-topic, x-original-partition and x-original-offset.")
    @ApiResponse(responseCode = "200", description = "The count")
    @ApiResponse(responseCode = "503", description = "ServiceUnavailableException: Kafka did not answer",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    DeadLetterSummary summary() {
        return replayer.summary();
    }

    @PostMapping(path = "/dead-letters/replay", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Replay dead letters", description = "Puts up to limit dead letters, oldest first, back onto "
            + "the sink's input topic (iot.sink-records), once the cause that sent them there is fixed. Safe to "
            + "repeat: the sink stores a record once per table and sourceMessageId, so a record replayed twice or "
            + "already stored is skipped. A record that is still bad goes back to the dead-letter topic and waits "
            + "for a later request.")
    @ApiResponse(responseCode = "200", description = "How many were replayed and how many are left")
    @ApiResponse(responseCode = "400", description = "InvalidRequestException: limit out of range",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = "ServiceUnavailableException: Kafka did not answer; nothing "
            + "was committed, repeat the request",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    ReplayResult replay(@RequestParam(required = false) @Parameter(description = "most records to replay; default "
            + "and largest: iot.sink.dead-letters.max-replay") Integer limit) {
        int max = properties.maxReplay();
        if (limit != null && (limit < 1 || limit > max)) {
            throw new InvalidLimitException(max);
        }
        return replayer.replay(limit == null ? max : limit);
    }
}
