package io.openiot.rules.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.openiot.contracts.KafkaTopics;
import io.openiot.rules.RulesServiceTestBase;
import io.openiot.testsupport.EmbeddedKafkaServer;
import io.openiot.testsupport.ServiceEndpoints;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** {@code POST /rules/test}: what a rule would do with a sample message, with nothing sent. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RuleDryRunTest extends RulesServiceTestBase {

    @Test
    void anInlineRuleShowsItsOutputAndRenderedActionsAndSendsNothing() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            ResponseEntity<String> response = post("/rules/test", """
                    {"topicRulePayload": {"sql": "SELECT speed, topic(3) AS car, 100 / 2.0 AS half FROM 'dry/+/+' WHERE speed > 120",
                      "actions": [{"republish": {"topic": "alerts/%s/${topic(3)}", "qos": 1, "headers": {"responseTopic": "r/${topic(3)}",
                                    "userProperties": [{"key": "car", "value": "${topic(3)}"}]}}},
                                  {"dynamoDB": {"tableName": "t_%s", "hashKeyField": "car", "hashKeyValue": "${clientid()}"}}]},
                     "topic": "dry/fleet/car1", "clientId": "car-one", "payload": {"speed": 140}}""".formatted(id, id));

            assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
            JsonNode body = body(response);
            assertThat(body.get("matched").asBoolean()).isTrue();
            assertThat(body.get("topicMatched").asBoolean()).isTrue();
            assertThat(body.get("where").asBoolean()).isTrue();
            assertThat(body.get("output").toString()).isEqualTo("{\"speed\":140,\"car\":\"car1\",\"half\":50}");
            JsonNode republish = body.get("actions").get(0);
            assertThat(republish.get("type").asString()).isEqualTo("republish");
            assertThat(republish.get("key").asString()).isEqualTo("republish:alerts/" + id + "/${topic(3)}");
            assertThat(republish.get("rendered").get("topic").asString()).isEqualTo("alerts/" + id + "/car1");
            assertThat(republish.get("rendered").get("headers").get("responseTopic").asString()).isEqualTo("r/car1");
            assertThat(republish.get("rendered").get("headers").get("userProperties").get(0).toString())
                    .isEqualTo("{\"key\":\"car\",\"value\":\"car1\"}");
            assertThat(body.get("actions").get(1).get("rendered").get("hashKeyValue").asString())
                    .isEqualTo("car-one");

            // nothing reached Kafka: no republished copy and no sink record within a few seconds of polling
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(250)).forEach(seen::add);
            }
            assertThat(seen).noneMatch(r -> r.key() != null && (r.key().startsWith("alerts/" + id)
                    || r.key().startsWith("t_" + id)));
        }
    }

    @Test
    void aStoredRuleThatDoesNotMatchGivesTheWhereValue() {
        String name = newRuleName("dry");
        assertThat(post("/rules/" + name, """
                {"sql": "SELECT * FROM 'drys/+' WHERE temp > 30",
                 "actions": [{"republish": {"topic": "hot/${topic(2)}"}}]}""").getStatusCode())
                .isEqualTo(HttpStatus.OK);

        JsonNode cold = body(post("/rules/test", """
                {"ruleName": "%s", "topic": "drys/a", "payload": {"temp": 20}}""".formatted(name)));
        assertThat(cold.get("matched").asBoolean()).isFalse();
        assertThat(cold.get("where").asBoolean()).isFalse();
        assertThat(cold.get("whereType").asString()).isEqualTo("Bool");
        assertThat(cold.has("output")).isFalse();

        JsonNode missing = body(post("/rules/test", """
                {"ruleName": "%s", "topic": "drys/a", "payload": {"other": 1}}""".formatted(name)));
        assertThat(missing.get("matched").asBoolean()).isFalse();
        assertThat(missing.get("whereType").asString()).isEqualTo("Undefined");

        JsonNode otherTopic = body(post("/rules/test", """
                {"ruleName": "%s", "topic": "elsewhere/a", "payload": {"temp": 40}}""".formatted(name)));
        assertThat(otherTopic.get("topicMatched").asBoolean()).isFalse();
        assertThat(otherTopic.get("matched").asBoolean()).isFalse();

        // Basic Ingest: the rule's own $aws/rules topic runs it, and topic() sees the rest
        String raw = Base64.getEncoder().encodeToString("{\"temp\":40}".getBytes(StandardCharsets.UTF_8));
        JsonNode ingest = body(post("/rules/test", """
                {"ruleName": "%s", "topic": "$aws/rules/%s/dev/7", "payloadBase64": "%s"}""".formatted(name, name,
                raw)));
        assertThat(ingest.get("matched").asBoolean()).isTrue();
        assertThat(ingest.get("topic").asString()).isEqualTo("dev/7");
        assertThat(ingest.get("actions").get(0).get("rendered").get("topic").asString()).isEqualTo("hot/7");
    }

    @Test
    void rejectsBadDryRunsWithAwsErrors() {
        ServiceEndpoints.assertProblem(post("/rules/test", """
                {"ruleName": "%s", "topic": "a", "payload": {}}""".formatted(newRuleName("none"))),
                HttpStatus.NOT_FOUND, "ResourceNotFoundException");
        ServiceEndpoints.assertProblem(post("/rules/test", """
                {"topicRulePayload": {"sql": "SELECT FROM WHERE"}, "topic": "a", "payload": {}}"""),
                HttpStatus.BAD_REQUEST, "SqlParseException");
        ServiceEndpoints.assertProblem(post("/rules/test", """
                {"topicRulePayload": {"sql": "SELECT * FROM 'a'"}, "payload": {}}"""),
                HttpStatus.BAD_REQUEST, "InvalidRequestException");
    }

    @Test
    void isInTheOpenApiDocument() {
        String api = get("/v3/api-docs").getBody();
        assertThat(json.readTree(api).get("paths").get("/rules/test").get("post").get("summary").asString())
                .contains("dry run");
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dry-run-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(KafkaTopics.MESSAGES, KafkaTopics.SINK_RECORDS));
        // join the group and take positions before the dry run, so that "latest" means "after this point"
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (consumer.assignment().isEmpty() && System.nanoTime() < until) {
            consumer.poll(Duration.ofMillis(200));
        }
        consumer.assignment().forEach(consumer::position);
        return consumer;
    }
}
