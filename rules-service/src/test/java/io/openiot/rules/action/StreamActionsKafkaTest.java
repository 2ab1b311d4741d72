package io.openiot.rules.action;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageHeaders;
import io.openiot.contracts.MessageIds;
import io.openiot.rules.RulesServiceTestBase;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * The {@code kafka}, {@code kinesis}, {@code firehose}, {@code dynamoDBv2} actions, {@code dynamoDB} with an
 * {@code operation} and {@code republish} with MQTT 5 headers end to end: rules created
 * through REST in AWS's shapes, a record on {@code iot.messages}, the output read with a plain consumer.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StreamActionsKafkaTest extends RulesServiceTestBase {

    private static KafkaRecords kafka;

    @BeforeAll
    static void clients() {
        kafka = new KafkaRecords();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private void createRule(String name, String payload) {
        ResponseEntity<String> response = post("/rules/" + name, payload);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void kafkaActionWritesTemplatedKeyPartitionAndHeadersWithTheDerivedIdOnEveryRedelivery() {
        String fleet = "kf" + unique();
        String topic = "out-" + fleet;
        String rule = newRuleName("kafka");
        createRule(rule, """
                {"sql": "SELECT temp, topic(3) AS device FROM 'iot/%s/+'", "awsIotSqlVersion": "2016-03-23",
                 "actions": [{"kafka": {"destinationArn": "arn:aws:iot:us-east-1:000000000000:ruledestination/vpc/x",
                   "topic": "%s", "key": "${topic(3)}", "partition": "${slot}",
                   "clientProperties": {"bootstrap.servers": "elsewhere:9092", "acks": "all"},
                   "headers": [{"key": "device", "value": "${topic(3)}"}, {"key": "kind", "value": "telemetry"}]}}]}
                """.formatted(fleet, topic));
        KafkaRecords.Reader out = kafka.reader(topic);

        String id = UUID.randomUUID().toString();
        IotMessage message = kafka.send("iot/" + fleet + "/dev-1", "{\"temp\": 21, \"slot\": 2}", id);
        // the same record again, as after a redelivery: the same output id
        kafka.send("iot/" + fleet + "/dev-1", "{\"temp\": 21, \"slot\": 2}", id);

        List<ConsumerRecord<String, byte[]>> records = out.await(2);
        String expectedId = MessageIds.derived(message.messageId(), rule, "kafka:" + topic);
        for (ConsumerRecord<String, byte[]> record : records) {
            assertThat(record.key()).isEqualTo("dev-1");
            assertThat(record.partition()).isEqualTo(2);
            assertThat(json.readTree(record.value()).get("temp").asInt()).isEqualTo(21);
            assertThat(json.readTree(record.value()).get("device").asString()).isEqualTo("dev-1");
            assertThat(KafkaRecords.header(record, "device")).isEqualTo("dev-1");
            assertThat(KafkaRecords.header(record, "kind")).isEqualTo("telemetry");
            assertThat(KafkaRecords.header(record, MessageHeaders.MESSAGE_ID)).isEqualTo(expectedId);
            assertThat(KafkaRecords.header(record, MessageHeaders.TRACE_ID)).isEqualTo(id);
        }
    }

    @Test
    void kinesisActionWritesToItsStreamTopicKeyedByThePartitionKey() {
        String fleet = "kn" + unique();
        String stream = "stream-" + fleet;
        String rule = newRuleName("kinesis");
        createRule(rule, """
                {"sql": "SELECT * FROM 'iot/%s/+'",
                 "actions": [{"kinesis": {"roleArn": "arn:aws:iam::000000000000:role/ignored", "streamName": "%s",
                                          "partitionKey": "${clientid()}-${topic(3)}"}}]}""".formatted(fleet, stream));
        KafkaRecords.Reader out = kafka.reader(StreamTopics.kinesis(stream));

        IotMessage message = kafka.send("iot/" + fleet + "/dev-7", "{\"v\": 1}");

        ConsumerRecord<String, byte[]> record = out.await(1).get(0);
        assertThat(record.topic()).isEqualTo("iot.kinesis." + stream);
        assertThat(record.key()).isEqualTo("sensor-1-dev-7");
        assertThat(new String(record.value(), UTF_8)).isEqualTo("{\"v\": 1}");
        assertThat(KafkaRecords.header(record, MessageHeaders.MESSAGE_ID))
                .isEqualTo(MessageIds.derived(message.messageId(), rule, "kinesis:" + stream));
    }

    @Test
    void firehoseActionAppendsTheSeparatorAndInBatchModeWritesOneRecordPerArrayElement() {
        String fleet = "fh" + unique();
        String batched = "batched-" + fleet;
        String single = "single-" + fleet;
        String rule = newRuleName("firehose");
        createRule(rule, """
                {"sql": "SELECT VALUE readings FROM 'iot/%s/+'", "awsIotSqlVersion": "2016-03-23",
                 "actions": [{"firehose": {"deliveryStreamName": "%s", "separator": "\\n", "batchMode": true}},
                             {"firehose": {"deliveryStreamName": "%s", "separator": ","}}]}"""
                .formatted(fleet, batched, single));
        KafkaRecords.Reader batchOut = kafka.reader(StreamTopics.firehose(batched));
        KafkaRecords.Reader singleOut = kafka.reader(StreamTopics.firehose(single));

        IotMessage message = kafka.send("iot/" + fleet + "/dev-1", "{\"readings\": [{\"a\": 1}, {\"a\": 2}]}");

        List<ConsumerRecord<String, byte[]>> records = batchOut.await(2);
        assertThat(records).extracting(r -> new String(r.value(), UTF_8))
                .containsExactlyInAnyOrder("{\"a\":1}\n", "{\"a\":2}\n");
        assertThat(records).extracting(r -> KafkaRecords.header(r, MessageHeaders.MESSAGE_ID))
                .containsExactlyInAnyOrder(
                        MessageIds.derived(message.messageId(), rule, "firehose:" + batched + "[0]"),
                        MessageIds.derived(message.messageId(), rule, "firehose:" + batched + "[1]"));
        ConsumerRecord<String, byte[]> whole = singleOut.await(1).get(0);
        assertThat(new String(whole.value(), UTF_8)).isEqualTo("[{\"a\":1},{\"a\":2}],");
        assertThat(KafkaRecords.header(whole, MessageHeaders.MESSAGE_ID))
                .isEqualTo(MessageIds.derived(message.messageId(), rule, "firehose:" + single));
    }

    @Test
    void dynamoDbV2ActionSendsEveryTopLevelFieldAsAnItemWhoseKeyTheTableSchemaPicks() {
        String fleet = "d2" + unique();
        String table = "v2_" + fleet;
        String rule = newRuleName("dynamov2");
        createRule(rule, """
                {"sql": "SELECT topic(3) AS device, ts, temp FROM 'iot/%s/+'",
                 "actions": [{"dynamoDBv2": {"roleArn": "arn:aws:iam::000000000000:role/ignored",
                                             "putItem": {"tableName": "%s"}}}]}""".formatted(fleet, table));
        KafkaRecords.Reader sink = kafka.reader(KafkaTopics.SINK_RECORDS);

        IotMessage message = kafka.send("iot/" + fleet + "/dev-3", "{\"ts\": 5, \"temp\": 19.5, \"other\": 1}");

        String id = MessageIds.derived(message.messageId(), rule, "dynamoDBv2:" + table);
        JsonNode record = null;
        while (record == null) {
            for (ConsumerRecord<String, byte[]> r : sink.await(sink.records.size() + 1)) {
                JsonNode value = json.readTree(r.value());
                if (value.get("sourceMessageId").asString().equals(id)) {
                    record = value;
                }
            }
        }
        assertThat(record.get("table").asString()).isEqualTo(table);
        assertThat(record.get("operation").asString()).isEqualTo("INSERT");
        assertThat(record.get("keysFromItem").asBoolean()).isTrue();
        assertThat(record.has("payloadField")).isFalse();
        assertThat(record.get("timestamp").asLong()).isEqualTo(KafkaRecords.T0);
        assertThat(record.get("item").get("device").asString()).isEqualTo("dev-3");
        assertThat(record.get("item").get("ts").asInt()).isEqualTo(5);
        assertThat(record.get("item").get("temp").decimalValue()).isEqualByComparingTo("19.5");
        assertThat(record.get("item").has("other")).isFalse();
    }

    @Test
    void republishActionRecordsAwsMqtt5HeadersRenderedFromTheMessageAsRecordHeaders() {
        String fleet = "rh" + unique();
        createRule(newRuleName("mqtt5"), """
                {"sql": "SELECT temp FROM 'iot/%s/+'",
                 "actions": [{"republish": {"topic": "out5/%s/${topic(3)}", "qos": 1, "headers": {
                     "payloadFormatIndicator": "UTF8_DATA", "contentType": "application/json",
                     "responseTopic": "reply/${topic(3)}", "correlationData": "${encode(topic(3), 'base64')}",
                     "messageExpiry": "${ttl}",
                     "userProperties": [{"key": "device", "value": "${topic(3)}"}, {"key": "k", "value": "v"}]}}}]}"""
                .formatted(fleet, fleet));
        KafkaRecords.Reader messages = kafka.reader(KafkaTopics.MESSAGES);

        kafka.send("iot/" + fleet + "/dev-5", "{\"temp\": 21, \"ttl\": 90}");

        String topic = "out5/" + fleet + "/dev-5";
        ConsumerRecord<String, byte[]> out = null;
        while (out == null) {
            out = messages.await(messages.records.size() + 1).stream().filter(r -> topic.equals(r.key()))
                    .findFirst().orElse(null);
        }
        assertThat(new String(out.value(), UTF_8)).isEqualTo("{\"temp\":21}");
        assertThat(KafkaRecords.header(out, MessageHeaders.QOS)).isEqualTo("1");
        assertThat(KafkaRecords.header(out, MessageHeaders.MQTT5_PAYLOAD_FORMAT_INDICATOR)).isEqualTo("UTF8_DATA");
        assertThat(KafkaRecords.header(out, MessageHeaders.MQTT5_CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(KafkaRecords.header(out, MessageHeaders.MQTT5_RESPONSE_TOPIC)).isEqualTo("reply/dev-5");
        assertThat(KafkaRecords.header(out, MessageHeaders.MQTT5_CORRELATION_DATA))
                .isEqualTo(java.util.Base64.getEncoder().encodeToString("dev-5".getBytes(UTF_8)));
        assertThat(KafkaRecords.header(out, MessageHeaders.MQTT5_MESSAGE_EXPIRY)).isEqualTo("90");
        List<JsonNode> properties = new java.util.ArrayList<>();
        out.headers().headers(MessageHeaders.MQTT5_USER_PROPERTY).forEach(h -> properties.add(json.readTree(h.value())));
        assertThat(properties).extracting(p -> p.get("key").asString() + "=" + p.get("value").asString())
                .containsExactly("device=dev-5", "k=v");
    }

    @Test
    void dynamoDbActionWithAnOperationSendsARecordKeyedByItsHashAndRangeKeys() {
        String fleet = "dop" + unique();
        String table = "op_" + fleet;
        String rule = newRuleName("dynamoop");
        createRule(rule, """
                {"sql": "SELECT temp, op FROM 'iot/%s/+'",
                 "actions": [{"dynamoDB": {"tableName": "%s", "operation": "${op}",
                   "hashKeyField": "device", "hashKeyValue": "${topic(3)}", "hashKeyType": "STRING",
                   "rangeKeyField": "seq", "rangeKeyValue": "${seq}", "rangeKeyType": "NUMBER",
                   "payloadField": "data"}}]}""".formatted(fleet, table));
        KafkaRecords.Reader sink = kafka.reader(KafkaTopics.SINK_RECORDS);

        IotMessage message = kafka.send("iot/" + fleet + "/dev-9", "{\"temp\": 3, \"op\": \"update\", \"seq\": 7}");

        String id = MessageIds.derived(message.messageId(), rule, "dynamoDB:" + table);
        JsonNode record = null;
        while (record == null) {
            for (ConsumerRecord<String, byte[]> r : sink.await(sink.records.size() + 1)) {
                JsonNode value = json.readTree(r.value());
                if (value.get("sourceMessageId").asString().equals(id)) {
                    record = value;
                }
            }
        }
        assertThat(record.get("table").asString()).isEqualTo(table);
        assertThat(record.get("operation").asString()).isEqualTo("UPDATE");
        assertThat(record.get("partitionKey").asString()).isEqualTo("dev-9");
        assertThat(record.get("partitionKeyName").asString()).isEqualTo("device");
        assertThat(record.get("partitionKeyType").asString()).isEqualTo("S");
        assertThat(record.get("sortKey").asString()).isEqualTo("7");
        assertThat(record.get("sortKeyName").asString()).isEqualTo("seq");
        assertThat(record.get("sortKeyType").asString()).isEqualTo("N");
        assertThat(record.get("payloadField").asString()).isEqualTo("data");
        assertThat(record.get("item").get("temp").asInt()).isEqualTo(3);
    }

    @Test
    void actionsInAwsShapesAreValidatedWhenTheRuleIsCreated() {
        assertRefused("""
                {"kafka": {"topic": "iot.messages", "clientProperties": {}}}""", "topic of the platform itself");
        assertRefused("""
                {"kafka": {"topic": "ok", "partition": "x"}}""", "partition");
        assertRefused("""
                {"kinesis": {"streamName": "bad name"}}""", "streamName");
        assertRefused("""
                {"firehose": {"deliveryStreamName": "d", "separator": ";"}}""", "separator");
        assertRefused("""
                {"dynamoDBv2": {"putItem": {}}}""", "putItem.tableName is required");
        assertRefused("""
                {"http": {"url": "ftp://example.com/x"}}""", "not an http or https URL");
        assertRefused("""
                {"http": {"url": "https://example.com/a/${topic()}"}}""", "confirmationUrl is required");
        assertRefused("""
                {"http": {"url": "https://other.com/x", "confirmationUrl": "https://example.com/"}}""",
                "must start with the confirmationUrl");
        assertRefused("""
                {"http": {"url": "https://example.com/x", "headers": [{"key": "Host", "value": "h"}]}}""",
                "cannot be set");
        assertRefused("""
                {"lambda": {"functionArn": "x"}}""", "supported: republish, dynamoDB, dynamoDBv2, kafka, kinesis, "
                + "firehose, http");
    }

    private void assertRefused(String action, String message) {
        ResponseEntity<String> response = post("/rules/" + newRuleName("invalid"),
                "{\"sql\": \"SELECT * FROM 'a'\", \"actions\": [" + action + "]}");
        assertThat(response.getStatusCode()).as(action).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(body(response).get("code").asString()).isEqualTo("InvalidRequestException");
        assertThat(body(response).get("message").asString()).as(action).contains(message);
    }

}
