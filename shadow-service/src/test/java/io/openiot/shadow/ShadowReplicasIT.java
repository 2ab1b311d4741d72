package io.openiot.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageIds;
import io.openiot.shadow.document.ShadowJson;
import io.openiot.testsupport.EmbeddedKafkaServer;
import io.openiot.testsupport.EmbeddedPostgresServer;
import io.openiot.testsupport.TestTokenIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two shadow-service replicas in one consumer group on the same database and Kafka, as in production: MQTT requests
 * are split between them by partition (and move when one stops), REST updates reach either one and meet at the
 * shadow's row lock. Slow (two application contexts, a replica stopped mid-stream), hence an IT:
 * {@code ./mvnw -pl shadow-service -am verify -Dit.test=ShadowReplicasIT -DskipTests=false}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ShadowReplicasIT {

    private static final String GROUP = "shadow-service";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;
    private static KafkaProducer<String, byte[]> producer;
    private static KafkaConsumer<String, byte[]> consumer;
    private static final List<ConsumerRecord<String, byte[]>> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startTwoReplicas() {
        EmbeddedPostgresServer.DatabaseCoordinates database = EmbeddedPostgresServer.freshDatabase("shadowreplicas");
        String brokers = EmbeddedKafkaServer.bootstrapServers();
        // as command-line arguments: they override shadow-service.yml, as the environment does in production
        String[] arguments = {
                "--server.port=0",
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--spring.kafka.bootstrap-servers=" + brokers,
                "--spring.cloud.stream.kafka.binder.brokers=" + brokers,
                "--iot.security.platform-issuer-uri=" + TestTokenIssuer.shared().issuerUri()};
        first = ShadowApplication.application().run(arguments);
        second = ShadowApplication.application().run(arguments);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "replicas-test-" + RUN,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(KafkaTopics.MESSAGES));
        // both replicas (2 consumer threads each) hold partitions before anything is sent
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            await().atMost(2, TimeUnit.MINUTES).pollInterval(Duration.ofMillis(500)).until(() -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all()
                        .get(10, TimeUnit.SECONDS).get(GROUP);
                return group.members().size() == 4
                        && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
            });
        }
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {first, second}) {
            if (context != null && context.isActive()) {
                context.close();
            }
        }
        if (producer != null) {
            producer.close();
        }
        if (consumer != null) {
            consumer.close();
        }
    }

    @Test
    @Order(1)
    void restUpdatesOfOneShadowThroughBothReplicasAtOnceAreNeverLost() throws Exception {
        String thing = "replicas-rest-" + RUN;
        List<Integer> ports = List.of(port(first), port(second));
        HttpClient http = HttpClient.newHttpClient();
        int writers = 20;
        int updatesEach = 10;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        Set<Long> versions = ConcurrentHashMap.newKeySet();
        Set<String> acceptedKeys = ConcurrentHashMap.newKeySet();
        List<Future<Integer>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                int failures = 0;
                for (int i = 0; i < updatesEach; i++) {
                    String key = "w" + writer + "_" + i;
                    // writers alternate between the replicas, so both update the shadow all the time
                    int port = ports.get((writer + i) % 2);
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                    URI.create("http://localhost:" + port + "/things/" + thing + "/shadow"))
                            .header("Authorization", "Bearer " + TestTokenIssuer.shared().adminToken())
                            .POST(HttpRequest.BodyPublishers.ofString("{\"state\":{\"reported\":{\"" + key + "\":"
                                    + i + "}}}"))
                            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        versions.add(ShadowJson.read(response.body()).get("version").asLong());
                        acceptedKeys.add(key);
                    } else {
                        failures++;
                    }
                }
                return failures;
            }));
        }
        int failures = 0;
        for (Future<Integer> f : done) {
            failures += f.get(4, TimeUnit.MINUTES);
        }
        pool.shutdown();

        HttpResponse<String> shadow = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + ports.get(0) + "/things/" + thing + "/shadow"))
                .header("Authorization", "Bearer " + TestTokenIssuer.shared().adminToken()).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode document = ShadowJson.read(shadow.body());
        assertThat(failures).isZero();
        assertThat(acceptedKeys).hasSize(writers * updatesEach);
        assertThat(versions).as("every accepted update got a version of its own").hasSize(acceptedKeys.size());
        assertThat(document.get("version").asLong()).isEqualTo(acceptedKeys.size());
        for (String key : acceptedKeys) {
            assertThat(document.path("state").path("reported").has(key)).as(key).isTrue();
        }
    }

    @Test
    @Order(2)
    void mqttRequestsAreAnsweredOnceInOrderWhileOneReplicaStopsAndItsPartitionsMove() throws Exception {
        int shadows = 30;
        int rounds = 20;
        String prefix = "replicas-mqtt-" + RUN + "-";
        for (int round = 0; round < rounds; round++) {
            if (round == rounds / 2) {
                // requests of the first half are still queued or being applied when the first replica goes
                first.close();
            }
            for (int s = 0; s < shadows; s++) {
                String topic = "$aws/things/" + prefix + s + "/shadow/update";
                String payload = "{\"state\":{\"reported\":{\"round\":" + round + "}},\"clientToken\":\"" + s + "-"
                        + round + "\"}";
                String id = MessageIds.newEntryId();
                IotMessage message = new IotMessage(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false,
                        "device-" + s, "device", null, System.currentTimeMillis(), id, id, "gateway/test", 0);
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(KafkaTopics.MESSAGES, topic,
                        message.payload());
                message.headers().forEach((name, value) -> record.headers().add(name, value));
                producer.send(record);
            }
        }
        producer.flush();

        await().atMost(4, TimeUnit.MINUTES).pollInterval(Duration.ofMillis(200))
                .until(() -> accepted(prefix).size() >= shadows * rounds);
        Thread.sleep(2_000); // anything answered twice would arrive now
        List<ConsumerRecord<String, byte[]>> accepted = accepted(prefix);

        assertThat(accepted).hasSize(shadows * rounds);
        Map<String, Long> versionOfToken = new ConcurrentHashMap<>();
        Map<String, List<Long>> versionsOfShadow = new ConcurrentHashMap<>();
        for (ConsumerRecord<String, byte[]> r : accepted) {
            JsonNode body = ShadowJson.read(new String(r.value(), StandardCharsets.UTF_8));
            assertThat(versionOfToken.put(body.get("clientToken").asString(), body.get("version").asLong()))
                    .as("answered once").isNull();
            versionsOfShadow.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(body.get("version").asLong());
        }
        for (int s = 0; s < shadows; s++) {
            for (int round = 0; round < rounds; round++) {
                assertThat(versionOfToken.get(s + "-" + round)).as("shadow %d round %d", s, round)
                        .isEqualTo(round + 1L);
            }
        }
        List<Long> consecutive = java.util.stream.LongStream.rangeClosed(1, rounds).boxed().toList();
        assertThat(versionsOfShadow.values()).allSatisfy(v -> assertThat(v).containsExactlyElementsOf(consecutive));
        assertThat(records(r -> r.key().startsWith("$aws/things/" + prefix) && r.key().endsWith("/rejected")))
                .isEmpty();
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static List<ConsumerRecord<String, byte[]>> accepted(String prefix) {
        return records(r -> r.key().startsWith("$aws/things/" + prefix) && r.key().endsWith("/update/accepted"));
    }

    private static synchronized List<ConsumerRecord<String, byte[]>> records(
            java.util.function.Predicate<ConsumerRecord<String, byte[]>> filter) {
        consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        return seen.stream().filter(r -> r.key() != null && filter.test(r)).toList();
    }
}
