package io.openiot.rules.lookup;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * {@code get_thing_shadow} and {@code get_dynamodb} in the running service: a record on {@code iot.messages}, a rule
 * created through REST whose SELECT reads a shadow and a sink item over HTTP (a server answering as shadow-service
 * and sink-service do), the result read from the rule's Kafka action; and, with the shadow service failing, the
 * error action gets AWS's error payload.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ExternalFunctionsKafkaTest extends RulesServiceTestBase {

    private static final String ROLE = "arn:aws:iam::123456789012:role/ignored";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static KafkaProducer<String, byte[]> producer;
    private static final List<KafkaConsumer<String, byte[]>> consumers = new ArrayList<>();

    @BeforeAll
    static void clients() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedKafkaServer.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void close() {
        producer.close(Duration.ofSeconds(5));
        consumers.forEach(consumer -> consumer.close(Duration.ofSeconds(5)));
    }

    @Test
    void aRuleEnrichesMessagesWithTheThingsShadowAndItsSinkItem() {
        String fleet = "fn" + UUID.randomUUID().toString().substring(0, 8);
        String thing = "lamp-" + fleet;
        ShadowAndSinkEndpoint services = ShadowAndSinkEndpoint.shared();
        services.putShadow(thing, null, "{\"state\":{\"desired\":{\"mode\":\"eco\"},\"reported\":{\"mode\":\"on\"}},"
                + "\"metadata\":{},\"version\":7,\"timestamp\":1714564800}");
        services.putShadow(thing, "config", "{\"state\":{\"reported\":{\"limit\":30}},\"version\":2,"
                + "\"timestamp\":1714564800}");
        services.putItem("devices", thing, null, "{\"deviceId\":\"" + thing + "\",\"owner\":\"ana\"}");
        String out = "out-" + fleet;
        createRule(newRuleName("fn"), """
                {"sql": "SELECT temp, get_thing_shadow(topic(2), '%1$s').state.reported.mode AS mode, get_thing_shadow(topic(2), 'config', '%1$s').state.reported.limit AS limit, get_dynamodb('devices', 'deviceId', topic(2), '%1$s').owner AS owner FROM '%2$s/+/t' WHERE get_thing_shadow(topic(2), '%1$s').version > 5",
                 "awsIotSqlVersion": "2016-03-23",
                 "actions": [{"kafka": {"destinationArn": "arn:aws:iot:us-east-1:000000000000:ruledestination/vpc/x",
                   "topic": "%3$s", "clientProperties": {"bootstrap.servers": "elsewhere:9092"}}}]}
                """.formatted(ROLE, fleet, out));
        KafkaConsumer<String, byte[]> reader = reader(out);

        send(fleet + "/" + thing + "/t", "{\"temp\":21}");

        JsonNode result = awaitRecords(reader, 1).get(0);
        assertThat(result.toString()).isEqualTo("{\"temp\":21,\"mode\":\"on\",\"limit\":30,\"owner\":\"ana\"}");
        // each lookup once (WHERE and SELECT share the rule's cache), with the read-only client's token
        assertThat(services.requests()).filteredOn(request -> request.contains(thing)).containsExactlyInAnyOrder(
                "GET /things/" + thing + "/shadow sub=" + FUNCTIONS_CLIENT + " scope=iot:read",
                "GET /things/" + thing + "/shadow?name=config sub=" + FUNCTIONS_CLIENT + " scope=iot:read",
                "GET /tables/devices/items/" + thing + " sub=" + FUNCTIONS_CLIENT + " scope=iot:read");
    }

    @Test
    void whenTheShadowServiceFailsTheErrorActionGetsTheMessage() {
        String fleet = "fe" + UUID.randomUUID().toString().substring(0, 8);
        String thing = "pump-" + fleet;
        String out = "out-" + fleet;
        String errors = "errors-" + fleet;
        String rule = newRuleName("fnerr");
        createRule(rule, """
                {"sql": "SELECT get_thing_shadow(topic(2), '%1$s').version AS v FROM '%2$s/+/t'",
                 "awsIotSqlVersion": "2016-03-23",
                 "actions": [{"kafka": {"destinationArn": "arn:aws:iot:us-east-1:000000000000:ruledestination/vpc/x",
                   "topic": "%3$s", "clientProperties": {"bootstrap.servers": "elsewhere:9092"}}}],
                 "errorAction": {"kafka": {"destinationArn": "arn:aws:iot:us-east-1:000000000000:ruledestination/vpc/x",
                   "topic": "%4$s", "clientProperties": {"bootstrap.servers": "elsewhere:9092"}}}}
                """.formatted(ROLE, fleet, out, errors));
        KafkaConsumer<String, byte[]> outputs = reader(out);
        KafkaConsumer<String, byte[]> errorRecords = reader(errors);
        ShadowAndSinkEndpoint services = ShadowAndSinkEndpoint.shared();
        services.failWith(503);
        JsonNode error;
        try {
            send(fleet + "/" + thing + "/t", "{\"n\":1}");
            error = awaitRecords(errorRecords, 1).get(0);
        } finally {
            services.failWith(0);
        }
        assertThat(error.path("ruleName").asString()).isEqualTo(rule);
        assertThat(error.path("topic").asString()).isEqualTo(fleet + "/" + thing + "/t");
        assertThat(new String(Base64.getDecoder().decode(error.path("base64OriginalPayload").asString()), UTF_8))
                .isEqualTo("{\"n\":1}");
        assertThat(error.path("failures")).hasSize(1);
        assertThat(error.path("failures").get(0).path("failedResource").asString()).isEqualTo(out);
        assertThat(error.path("failures").get(0).path("errorMessage").asString())
                .contains("shadow-service answered 503");
        assertThat(outputs.poll(Duration.ofMillis(500)).count()).isZero();

        // once the service is back (and the back-off is over), the rule runs again; the thing has no shadow: v is left out
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            send(fleet + "/" + thing + "/t", "{\"n\":2}");
            return outputs.poll(Duration.ofMillis(1500)).count() > 0;
        });
    }

    @Test
    void theDryRunReadsTheShadowAndReportsALookupThatFailed() {
        String thing = "dry-" + UUID.randomUUID().toString().substring(0, 8);
        ShadowAndSinkEndpoint services = ShadowAndSinkEndpoint.shared();
        services.putShadow(thing, null, "{\"state\":{\"reported\":{\"mode\":\"eco\"}},\"version\":1}");
        String request = """
                {"topicRulePayload": {"sql": "SELECT get_thing_shadow(topic(2), '%s').state.reported.mode AS mode FROM 'dry/+'",
                  "awsIotSqlVersion": "2016-03-23", "actions": []},
                 "topic": "dry/%s", "payload": {}}""".formatted(ROLE, thing);

        JsonNode found = body(post("/rules/test", request));
        assertThat(found.path("matched").asBoolean()).isTrue();
        assertThat(found.path("output").toString()).isEqualTo("{\"mode\":\"eco\"}");

        services.failWith(500);
        JsonNode failed;
        try {
            failed = body(post("/rules/test", request.replace("dry/" + thing, "dry/" + thing + "-2")));
        } finally {
            services.failWith(0);
            awaitBackOff();
        }
        assertThat(failed.path("matched").asBoolean()).isFalse();
        assertThat(failed.path("lookupFailed").asString()).contains("shadow-service answered 500");
    }

    /** After a failure the service is not asked for the back-off (1 s in the tests); later tests want it asked. */
    private static void awaitBackOff() {
        try {
            Thread.sleep(1_200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void createRule(String name, String payload) {
        ResponseEntity<String> response = post("/rules/" + name, payload);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(HttpStatus.OK);
    }

    private static void send(String topic, String payload) {
        String id = UUID.randomUUID().toString();
        IotMessage message = new IotMessage(topic, payload.getBytes(UTF_8), 0, false, "sensor-1", null, null,
                System.currentTimeMillis(), id, id, "gateway/test", 0);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(KafkaTopics.MESSAGES, topic, message.payload());
        message.headers().forEach((name, value) -> record.headers().add(name, value));
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not produce a test record", e);
        }
    }

    private static KafkaConsumer<String, byte[]> reader(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "rules-functions-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        consumers.add(consumer);
        return consumer;
    }

    private List<JsonNode> awaitRecords(KafkaConsumer<String, byte[]> consumer, int count) {
        List<JsonNode> records = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(record -> records.add(json.readTree(record.value())));
            return records.size() >= count;
        });
        return records;
    }
}
