package io.openiot.sink;

import org.springframework.context.annotation.Import;
import org.springframework.web.client.RestClient;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.SinkRecord;
import io.openiot.testsupport.EmbeddedKafkaServer;
import io.openiot.testsupport.ServiceEndpoints;
import io.openiot.testsupport.TestInfrastructure;
import io.openiot.testsupport.TestTokenIssuer;
import io.openiot.web.testing.TestAccessKeys;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sink service against real PostgreSQL and Kafka. Every test class extends this one so that they all share one
 * application context: two contexts would be two consumers in group {@code sink-service}, each writing the
 * partitions it got into its own database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {SinkApplication.CONFIG_NAME, "iot.sink.ingest.summary-interval=1s",
                // most tests write to new tables; SinkTableTest covers the setting off
                "iot.sink.auto-create-tables=true",
                // SqlAccessTest logs in as the read-only analyst role
                "iot.sink.analytics.reader-password=analyst-test",
                // a held-up batch is retried soon after the cause is gone
                "iot.sink.ingest.retry-max-backoff=1s"})
@Import(TestAccessKeys.class)
public abstract class SinkServiceTestBase {

    /** The access key the AWS SDK signs with; {@link TestAccessKeys} holds it where policy-service would. */
    protected static final String ACCESS_KEY = TestAccessKeys.ACCESS_KEY;
    protected static final String SECRET_KEY = TestAccessKeys.SECRET_KEY;

    /** A client with a token of every application scope that throws on an error status, as RestClient.create. */
    protected RestClient writer() {
        return RestClient.builder().baseUrl("http://localhost:" + port)
                .requestInterceptor(TestTokenIssuer.bearer(TestTokenIssuer.shared().adminToken())).build();
    }

    private static KafkaProducer<String, byte[]> producer;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "sink");
        TestTokenIssuer.registerAsPlatformIssuer(registry);
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JsonMapper json;

    /** A table name no other test uses. */
    protected static String newTable() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Produces a record as the rules service does: key {@code table|partitionKey}, value the SinkRecord as JSON. */
    protected void send(SinkRecord record) {
        send(record.kafkaKey(), json.writeValueAsBytes(record));
    }

    protected void send(String key, String value) {
        send(key, value.getBytes(StandardCharsets.UTF_8));
    }

    protected static void send(String key, byte[] value) {
        sendTo(KafkaTopics.SINK_RECORDS, key, value);
    }

    protected static synchronized void sendTo(String topic, String key, byte[] value) {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        }
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not produce a test record", e);
        }
    }

    @AfterAll
    static synchronized void closeProducer() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }

    /** The dead-letter topic's name, as the contract derives it. */
    protected static final String DEAD_LETTER_TOPIC = KafkaTopics.SINK_RECORDS + ".sink-service.dlq";

    /** One record on the dead-letter topic: its value as text and its headers as UTF-8 text. */
    protected record DeadLetter(String value, Map<String, String> headers) {
    }

    /** Everything on the dead-letter topic so far, read with a plain consumer (no group). */
    protected static List<DeadLetter> deadLetters() {
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(DEAD_LETTER_TOPIC, Duration.ofSeconds(30))
                    .stream().map(info -> new TopicPartition(DEAD_LETTER_TOPIC, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline
                    && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Map<String, String> headers = new HashMap<>();
                    record.headers().forEach(header -> headers.put(header.key(),
                            new String(header.value(), StandardCharsets.UTF_8)));
                    letters.add(new DeadLetter(record.value() == null ? null
                            : new String(record.value(), StandardCharsets.UTF_8), headers));
                }
            }
        }
        return letters;
    }

    protected SinkRecord record(String table, String partitionKey, long timestamp, String body) {
        return new SinkRecord(table, partitionKey, null, json.readTree(body), UUID.randomUUID().toString(), timestamp);
    }

    /** GET on the service with a read token; never throws for an error status, so tests can look at problems. */
    protected ResponseEntity<String> get(String uri) {
        return ServiceEndpoints.client(port, TestTokenIssuer.shared().token("sink-reader", TestTokenIssuer.READ))
                .get().uri(uri).retrieve().toEntity(String.class);
    }

    protected JsonNode getJson(String uri) {
        ResponseEntity<String> response = get(uri);
        if (!response.getStatusCode().is2xxSuccessful()) {
            throw new AssertionError("GET " + uri + " answered " + response.getStatusCode() + ": " + response.getBody());
        }
        return json.readTree(response.getBody());
    }
}
