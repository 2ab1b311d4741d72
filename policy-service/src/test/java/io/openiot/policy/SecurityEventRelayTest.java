package io.openiot.policy;

import static io.openiot.policy.PolicyTestCredentials.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.SecurityEvent;
import io.openiot.policy.event.OutboxRelay;
import io.openiot.testsupport.EmbeddedKafkaServer;
import io.openiot.testsupport.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/** Security events go through the outbox to iot.security-events, keyed by principal, once each, in order. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {PolicyApplication.CONFIG_NAME, PolicyTestCredentials.MASTER_KEY,
                "iot.policy.bootstrap.admin-client-id=" + PolicyTestCredentials.ADMIN_ID,
                "iot.policy.bootstrap.admin-client-secret=" + PolicyTestCredentials.ADMIN_SECRET,
                "iot.policy.events.relay-interval=50ms"})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecurityEventRelayTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "policy");
    }

    @LocalServerPort
    int port;

    @Autowired
    OutboxRelay relay;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void eachEventArrivesOnceKeyedByPrincipalAndInOrderAcrossARelayRestart() throws Exception {
        RestClient admin = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeader("Authorization", "Bearer " + PolicyTestCredentials.adminToken(port))
                .defaultStatusHandler(status -> true, (request, response) -> { }).build();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "relay-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(KafkaTopics.SECURITY_EVENTS));

            String id = json(admin.post().uri("/keys-and-certificate?setAsActive=true").retrieve().body(String.class))
                    .path("certificateId").asString();
            String arn = "arn:aws:iot:us-east-1:000000000000:cert/" + id;
            List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> poll(consumer, id, received) >= 1);

            relay.stop();
            assertThat(admin.put().uri("/certificates/{id}?newStatus=INACTIVE", id).retrieve().toBodilessEntity()
                    .getStatusCode()).isEqualTo(HttpStatus.OK);
            admin.put().uri("/certificates/{id}?newStatus=REVOKED", id).retrieve().toBodilessEntity();
            admin.post().uri("/policies/relay-policy").contentType(MediaType.APPLICATION_JSON)
                    .body("{\"policyDocument\":" + JSON.writeValueAsString(CertificatesAndPoliciesApiTest.ALLOW_LAMP)
                            + "}").retrieve().toBodilessEntity();
            admin.put().uri("/target-policies/relay-policy").contentType(MediaType.APPLICATION_JSON)
                    .body("{\"target\":\"" + arn + "\"}").retrieve().toBodilessEntity();
            admin.post().uri("/target-policies/relay-policy").contentType(MediaType.APPLICATION_JSON)
                    .body("{\"target\":\"" + arn + "\"}").retrieve().toBodilessEntity();
            // nothing is sent while the relay is down, and nothing is lost: the rows wait in the outbox
            Thread.sleep(500);
            poll(consumer, id, received);
            assertThat(received).hasSize(1);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE published_at IS NULL AND "
                    + "aggregate_key = ?", Integer.class, id)).isEqualTo(4);

            relay.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> poll(consumer, id, received) >= 5);
            // a little longer: no duplicate turns up late
            Thread.sleep(1000);
            poll(consumer, id, received);

            List<SecurityEvent> events = received.stream()
                    .map(r -> JSON.readValue(r.value(), SecurityEvent.class)).toList();
            assertThat(events).extracting(SecurityEvent::type).containsExactly(
                    SecurityEvent.Types.CERTIFICATE_CREATED, SecurityEvent.Types.CERTIFICATE_STATUS_CHANGED,
                    SecurityEvent.Types.CERTIFICATE_STATUS_CHANGED, SecurityEvent.Types.POLICY_ATTACHED,
                    SecurityEvent.Types.POLICY_DETACHED);
            assertThat(events).extracting(SecurityEvent::status).containsExactly("ACTIVE", "INACTIVE", "REVOKED",
                    null, null);
            assertThat(events).extracting(SecurityEvent::eventId).doesNotHaveDuplicates();
            assertThat(events).extracting(e -> Long.parseLong(e.eventId())).isSorted();
            assertThat(events.get(3).policyName()).isEqualTo("relay-policy");
            assertThat(events.get(3).target()).isEqualTo(arn);
            assertThat(received).allSatisfy(r -> assertThat(r.partition()).isEqualTo(received.get(0).partition()));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE published_at IS NULL", Integer.class))
                    .isZero();
        }
    }

    /** Adds the records keyed by {@code key}; returns how many there are now. */
    private static int poll(KafkaConsumer<byte[], byte[]> consumer, String key,
            List<ConsumerRecord<byte[], byte[]>> received) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.key() != null && new String(record.key(), StandardCharsets.UTF_8).equals(key)) {
                received.add(record);
            }
        }
        return received.size();
    }
}
