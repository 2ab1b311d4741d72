package io.openiot.shadow.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageHeaders;
import io.openiot.contracts.MessageIds;
import io.openiot.shadow.ShadowServiceTestBase;
import io.openiot.shadow.document.ShadowJson;
import io.openiot.testsupport.EmbeddedKafkaServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The MQTT interface at the Kafka level: a device's request is a record on {@code iot.messages} as the gateway writes
 * it, and the answers are records on {@code iot.messages} that every gateway replica delivers.
 */
class ShadowMqttKafkaTest extends ShadowServiceTestBase {

    @Autowired
    DataSource dataSource;

    private static KafkaProducer<String, byte[]> producer;
    private static KafkaConsumer<String, byte[]> consumer;
    private static final List<ConsumerRecord<String, byte[]>> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void clients() {
        String brokers = EmbeddedKafkaServer.bootstrapServers();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "shadow-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(KafkaTopics.MESSAGES));
    }

    @AfterAll
    static void close() {
        producer.close();
        consumer.close();
    }

    @Test
    void checksTheBindingAgainstTheContracts() {
        assertThat(KafkaTopics.MESSAGES).isEqualTo("iot.messages");
    }

    @Test
    void anUpdateIsAnsweredOnAcceptedDeltaAndDocumentsWithIdsDerivedFromTheRequest() {
        String prefix = "$aws/things/mqtt-lamp/shadow";
        IotMessage request = send(prefix + "/update",
                "{\"state\":{\"desired\":{\"color\":\"RED\"},\"reported\":{\"color\":\"GREEN\"}},\"clientToken\":\"c1\"}");

        ConsumerRecord<String, byte[]> accepted = awaitRecord(prefix + "/update/accepted", 0);
        ConsumerRecord<String, byte[]> delta = awaitRecord(prefix + "/update/delta", 0);
        ConsumerRecord<String, byte[]> documents = awaitRecord(prefix + "/update/documents", 0);

        assertThat(json(accepted).get("version").asLong()).isEqualTo(1);
        assertThat(json(accepted).get("clientToken").asString()).isEqualTo("c1");
        assertThat(json(delta).get("state")).isEqualTo(ShadowJson.read("{\"color\":\"RED\"}"));
        assertThat(json(delta).get("version")).isEqualTo(json(accepted).get("version"));
        assertThat(json(delta).get("timestamp")).isEqualTo(json(accepted).get("timestamp"));
        assertThat(json(documents).path("current").path("version").asLong()).isEqualTo(1);
        assertThat(header(accepted, MessageHeaders.MESSAGE_ID))
                .isEqualTo(MessageIds.derived(request.messageId(), "shadow", prefix + "/update/accepted"));
        assertThat(header(accepted, MessageHeaders.TRACE_ID)).isEqualTo(request.traceId());
        assertThat(header(accepted, MessageHeaders.ORIGIN)).isEqualTo("shadow-service");
        assertThat(header(accepted, MessageHeaders.HOP_COUNT)).isEqualTo("1");
    }

    @Test
    void getAnswersWithTheDeltaAndAnUnknownShadowIsRejectedWith404() {
        String prefix = "$aws/things/mqtt-sensor/shadow/name/cfg";
        send(prefix + "/get", "{\"clientToken\":\"g0\"}");
        JsonNode rejected = json(awaitRecord(prefix + "/get/rejected", 0));
        send(prefix + "/update", "{\"state\":{\"desired\":{\"rate\":5}}}");
        awaitRecord(prefix + "/update/accepted", 0);
        send(prefix + "/get", "{\"clientToken\":\"g1\"}");
        JsonNode accepted = json(awaitRecord(prefix + "/get/accepted", 0));

        assertThat(rejected.get("code").asInt()).isEqualTo(404);
        assertThat(rejected.get("message").asString()).isEqualTo("No shadow exists with name: 'cfg'");
        assertThat(rejected.get("clientToken").asString()).isEqualTo("g0");
        assertThat(accepted.path("state").path("delta")).isEqualTo(ShadowJson.read("{\"rate\":5}"));
        assertThat(accepted.get("clientToken").asString()).isEqualTo("g1");
    }

    @Test
    void badRequestsAreRejectedWithAwsMessagesAndNeverStopThePartition() {
        String prefix = "$aws/things/mqtt-bad/shadow";
        send(prefix + "/update", "{not json");
        send(prefix + "/update", "{\"state\":{\"desired\":{\"a\":1}},\"version\":9,\"clientToken\":\"v\"}");
        send(prefix + "/update", "{\"state\":{\"desired\":{\"a\":1}}}");

        JsonNode invalid = json(awaitRecord(prefix + "/update/rejected", 0));
        JsonNode conflict = json(awaitRecord(prefix + "/update/rejected", 1));
        JsonNode accepted = json(awaitRecord(prefix + "/update/accepted", 0));

        assertThat(invalid.get("code").asInt()).isEqualTo(400);
        assertThat(invalid.get("message").asString()).isEqualTo("Invalid JSON");
        assertThat(conflict.get("code").asInt()).isEqualTo(409);
        assertThat(conflict.get("message").asString()).isEqualTo("Version conflict");
        assertThat(conflict.get("clientToken").asString()).isEqualTo("v");
        assertThat(accepted.get("version").asLong()).isEqualTo(1);
    }

    @Test
    void aRedeliveredUpdateIsAppliedOnce() {
        String prefix = "$aws/things/mqtt-redelivered/shadow";
        IotMessage first = message(prefix + "/update", "{\"state\":{\"reported\":{\"n\":1}}}");
        produce(first);
        awaitRecord(prefix + "/update/accepted", 0);
        produce(first);
        send(prefix + "/update", "{\"state\":{\"reported\":{\"n\":2}}}");
        JsonNode second = json(awaitRecord(prefix + "/update/accepted", 1));

        assertThat(second.get("version").asLong()).isEqualTo(2);
        assertThat(records(prefix + "/update/accepted")).hasSize(2);
    }

    @Test
    void responsesKeepTheOrderOfTheRequests() {
        String prefix = "$aws/things/mqtt-ordered/shadow";
        for (int i = 1; i <= 20; i++) {
            send(prefix + "/update", "{\"state\":{\"reported\":{\"n\":" + i + "}},\"clientToken\":\"t" + i + "\"}");
        }

        await().atMost(60, TimeUnit.SECONDS).until(() -> records(prefix + "/update/accepted").size() >= 20);
        List<Long> versions = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records(prefix + "/update/accepted")) {
            versions.add(json(r).get("version").asLong());
            tokens.add(json(r).get("clientToken").asString());
        }
        assertThat(versions).isSorted().hasSize(20).startsWith(1L).endsWith(20L);
        assertThat(tokens.get(0)).isEqualTo("t1");
        assertThat(tokens.get(19)).isEqualTo("t20");
    }

    @Test
    void deleteIsAcceptedWithTheVersionAndARecreatedShadowContinuesIt() {
        String prefix = "$aws/things/mqtt-deleted/shadow/name/x";
        send(prefix + "/update", "{\"state\":{\"reported\":{\"a\":1}}}");
        awaitRecord(prefix + "/update/accepted", 0);
        send(prefix + "/delete", "");
        JsonNode deleted = json(awaitRecord(prefix + "/delete/accepted", 0));
        send(prefix + "/delete", "{\"clientToken\":\"d2\"}");
        JsonNode again = json(awaitRecord(prefix + "/delete/rejected", 0));
        send(prefix + "/update", "{\"state\":{\"reported\":{\"a\":2}}}");
        JsonNode recreated = json(awaitRecord(prefix + "/update/accepted", 1));

        assertThat(deleted.get("version").asLong()).isEqualTo(1);
        assertThat(deleted.has("timestamp")).isTrue();
        assertThat(again.get("code").asInt()).isEqualTo(404);
        assertThat(again.get("clientToken").asString()).isEqualTo("d2");
        assertThat(recreated.get("version").asLong()).isEqualTo(2);
    }

    @Test
    void anUpdateOverRestPublishesTheSameMessagesAsOneOverMqtt() throws Exception {
        String prefix = "$aws/things/rest-lamp/shadow";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/things/rest-lamp/shadow"))
                        .header("Authorization", bearer())
                .POST(HttpRequest.BodyPublishers.ofString("{\"state\":{\"desired\":{\"on\":true}},"
                        + "\"clientToken\":\"r1\"}")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());

        JsonNode accepted = json(awaitRecord(prefix + "/update/accepted", 0));
        JsonNode delta = json(awaitRecord(prefix + "/update/delta", 0));
        awaitRecord(prefix + "/update/documents", 0);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ShadowJson.read(response.body())).isEqualTo(accepted);
        assertThat(accepted.get("clientToken").asString()).isEqualTo("r1");
        assertThat(delta.get("state")).isEqualTo(ShadowJson.read("{\"on\":true}"));
    }

    @Test
    void writersOverMqttAndRestAtOnceLoseNoUpdate() throws Exception {
        String thing = "mixed-writers";
        String prefix = "$aws/things/" + thing + "/shadow";
        HttpClient http = HttpClient.newHttpClient();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(25);
        List<java.util.concurrent.Future<Integer>> rest = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            int writer = i;
            rest.add(pool.submit(() -> http.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/things/" + thing + "/shadow"))
                            .header("Authorization", bearer())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"state\":{\"reported\":{\"rest" + writer
                            + "\":" + writer + "}}}")).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()));
            send(prefix + "/update", "{\"state\":{\"reported\":{\"mqtt" + i + "\":" + i + "}}}");
        }
        for (java.util.concurrent.Future<Integer> status : rest) {
            assertThat(status.get(60, TimeUnit.SECONDS)).isEqualTo(200);
        }
        pool.shutdown();
        await().atMost(60, TimeUnit.SECONDS).until(() -> records(prefix + "/update/accepted").size() >= 50);

        HttpResponse<String> shadow = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/things/" + thing + "/shadow"))
                        .header("Authorization", bearer()).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode document = ShadowJson.read(shadow.body());
        assertThat(document.get("version").asLong()).isEqualTo(50);
        assertThat(document.path("state").path("reported").size()).isEqualTo(50);
        for (int i = 0; i < 25; i++) {
            assertThat(document.path("state").path("reported").path("rest" + i).asInt(-1)).isEqualTo(i);
            assertThat(document.path("state").path("reported").path("mqtt" + i).asInt(-1)).isEqualTo(i);
        }
        assertThat(records(prefix + "/update/accepted")).extracting(r -> json(r).get("version").asLong())
                .doesNotHaveDuplicates().hasSize(50);
    }

    @Test
    void aRequestWaitsOutADatabaseOutageAndIsAppliedOnceWhenItEnds() throws Exception {
        String prefix = "$aws/things/mqtt-outage/shadow";
        try (Connection blocker = dataSource.getConnection()) {
            String database;
            try (Statement sql = blocker.createStatement()) {
                ResultSet name = sql.executeQuery("SELECT current_database()");
                name.next();
                database = name.getString(1);
                // the service's next connections give up on a lock after 300 ms, like queries against a dead server
                sql.execute("ALTER DATABASE \"" + database + "\" SET lock_timeout = '300ms'");
                dropOtherConnections(sql);
            }
            blocker.setAutoCommit(false);
            try (Statement sql = blocker.createStatement()) {
                sql.execute("LOCK TABLE shadow IN ACCESS EXCLUSIVE MODE");
            }
            send(prefix + "/update", "{\"state\":{\"reported\":{\"up\":true}}}");
            Thread.sleep(2_000);
            assertThat(records(prefix + "/update/accepted")).isEmpty();
            assertThat(records(prefix + "/update/rejected")).isEmpty();

            blocker.rollback();
            blocker.setAutoCommit(true);
            try (Statement sql = blocker.createStatement()) {
                sql.execute("ALTER DATABASE \"" + database + "\" RESET lock_timeout");
                dropOtherConnections(sql);
            }
        }

        JsonNode accepted = json(awaitRecord(prefix + "/update/accepted", 0));
        assertThat(accepted.get("version").asLong()).isEqualTo(1);
        Thread.sleep(500);
        assertThat(records(prefix + "/update/accepted")).hasSize(1);
    }

    private static void dropOtherConnections(Statement sql) throws Exception {
        sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE datname = current_database() AND pid <> pg_backend_pid()");
    }

    private static IotMessage send(String topic, String payload) {
        IotMessage message = message(topic, payload);
        produce(message);
        return message;
    }

    private static IotMessage message(String topic, String payload) {
        String id = MessageIds.newEntryId();
        return new IotMessage(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false, "device-1", "device",
                null, System.currentTimeMillis(), id, id, "gateway/test", 0);
    }

    private static void produce(IotMessage message) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(KafkaTopics.MESSAGES, message.topic(),
                message.payload());
        message.headers().forEach((name, value) -> record.headers().add(name, value));
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code index}-th record on {@code topic}, polling until it arrives. */
    private static ConsumerRecord<String, byte[]> awaitRecord(String topic, int index) {
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                .until(() -> records(topic).size() > index);
        return records(topic).get(index);
    }

    private static synchronized List<ConsumerRecord<String, byte[]>> records(String topic) {
        consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        return seen.stream().filter(r -> topic.equals(r.key())).toList();
    }

    private static JsonNode json(ConsumerRecord<String, byte[]> record) {
        return ShadowJson.read(new String(record.value(), StandardCharsets.UTF_8));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
