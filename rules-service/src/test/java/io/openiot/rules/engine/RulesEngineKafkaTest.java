package io.openiot.rules.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageHeaders;
import io.openiot.contracts.MessageIds;
import io.openiot.rules.RulesServiceTestBase;
import io.openiot.testsupport.EmbeddedKafkaServer;
import io.openiot.testsupport.ServiceEndpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/**
 * Rules created through REST, fed by records on {@code iot.messages} from a plain producer, observed with plain
 * consumers on {@code iot.sink-records} and {@code iot.messages}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RulesEngineKafkaTest extends RulesServiceTestBase {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long T0 = 1_714_564_800_000L;

    private static KafkaProducer<String, byte[]> producer;
    private static KafkaConsumer<String, byte[]> sinkConsumer;
    private static KafkaConsumer<String, byte[]> messageConsumer;

    private final List<ConsumerRecord<String, byte[]>> sinkRecords = new ArrayList<>();
    private final List<ConsumerRecord<String, byte[]>> messages = new ArrayList<>();

    @Autowired
    MeterRegistry meters;

    @Autowired
    Environment environment;

    @BeforeAll
    static void clients() {
        String brokers = EmbeddedKafkaServer.bootstrapServers();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        sinkConsumer = consumer(brokers, KafkaTopics.SINK_RECORDS);
        messageConsumer = consumer(brokers, KafkaTopics.MESSAGES);
    }

    private static KafkaConsumer<String, byte[]> consumer(String brokers, String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "rules-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    @AfterAll
    static void close() {
        producer.close(Duration.ofSeconds(5));
        sinkConsumer.close(Duration.ofSeconds(5));
        messageConsumer.close(Duration.ofSeconds(5));
    }

    @Test
    void bindingNamesAreTheContractTopics() {
        assertThat(environment.getProperty("spring.cloud.stream.bindings.iotMessages-in-0.destination"))
                .isEqualTo(KafkaTopics.MESSAGES);
        assertThat(environment.getProperty("spring.cloud.stream.bindings.iotMessages-in-0.group"))
                .isEqualTo("rules-service");
        // the binder's whole-batch DLQ is off: the engine dead-letters single records itself
        assertThat(environment.getProperty("spring.cloud.stream.kafka.bindings.iotMessages-in-0.consumer.enable-dlq"))
                .isNull();
    }

    @Test
    void theTopicsActionsWriteToExistFromStartUp() throws Exception {
        ServiceEndpoints.assertTopicCreated(KafkaTopics.SINK_RECORDS, 6);
        ServiceEndpoints.assertTopicCreated(KafkaTopics.MESSAGES, 6);
        ServiceEndpoints.assertTopicCreated(KafkaTopics.RULES_DEAD_LETTERS, 6);
    }

    @Test
    void aRecordWithoutAnMqttTopicIsCountedAndSkippedWithoutStoppingTheOthers() throws Exception {
        String fleet = "keyless" + UUID.randomUUID().toString().substring(0, 8);
        String table = "k_" + fleet;
        String rule = newRuleName("keyless");
        createRule(rule, """
                {"sql": "SELECT * FROM 'iot/%s/+'",
                 "actions": [{"dynamoDB": {"tableName": "%s", "hashKeyField": "car",
                                           "hashKeyValue": "${topic(3)}"}}]}""".formatted(fleet, table));
        double malformedBefore = meters.counter("iot.rules.messages.skipped", "reason", "malformed").count();

        producer.send(new ProducerRecord<>(KafkaTopics.MESSAGES, null, "{\"speed\":1}".getBytes(UTF_8)))
                .get(30, TimeUnit.SECONDS);
        IotMessage good = send("iot/" + fleet + "/car-1", "{\"speed\":2}");

        assertThat(awaitSinkRecord(table, sinkId(good, rule, table)).get("item").get("car").asString())
                .isEqualTo("car-1");
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                meters.counter("iot.rules.messages.skipped", "reason", "malformed").count())
                .isGreaterThan(malformedBefore));
    }

    @Test
    void matchingMessagesAreRepublishedAndWrittenToTheSinkOthersAreNot() {
        String fleet = "fleet" + UUID.randomUUID().toString().substring(0, 8);
        String rule = newRuleName("speeding");
        String table = "speeding_" + fleet;
        createRule(rule, """
                {"sql": "SELECT * FROM 'iot/%s/#' WHERE speed > 120",
                 "actions": [
                   {"republish": {"topic": "alerts/${topic(2)}/${topic(3)}", "qos": 1, "roleArn": "ignored"}},
                   {"dynamoDB": {"tableName": "%s", "hashKeyField": "car", "hashKeyValue": "${topic(3)}",
                                 "rangeKeyField": "ts", "rangeKeyValue": "${ts}", "rangeKeyType": "NUMBER",
                                 "roleArn": "ignored"}}]}""".formatted(fleet, table));

        IotMessage fast = send("iot/" + fleet + "/car-1", "{\"speed\":140,\"ts\":1}");
        IotMessage slow = send("iot/" + fleet + "/car-1", "{\"speed\":100,\"ts\":2}");

        JsonNode stored = awaitSinkRecord(table, sinkId(fast, rule, table));
        assertThat(stored.get("table").asString()).isEqualTo(table);
        assertThat(stored.get("partitionKey").asString()).isEqualTo("car-1");
        assertThat(stored.get("sortKey").asString()).isEqualTo("1");
        assertThat(stored.get("sourceMessageId").asString())
                .isEqualTo(MessageIds.derived(fast.messageId(), rule, "dynamoDB:" + table));
        assertThat(stored.get("timestamp").asLong()).isEqualTo(T0);
        assertThat(stored.get("item").get("car").asString()).isEqualTo("car-1");
        assertThat(stored.get("item").get("ts").asInt()).isEqualTo(1);
        assertThat(stored.get("item").get("payload").get("speed").asInt()).isEqualTo(140);

        ConsumerRecord<String, byte[]> alert = awaitMessage("alerts/" + fleet + "/car-1");
        assertThat(alert.key()).isEqualTo("alerts/" + fleet + "/car-1");
        assertThat(json.readTree(alert.value()).get("speed").asInt()).isEqualTo(140);
        assertThat(header(alert, MessageHeaders.ORIGIN)).isEqualTo("rules-service");
        assertThat(header(alert, MessageHeaders.HOP_COUNT)).isEqualTo("1");
        assertThat(header(alert, MessageHeaders.QOS)).isEqualTo("1");
        // the copy keeps the trace of the device message and gets an id derived from it, the rule and the action
        assertThat(header(alert, MessageHeaders.TRACE_ID)).isEqualTo(fast.traceId());
        assertThat(header(alert, MessageHeaders.MESSAGE_ID)).isEqualTo(MessageIds.derived(fast.messageId(), rule,
                "republish:alerts/${topic(2)}/${topic(3)}"));

        // the slow message went through the engine after the fast one (same key, same partition) and matched nothing
        IotMessage marker = send("iot/" + fleet + "/car-2", "{\"speed\":150,\"ts\":3}");
        awaitSinkRecord(table, sinkId(marker, rule, table));
        assertThat(sinkRecordsOf(table)).noneMatch(r -> r.get("sourceMessageId").asString()
                .equals(sinkId(slow, rule, table)));
    }

    @Test
    void aNonJsonPayloadNeitherMatchesNorStopsConsumption() {
        String fleet = "raw" + UUID.randomUUID().toString().substring(0, 8);
        String table = "raw_" + fleet;
        String rule = newRuleName("nonjson");
        createRule(rule, """
                {"sql": "SELECT * FROM 'iot/%s/+' WHERE speed > 120",
                 "actions": [{"dynamoDB": {"tableName": "%s", "hashKeyField": "car",
                                           "hashKeyValue": "${topic(3)}"}}]}""".formatted(fleet, table));
        createRule(newRuleName("passthrough"), """
                {"sql": "SELECT * FROM 'iot/%s/+'",
                 "actions": [{"republish": {"topic": "copy/${topic(2)}/${clientid()}"}}]}""".formatted(fleet));

        IotMessage garbage = send("iot/" + fleet + "/car-9", new byte[] {(byte) 0xff, 0x00, '{', 's'});
        IotMessage good = send("iot/" + fleet + "/car-9", "{\"speed\":130}".getBytes(UTF_8));

        JsonNode stored = awaitSinkRecord(table, sinkId(good, rule, table));
        assertThat(stored.get("item").get("payload").get("speed").asInt()).isEqualTo(130);
        assertThat(sinkRecordsOf(table)).noneMatch(r -> r.get("sourceMessageId").asString()
                .equals(sinkId(garbage, rule, table)));

        // SELECT * hands the raw bytes on unchanged
        List<ConsumerRecord<String, byte[]>> copies = awaitMessages("copy/" + fleet + "/sensor-1", 2);
        assertThat(copies.get(0).value()).isEqualTo(garbage.payload());
        assertThat(copies.get(1).value()).isEqualTo(good.payload());
    }

    @Test
    void reorderingARulesActionsKeepsTheIdsOfWhatTheyProduce() {
        String fleet = "order" + UUID.randomUUID().toString().substring(0, 8);
        String rule = newRuleName("order");
        String table = "o_" + fleet;
        String republish = """
                {"republish": {"topic": "ordered/%s/${topic(3)}"}}""".formatted(fleet);
        String dynamo = """
                {"dynamoDB": {"tableName": "%s", "hashKeyField": "car", "hashKeyValue": "${topic(3)}"}}"""
                .formatted(table);
        createRule(rule, "{\"sql\": \"SELECT * FROM 'iot/" + fleet + "/+'\", \"actions\": [" + republish + ","
                + dynamo + "]}");
        IotMessage first = send("iot/" + fleet + "/car-1", "{\"n\":1}");
        JsonNode storedFirst = awaitSinkRecord(table, sinkId(first, rule, table));
        ConsumerRecord<String, byte[]> copyFirst = awaitMessage("ordered/" + fleet + "/car-1");

        assertThat(http().delete().uri("/rules/" + rule).retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.OK);
        createRule(rule, "{\"sql\": \"SELECT * FROM 'iot/" + fleet + "/+'\", \"actions\": [" + dynamo + ","
                + republish + "]}");
        // the same message again (a redelivery), through the rule with its actions the other way round
        IotMessage again = sendWithId("iot/" + fleet + "/car-1", "{\"n\":1}", first.messageId());

        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> sinkRecordsOf(table).stream()
                .filter(r -> r.get("sourceMessageId").asString().equals(sinkId(again, rule, table))).count() == 2);
        List<ConsumerRecord<String, byte[]>> copies = awaitMessages("ordered/" + fleet + "/car-1", 2);
        assertThat(storedFirst.get("sourceMessageId").asString()).isEqualTo(sinkId(again, rule, table));
        assertThat(copies).extracting(r -> header(r, MessageHeaders.MESSAGE_ID))
                .containsOnly(header(copyFirst, MessageHeaders.MESSAGE_ID));
    }

    @Test
    void doesNotEvaluateMessagesThatReachedTheHopLimit() {
        String fleet = "loop" + UUID.randomUUID().toString().substring(0, 8);
        createRule(newRuleName("loop"), """
                {"sql": "SELECT * FROM 'loop/%s'",
                 "actions": [{"republish": {"topic": "loop/%s"}}]}""".formatted(fleet, fleet));
        double skippedBefore = meters.counter("iot.rules.messages.skipped", "reason", "hop-limit").count();

        send("loop/" + fleet, "{\"n\":1}");

        // the rule republishes to its own topic: hop counts 1..8 appear, then the engine stops
        List<ConsumerRecord<String, byte[]>> loop = awaitMessages("loop/" + fleet, 9);
        assertThat(loop).extracting(r -> header(r, MessageHeaders.HOP_COUNT))
                .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8");
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                meters.counter("iot.rules.messages.skipped", "reason", "hop-limit").count())
                .isGreaterThan(skippedBefore));
        pollMessages(Duration.ofSeconds(2));
        assertThat(messagesOn("loop/" + fleet)).hasSize(9);
    }

    @Test
    void countsEvaluatedMessagesMatchesAndActions() {
        String fleet = "metrics" + UUID.randomUUID().toString().substring(0, 8);
        String table = "m_" + fleet;
        String rule = newRuleName("metrics");
        createRule(rule, """
                {"sql": "SELECT * FROM 'm/%s'",
                 "actions": [{"dynamoDB": {"tableName": "%s", "hashKeyField": "k", "hashKeyValue": "${missing}"}},
                             {"dynamoDB": {"tableName": "%s", "hashKeyField": "k", "hashKeyValue": "${k}"}}]}"""
                .formatted(fleet, table, table));
        double failedBefore = meters.counter("iot.rules.actions.failed", "action", "dynamoDB").count();

        IotMessage message = send("m/" + fleet, "{\"k\":\"x\"}");

        // the first action renders an empty key and fails; the second one (same type and table: occurrence 2) runs
        JsonNode stored = awaitSinkRecord(table, MessageIds.derived(message.messageId(), rule,
                "dynamoDB:" + table + "#2"));
        assertThat(stored.get("item").get("k").asString()).isEqualTo("x");
        assertThat(meters.counter("iot.rules.actions.failed", "action", "dynamoDB").count())
                .isGreaterThan(failedBefore);
        assertThat(meters.counter("iot.rules.messages.evaluated").count()).isPositive();
        assertThat(meters.counter("iot.rules.rules.matched").count()).isPositive();
        assertThat(meters.counter("iot.rules.actions.executed", "action", "dynamoDB").count()).isPositive();
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void logsAProgressSummaryWhileMessagesFlow(CapturedOutput output) {
        String topic = "p/progress" + UUID.randomUUID().toString().substring(0, 8);
        // the summary is written by the first batch after the interval: keep messages coming until it appears
        await().atMost(WAIT).pollInterval(Duration.ofMillis(400)).untilAsserted(() -> {
            send(topic, "{\"n\":1}");
            assertThat(output.getOut()).containsPattern("Evaluated \\d+ messages in \\d+ batches over the last "
                    + "\\d+ s: \\d+ rule matches, \\d+ actions done, \\d+ failed");
        });
    }

    private void createRule(String name, String payload) {
        assertThat(post("/rules/" + name, payload).getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    private IotMessage send(String topic, String payload) {
        return send(topic, payload.getBytes(UTF_8));
    }

    private IotMessage send(String topic, byte[] payload) {
        return send(topic, payload, UUID.randomUUID().toString());
    }

    private IotMessage sendWithId(String topic, String payload, String id) {
        return send(topic, payload.getBytes(UTF_8), id);
    }

    private IotMessage send(String topic, byte[] payload, String id) {
        IotMessage message = new IotMessage(topic, payload, 0, false, "sensor-1", null, null, T0, id, id,
                "gateway/test", 0);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(KafkaTopics.MESSAGES, topic, payload);
        message.headers().forEach((name, value) -> record.headers().add(name, value));
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not produce a test record", e);
        }
        return message;
    }

    /** The id of the sink record a rule's dynamoDB action on {@code table} makes of {@code message}. */
    private static String sinkId(IotMessage message, String rule, String table) {
        return MessageIds.derived(message.messageId(), rule, "dynamoDB:" + table);
    }

    private JsonNode awaitSinkRecord(String table, String sourceMessageId) {
        List<JsonNode> found = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            pollSink();
            sinkRecordsOf(table).stream()
                    .filter(r -> r.get("sourceMessageId").asString().equals(sourceMessageId))
                    .findFirst().ifPresent(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }

    private List<JsonNode> sinkRecordsOf(String table) {
        pollSink();
        return sinkRecords.stream().map(r -> json.readTree(r.value()))
                .filter(r -> table.equals(r.get("table").asString())).toList();
    }

    private ConsumerRecord<String, byte[]> awaitMessage(String topic) {
        return awaitMessages(topic, 1).get(0);
    }

    private List<ConsumerRecord<String, byte[]>> awaitMessages(String topic, int count) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            pollMessages(Duration.ofMillis(200));
            return messagesOn(topic).size() >= count;
        });
        return messagesOn(topic);
    }

    private List<ConsumerRecord<String, byte[]>> messagesOn(String topic) {
        return messages.stream().filter(r -> topic.equals(r.key())).toList();
    }

    private void pollSink() {
        sinkConsumer.poll(Duration.ofMillis(200)).forEach(sinkRecords::add);
    }

    private void pollMessages(Duration duration) {
        messageConsumer.poll(duration).forEach(messages::add);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), UTF_8);
    }
}
