package io.openiot.rules.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.openiot.contracts.DeadLetterHeaders;
import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageHeaders;
import io.openiot.contracts.MessageIds;
import io.openiot.rules.RulesServiceTestBase;
import io.openiot.testsupport.EmbeddedKafkaServer;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * Permanent action failures: the error action gets AWS's payload, records without one go to the rules dead-letter
 * topic alone, and a replay after the fix runs them again once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DeadLetterKafkaTest extends RulesServiceTestBase {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static KafkaProducer<String, byte[]> producer;
    private static KafkaConsumer<String, byte[]> messages;
    private static KafkaConsumer<String, byte[]> sink;
    private static KafkaConsumer<String, byte[]> deadLetters;
    private static final List<ConsumerRecord<String, byte[]>> seenMessages = new ArrayList<>();
    private static final List<ConsumerRecord<String, byte[]>> seenSink = new ArrayList<>();
    private static final List<ConsumerRecord<String, byte[]>> seenDeadLetters = new ArrayList<>();

    @Autowired
    MeterRegistry meters;

    @BeforeAll
    static void clients() {
        String brokers = EmbeddedKafkaServer.bootstrapServers();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        messages = consumer(brokers, KafkaTopics.MESSAGES);
        sink = consumer(brokers, KafkaTopics.SINK_RECORDS);
        deadLetters = consumer(brokers, KafkaTopics.RULES_DEAD_LETTERS);
    }

    private static KafkaConsumer<String, byte[]> consumer(String brokers, String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    @AfterAll
    static void close() {
        producer.close(Duration.ofSeconds(5));
        messages.close(Duration.ofSeconds(5));
        sink.close(Duration.ofSeconds(5));
        deadLetters.close(Duration.ofSeconds(5));
    }

    @Test
    void aRepublishThatRendersAnInvalidTopicSendsAwsErrorPayloadToTheErrorAction() {
        String fleet = "err" + UUID.randomUUID().toString().substring(0, 8);
        String rule = newRuleName("errpayload");
        String table = "e_" + fleet;
        createRule(rule, """
                {"sql": "SELECT * FROM 'iot/%s/+'",
                 "actions": [{"republish": {"topic": "out/${dest}"}},
                             {"dynamoDB": {"tableName": "%s", "hashKeyField": "car", "hashKeyValue": "${topic(3)}"}}],
                 "errorAction": {"republish": {"topic": "errors/%s"}}}""".formatted(fleet, table, fleet));

        IotMessage bad = send("iot/" + fleet + "/car-1", "{\"dest\":\"a/+/b\"}");

        ConsumerRecord<String, byte[]> error = awaitRecord(seenMessages, messages, r -> ("errors/" + fleet).equals(r.key()));
        JsonNode payload = json.readTree(error.value());
        assertThat(payload.get("ruleName").asString()).isEqualTo(rule);
        assertThat(payload.get("topic").asString()).isEqualTo("iot/" + fleet + "/car-1");
        assertThat(payload.get("cloudwatchTraceId").asString()).isEqualTo(bad.traceId());
        assertThat(payload.get("clientId").asString()).isEqualTo("sensor-1");
        assertThat(Base64.getDecoder().decode(payload.get("base64OriginalPayload").asString()))
                .isEqualTo(bad.payload());
        assertThat(payload.get("failures")).hasSize(1);
        JsonNode failure = payload.get("failures").get(0);
        assertThat(failure.get("failedAction").asString()).isEqualTo("RepublishAction");
        assertThat(failure.get("failedResource").asString()).isEqualTo("out/a/+/b");
        assertThat(failure.get("errorMessage").asString()).contains("out/a/+/b");
        assertThat(header(error, MessageHeaders.MESSAGE_ID)).isEqualTo(MessageIds.derived(bad.messageId(), rule,
                "errorAction:republish:errors/" + fleet));
        assertThat(header(error, MessageHeaders.TRACE_ID)).isEqualTo(bad.traceId());
        // the rule's other action did its work; nothing of this rule went to the dead-letter topic
        awaitRecord(seenSink, sink, r -> MessageIds.derived(bad.messageId(), rule, "dynamoDB:" + table)
                .equals(json.readTree(r.value()).get("sourceMessageId").asString()));
        pollAll(deadLetters, seenDeadLetters, Duration.ofSeconds(1));
        assertThat(seenDeadLetters).noneMatch(r -> rule.equals(header(r, DeadLetterHeaders.RULE)));
    }

    @Test
    void withoutAnErrorActionOnlyThePoisonedRecordIsDeadLetteredAndAReplayAfterTheFixRunsItOnce() {
        String fleet = "dlq" + UUID.randomUUID().toString().substring(0, 8);
        String rule = newRuleName("poison");
        String table = "d_" + fleet;
        String sql = "SELECT * FROM 'iot/" + fleet + "/+'";
        createRule(rule, """
                {"sql": "%s",
                 "actions": [{"dynamoDB": {"tableName": "%s", "hashKeyField": "n", "hashKeyValue": "${n}",
                                           "hashKeyType": "NUMBER"}}]}""".formatted(sql, table));
        double deadLetteredBefore = meters.counter("iot.rules.dead-letters", "reason", "action-failed").count();

        IotMessage before = send("iot/" + fleet + "/car-1", "{\"n\":1}");
        IotMessage poisoned = send("iot/" + fleet + "/car-1", "{\"n\":\"one\"}");
        IotMessage after = send("iot/" + fleet + "/car-1", "{\"n\":3}");

        ConsumerRecord<String, byte[]> dead = awaitRecord(seenDeadLetters, deadLetters,
                r -> rule.equals(header(r, DeadLetterHeaders.RULE)));
        assertThat(header(dead, MessageHeaders.MESSAGE_ID)).isEqualTo(poisoned.messageId());
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo("action-failed");
        assertThat(header(dead, DeadLetterHeaders.FAILED_ACTION)).isEqualTo("DynamoAction:" + table);
        assertThat(header(dead, DeadLetterHeaders.ERROR)).contains("is not a NUMBER");
        assertThat(dead.key()).isEqualTo(poisoned.topic());
        assertThat(dead.value()).isEqualTo(poisoned.payload());
        assertThat(meters.counter("iot.rules.dead-letters", "reason", "action-failed").count())
                .isGreaterThan(deadLetteredBefore);
        String beforeId = MessageIds.derived(before.messageId(), rule, "dynamoDB:" + table);
        String afterId = MessageIds.derived(after.messageId(), rule, "dynamoDB:" + table);
        awaitRecord(seenSink, sink, r -> afterId.equals(json.readTree(r.value()).get("sourceMessageId").asString()));
        awaitRecord(seenSink, sink, r -> beforeId.equals(json.readTree(r.value()).get("sourceMessageId").asString()));
        pollAll(deadLetters, seenDeadLetters, Duration.ofSeconds(1));
        assertThat(seenDeadLetters).filteredOn(r -> rule.equals(header(r, DeadLetterHeaders.RULE))).hasSize(1);
        // the two keys ({table}|1, {table}|3) may land on different partitions: their order on the topic is not fixed
        assertThat(sinkIdsOf(table)).containsExactlyInAnyOrder(beforeId, afterId);

        // the fix: the key becomes a STRING; then the replay runs the poisoned record through the rule again
        assertThat(http().delete().uri("/rules/" + rule).retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.OK);
        createRule(rule, """
                {"sql": "%s",
                 "actions": [{"dynamoDB": {"tableName": "%s", "hashKeyField": "n", "hashKeyValue": "${n}"}}]}"""
                .formatted(sql, table));
        JsonNode report = body(post("/dead-letters/replay?ruleName=" + rule, ""));
        assertThat(report.get("examined").asInt()).isEqualTo(1);
        assertThat(report.get("replayed").asInt()).isEqualTo(1);
        String replayedId = MessageIds.derived(poisoned.messageId(), rule, "dynamoDB:" + table);
        awaitRecord(seenSink, sink, r -> replayedId.equals(json.readTree(r.value()).get("sourceMessageId").asString()));

        JsonNode again = body(post("/dead-letters/replay?ruleName=" + rule, ""));
        assertThat(again.get("replayed").asInt()).isZero();
        assertThat(again.get("alreadyReplayed").asInt()).isEqualTo(1);
        pollAll(sink, seenSink, Duration.ofSeconds(1));
        assertThat(sinkIdsOf(table)).containsExactlyInAnyOrder(beforeId, afterId, replayedId);
    }

    @Test
    void aReplayWithAnInvalidLimitIsABadRequest() {
        ResponseEntity<String> response = post("/dead-letters/replay?limit=0", "");
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(body(response).get("code").asString()).isEqualTo("InvalidRequestException");
    }

    private List<String> sinkIdsOf(String table) {
        pollAll(sink, seenSink, Duration.ofMillis(200));
        return seenSink.stream().map(r -> json.readTree(r.value()))
                .filter(r -> table.equals(r.get("table").asString()))
                .map(r -> r.get("sourceMessageId").asString()).toList();
    }

    private void createRule(String name, String payload) {
        assertThat(post("/rules/" + name, payload).getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    private static IotMessage send(String topic, String payload) {
        String id = UUID.randomUUID().toString();
        IotMessage message = new IotMessage(topic, payload.getBytes(UTF_8), 1, false, "sensor-1", null, null,
                System.currentTimeMillis(), id, id, "gateway/test", 0);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(KafkaTopics.MESSAGES, topic, message.payload());
        message.headers().forEach((name, value) -> record.headers().add(name, value));
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not produce a test record", e);
        }
        return message;
    }

    private static ConsumerRecord<String, byte[]> awaitRecord(List<ConsumerRecord<String, byte[]>> seen,
            KafkaConsumer<String, byte[]> consumer, java.util.function.Predicate<ConsumerRecord<String, byte[]>> match) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            pollAll(consumer, seen, Duration.ofMillis(200));
            seen.stream().filter(match).findFirst().ifPresent(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }

    private static void pollAll(KafkaConsumer<String, byte[]> consumer, List<ConsumerRecord<String, byte[]>> seen,
                                Duration duration) {
        consumer.poll(duration).forEach(seen::add);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), UTF_8);
    }
}
