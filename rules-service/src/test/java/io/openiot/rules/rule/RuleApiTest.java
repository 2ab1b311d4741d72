package io.openiot.rules.rule;

import static io.openiot.testsupport.ServiceEndpoints.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.openiot.rules.RulesServiceTestBase;
import io.openiot.testsupport.ServiceEndpoints;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** CreateTopicRule, GetTopicRule, ListTopicRules and DeleteTopicRule with AWS's shapes and error codes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RuleApiTest extends RulesServiceTestBase {

    private static final String PAYLOAD = """
            {"sql": "SELECT * FROM 'rest/+/telemetry' WHERE speed > 120",
             "description": "speeding",
             "actions": [{"republish": {"topic": "alerts/${topic(2)}", "qos": 1,
                                        "roleArn": "arn:aws:iam::000000000000:role/ignored"}}],
             "errorAction": {"republish": {"topic": "errors"}}}""";

    @Test
    void createsGetsListsAndDeletesARule() {
        String name = newRuleName("crud");
        ResponseEntity<String> created = post("/rules/" + name, PAYLOAD);
        assertThat(created.getStatusCode()).isEqualTo(HttpStatus.OK);

        ResponseEntity<String> fetched = get("/rules/" + name);
        assertThat(fetched.getStatusCode()).isEqualTo(HttpStatus.OK);
        JsonNode body = body(fetched);
        assertThat(body.get("ruleArn").asString()).isEqualTo("arn:aws:iot:us-east-1:000000000000:rule/" + name);
        JsonNode rule = body.get("rule");
        assertThat(rule.get("ruleName").asString()).isEqualTo(name);
        assertThat(rule.get("sql").asString()).isEqualTo("SELECT * FROM 'rest/+/telemetry' WHERE speed > 120");
        assertThat(rule.get("description").asString()).isEqualTo("speeding");
        assertThat(rule.get("ruleDisabled").asBoolean()).isFalse();
        assertThat(rule.get("awsIotSqlVersion").asString()).isEqualTo("2016-03-23");
        assertThat(rule.get("createdAt").isNumber()).isTrue();
        assertThat(rule.get("actions").get(0).get("republish").get("topic").asString())
                .isEqualTo("alerts/${topic(2)}");
        assertThat(rule.get("errorAction").get("republish").get("topic").asString()).isEqualTo("errors");

        JsonNode listed = findInList(name);
        assertThat(listed.get("topicPattern").asString()).isEqualTo("rest/+/telemetry");
        assertThat(listed.get("ruleArn").asString()).endsWith(":rule/" + name);
        assertThat(listed.get("createdAt").isNumber()).isTrue();
        assertThat(listed.get("ruleDisabled").asBoolean()).isFalse();

        ResponseEntity<String> deleted = http().delete().uri("/rules/" + name).retrieve().toEntity(String.class);
        assertThat(deleted.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(deleted.getBody()).isNull();
        assertThat(get("/rules/" + name).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void acceptsThePayloadWrappedInTopicRulePayload() {
        String name = newRuleName("wrapped");
        String wrapped = "{\"topicRulePayload\": {\"sql\": \"SELECT * FROM 'rest/wrapped'\", \"actions\": [], "
                + "\"ruleDisabled\": true, \"awsIotSqlVersion\": \"2016-03-23\"}}";
        assertThat(post("/rules/" + name, wrapped).getStatusCode()).isEqualTo(HttpStatus.OK);
        JsonNode rule = body(get("/rules/" + name)).get("rule");
        assertThat(rule.get("ruleDisabled").asBoolean()).isTrue();
        assertThat(rule.get("awsIotSqlVersion").asString()).isEqualTo("2016-03-23");
        assertThat(rule.has("errorAction")).isFalse();
    }

    @Test
    void pagesThroughTheRulesWithNextToken() {
        String prefix = newRuleName("page");
        for (int i = 0; i < 5; i++) {
            post("/rules/" + prefix + "_" + i, "{\"sql\": \"SELECT * FROM 'rest/page/" + i + "'\"}");
        }
        Set<String> seen = new HashSet<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = body(get("/rules?maxResults=2" + (token == null ? "" : "&nextToken=" + token)));
            assertThat(page.get("rules").size()).isLessThanOrEqualTo(2);
            page.get("rules").forEach(rule -> seen.add(rule.get("ruleName").asString()));
            token = page.has("nextToken") ? page.get("nextToken").asString() : null;
            pages++;
        } while (token != null && pages < 1000);
        for (int i = 0; i < 5; i++) {
            assertThat(seen).contains(prefix + "_" + i);
        }
        assertThat(body(get("/rules?topic=rest/page/3")).get("rules")).hasSize(1);
    }

    @Test
    void rejectsADuplicateNameWith409() {
        String name = newRuleName("dup");
        post("/rules/" + name, PAYLOAD);
        ResponseEntity<String> again = post("/rules/" + name, PAYLOAD);
        assertProblem(again, HttpStatus.CONFLICT, "ResourceAlreadyExistsException");
    }

    @Test
    void answersUnknownRulesWith404() {
        assertProblem(get("/rules/no_such_rule"), HttpStatus.NOT_FOUND, "ResourceNotFoundException");
        assertProblem(http().delete().uri("/rules/no_such_rule").retrieve().toEntity(String.class),
                HttpStatus.NOT_FOUND, "ResourceNotFoundException");
    }

    @Test
    void rejectsInvalidRequestsWith400() {
        String name = newRuleName("bad");
        assertThat(assertProblem(post("/rules/" + name, "{\"sql\": "), HttpStatus.BAD_REQUEST,
                "InvalidRequestException").get("detail").asString()).contains("not valid JSON", "(line 1, column ");
        assertThat(assertProblem(post("/rules/" + name, "{\"actions\": []}"), HttpStatus.BAD_REQUEST,
                "InvalidRequestException").get("detail").asString()).contains("sql is required");
        assertThat(assertProblem(post("/rules/bad-name!", PAYLOAD), HttpStatus.BAD_REQUEST,
                "InvalidRequestException").get("detail").asString()).contains("ruleName");
        assertThat(assertProblem(post("/rules/" + "x".repeat(129), PAYLOAD), HttpStatus.BAD_REQUEST,
                "InvalidRequestException").get("detail").asString()).contains("ruleName");
        assertThat(assertProblem(post("/rules/" + name,
                "{\"sql\": \"SELECT * FROM 'a'\", \"actions\": [{\"lambda\": {\"functionArn\": \"x\"}}]}"),
                HttpStatus.BAD_REQUEST, "InvalidRequestException").get("detail").asString())
                .contains("'lambda' is not supported");
        assertThat(assertProblem(post("/rules/" + name,
                "{\"sql\": \"SELECT * FROM 'a'\", \"actions\": [{\"dynamoDB\": {\"tableName\": \"t\"}}]}"),
                HttpStatus.BAD_REQUEST, "InvalidRequestException").get("detail").asString())
                .contains("hashKeyField is required");
        assertThat(assertProblem(post("/rules/" + name,
                "{\"sql\": \"SELECT * FROM 'a'\", \"actions\": [" + "{\"republish\": {\"topic\": \"t\"}},".repeat(10)
                        + "{\"republish\": {\"topic\": \"t\"}}]}"),
                HttpStatus.BAD_REQUEST, "InvalidRequestException").get("detail").asString()).contains("at most 10");
        assertThat(get("/rules/" + name).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void rejectsInvalidSqlWithItsPosition() {
        String name = newRuleName("badsql");
        JsonNode problem = assertProblem(post("/rules/" + name,
                "{\"sql\": \"SELECT *\\nFROM 'a/b'\\nWHERE speed >>> 3\"}"), HttpStatus.BAD_REQUEST,
                "SqlParseException");
        assertThat(problem.get("line").asInt()).isEqualTo(3);
        assertThat(problem.get("column").asInt()).isEqualTo(15);
        assertThat(problem.get("detail").asString()).contains("line 3, column 15");

        JsonNode unsupported = assertProblem(post("/rules/" + name,
                "{\"sql\": \"SELECT * FROM 'a' GROUP BY x\"}"), HttpStatus.BAD_REQUEST, "SqlParseException");
        assertThat(unsupported.get("column").asInt()).isEqualTo(19);
        assertThat(get("/rules/" + name).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void isLiveAndReadyDocumentedAndMetered() {
        ServiceEndpoints endpoints = ServiceEndpoints.onLocalPort(port);
        endpoints.assertLiveAndReady("db", "binders", "readinessState");
        endpoints.assertDocumentedAndMetered("OpenIoT rules API");
        endpoints.assertProtected("/rules");
    }

    @Test
    void documentsTheApi() {
        String doc = get("/v3/api-docs").getBody();
        assertThat(doc).contains("OpenIoT rules API", "/rules/{ruleName}", "CreateTopicRule", "ListTopicRules");
    }

    private JsonNode findInList(String name) {
        String token = null;
        for (int page = 0; page < 100; page++) {
            JsonNode list = body(get("/rules" + (token == null ? "" : "?nextToken=" + token)));
            for (JsonNode rule : list.get("rules")) {
                if (rule.get("ruleName").asString().equals(name)) {
                    return rule;
                }
            }
            if (!list.has("nextToken")) {
                break;
            }
            token = list.get("nextToken").asString();
        }
        throw new AssertionError(name + " not listed");
    }
}
