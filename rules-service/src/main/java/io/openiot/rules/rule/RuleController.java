package io.openiot.rules.rule;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * AWS IoT CreateTopicRule, GetTopicRule, ListTopicRules, ReplaceTopicRule, EnableTopicRule, DisableTopicRule and
 * DeleteTopicRule.
 */
@RestController
@Tag(name = "Rules", description = "Topic rules: AWS IoT SQL over the message bus and the actions it triggers")
class RuleController {

    private static final String PAYLOAD_EXAMPLE = """
            {"sql": "SELECT * FROM 'iot/ccar-ad/#' WHERE speed > 120",
             "description": "speeding cars",
             "actions": [
               {"republish": {"topic": "alerts/${topic(3)}", "qos": 1}},
               {"dynamoDB": {"tableName": "speeding", "hashKeyField": "car", "hashKeyValue": "${topic(3)}",
                             "rangeKeyField": "ts", "rangeKeyValue": "${timestamp()}"}}],
             "ruleDisabled": false}""";

    private static final String DRY_RUN_EXAMPLE = """
            {"topicRulePayload": {"sql": "SELECT speed, topic(3) AS car FROM 'iot/+/+' WHERE speed > 120",
                                  "actions": [{"republish": {"topic": "alerts/${topic(3)}"}}]},
             "topic": "iot/fleet/car1", "clientId": "car1", "payload": {"speed": 140}}""";

    private final RuleService rules;
    private final RuleDryRun dryRun;
    private final JsonMapper json;

    RuleController(RuleService rules, RuleDryRun dryRun, JsonMapper json) {
        this.rules = rules;
        this.dryRun = dryRun;
        this.json = json;
    }

    @PostMapping("/rules/test")
    @Operation(summary = "Test a rule on a sample message (dry run; beyond AWS)",
            description = "Body: ruleName (a stored rule) or topicRulePayload (inline), topic, clientId (optional), "
                    + "and payload (any JSON value) or payloadBase64 (raw bytes). Answers with topicMatched, the "
                    + "WHERE value (where, whereType), matched, and when matched the SELECT output (output, or "
                    + "outputBase64 when it is not JSON) and each action with its templates rendered (actions[]."
                    + "rendered). Nothing is sent. A body with none of ruleName, payload and payloadBase64 creates "
                    + "a rule named \"test\" instead, as CreateTopicRule would.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    examples = @ExampleObject(name = "inline", value = DRY_RUN_EXAMPLE))))
    @ApiResponse(responseCode = "200", description = "What the rule would do with the message")
    @ApiResponse(responseCode = "400", description = "InvalidRequestException or SqlParseException", content =
            @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "ResourceNotFoundException (ruleName)", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<?> test(@RequestBody(required = false) byte[] body) {
        JsonNode request = null;
        try {
            request = body == null || body.length == 0 ? null : json.readTree(body);
        } catch (JacksonException e) {
            // not JSON: CreateTopicRule reports it as it does for any rule name
        }
        if (RuleDryRun.isDryRun(request)) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(dryRun.run(request));
        }
        // a rule may be called "test": without the dry run's fields this is CreateTopicRule
        rules.create("test", body);
        return ResponseEntity.ok().build();
    }

    @PostMapping("/rules/{ruleName}")
    @Operation(summary = "Create a topic rule (CreateTopicRule)",
            description = "The body is the topicRulePayload, bare (as the AWS CLI sends it) or wrapped as "
                    + "{\"topicRulePayload\": {...}}. Without awsIotSqlVersion the rule uses 2016-03-23.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    examples = @ExampleObject(name = "speeding", value = PAYLOAD_EXAMPLE))))
    @ApiResponse(responseCode = "200", description = "Created")
    @ApiResponse(responseCode = "400", description = "InvalidRequestException (bad JSON, name or action) or "
            + "SqlParseException (with line and column)", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "ResourceAlreadyExistsException", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<Void> create(@PathVariable String ruleName, @RequestBody(required = false) byte[] body) {
        rules.create(ruleName, body);
        return ResponseEntity.ok().build();
    }

    @GetMapping("/rules/{ruleName}")
    @Operation(summary = "Get a topic rule (GetTopicRule)")
    @ApiResponse(responseCode = "200", description = "The rule and its ARN")
    @ApiResponse(responseCode = "404", description = "ResourceNotFoundException", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    RuleViews.GetTopicRuleResponse get(@PathVariable String ruleName) {
        return rules.get(ruleName);
    }

    @GetMapping("/rules")
    @Operation(summary = "List topic rules (ListTopicRules)", description = "In rule-name order; pass nextToken "
            + "from one page to get the next.")
    @ApiResponse(responseCode = "200", description = "One page of rules")
    @ApiResponse(responseCode = "400", description = "InvalidRequestException (maxResults or nextToken)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    RuleViews.ListTopicRulesResponse list(
            @Parameter(description = "1-10000, default 1000") @RequestParam(required = false) Integer maxResults,
            @Parameter(description = "from the previous page") @RequestParam(required = false) String nextToken,
            @Parameter(description = "only rules with exactly this topic filter") @RequestParam(required = false)
            String topic,
            @Parameter(description = "only disabled (true) or enabled (false) rules") @RequestParam(required = false)
            Boolean ruleDisabled) {
        return rules.list(maxResults, nextToken, topic, ruleDisabled);
    }

    @PatchMapping("/rules/{ruleName}")
    @Operation(summary = "Replace a topic rule (ReplaceTopicRule)",
            description = "The body is the new topicRulePayload, bare or wrapped as {\"topicRulePayload\": {...}}; "
                    + "everything but the name and creation time is replaced. Every replica runs the new rule "
                    + "within iot.rules.refresh-interval.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    examples = @ExampleObject(name = "speeding", value = PAYLOAD_EXAMPLE))))
    @ApiResponse(responseCode = "200", description = "Replaced")
    @ApiResponse(responseCode = "400", description = "InvalidRequestException or SqlParseException", content =
            @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "ResourceNotFoundException", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<Void> replace(@PathVariable String ruleName, @RequestBody(required = false) byte[] body) {
        rules.replace(ruleName, body);
        return ResponseEntity.ok().build();
    }

    @PostMapping("/rules/{ruleName}/enable")
    @Operation(summary = "Enable a topic rule (EnableTopicRule)")
    @ApiResponse(responseCode = "200", description = "Enabled")
    @ApiResponse(responseCode = "404", description = "ResourceNotFoundException", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<Void> enable(@PathVariable String ruleName) {
        rules.setDisabled(ruleName, false);
        return ResponseEntity.ok().build();
    }

    @PostMapping("/rules/{ruleName}/disable")
    @Operation(summary = "Disable a topic rule (DisableTopicRule)")
    @ApiResponse(responseCode = "200", description = "Disabled")
    @ApiResponse(responseCode = "404", description = "ResourceNotFoundException", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<Void> disable(@PathVariable String ruleName) {
        rules.setDisabled(ruleName, true);
        return ResponseEntity.ok().build();
    }

    @DeleteMapping("/rules/{ruleName}")
    @Operation(summary = "Delete a topic rule (DeleteTopicRule)")
    @ApiResponse(responseCode = "200", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "ResourceNotFoundException", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<Void> delete(@PathVariable String ruleName) {
        rules.delete(ruleName);
        return ResponseEntity.ok().build();
    }
}
