package io.openiot.rules.deadletter;

import io.openiot.web.problem.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Replays the rules dead-letter topic once the cause of the failures is fixed. */
@RestController
@Tag(name = "Dead letters", description = "Records whose rule actions failed permanently and had no error action "
        + "that took them: replay them after fixing the cause")
class DeadLetterController {

    static final int MAX_LIMIT = 10_000;
    private static final Pattern RULE_NAME = Pattern.compile("^[a-zA-Z0-9_]{1,128}$");

    private final DeadLetterReplayer replayer;

    DeadLetterController(DeadLetterReplayer replayer) {
        this.replayer = replayer;
    }

    @PostMapping("/dead-letters/replay")
    @Operation(summary = "Replay dead-lettered records through their rule",
            description = "Reads iot.messages.rules-service.dlq from its start to its current end and runs, for each "
                    + "record not replayed before, the rule named in its iot_dlq_rule header again on the original "
                    + "message. Outputs keep their derived ids, so what had succeeded before is de-duplicated "
                    + "downstream. Idempotent: a record is replayed once; records whose rule is missing or whose "
                    + "outputs Kafka did not take are left for a later replay.")
    @ApiResponse(responseCode = "200", description = "What the replay did")
    @ApiResponse(responseCode = "400", description = "InvalidRequestException (ruleName or limit)", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    ReplayReport replay(
            @Parameter(description = "only records of this rule; all when absent")
            @RequestParam(required = false) String ruleName,
            @Parameter(description = "at most this many records, 1-10000, default 1000")
            @RequestParam(required = false) Integer limit) {
        if (ruleName != null && !RULE_NAME.matcher(ruleName).matches()) {
            throw new InvalidReplayRequestException("ruleName must be 1-128 characters matching ^[a-zA-Z0-9_]+$");
        }
        int max = limit == null ? 1_000 : limit;
        if (max < 1 || max > MAX_LIMIT) {
            throw new InvalidReplayRequestException("limit must be between 1 and " + MAX_LIMIT);
        }
        return replayer.replay(ruleName, max);
    }

    static final class InvalidReplayRequestException extends ApiException {
        InvalidReplayRequestException(String message) {
            super(HttpStatus.BAD_REQUEST, "InvalidRequestException", message);
        }
    }
}
