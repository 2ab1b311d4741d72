package io.openiot.policy;

import static io.openiot.policy.PolicyTestCredentials.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageHeaders;
import io.openiot.contracts.RegistryEvent;
import io.openiot.contracts.SecurityEvent;
import io.openiot.testsupport.EmbeddedKafkaServer;
import io.openiot.testsupport.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registry events on {@code iot.registry-events}, as registry-service's relay writes them (key = the event's key,
 * value = {@link RegistryEvent} JSON, header {@code iot_message_id} = the event id), feed the principal look-up,
 * test-authorization and {@code PrincipalThingChanged} security events.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {PolicyApplication.CONFIG_NAME, PolicyTestCredentials.MASTER_KEY,
                "iot.policy.bootstrap.admin-client-id=" + PolicyTestCredentials.ADMIN_ID,
                "iot.policy.bootstrap.admin-client-secret=" + PolicyTestCredentials.ADMIN_SECRET,
                "iot.policy.bootstrap.service-client-id=" + PolicyTestCredentials.SERVICE_ID,
                "iot.policy.bootstrap.service-client-secret=" + PolicyTestCredentials.SERVICE_SECRET,
                "iot.policy.events.relay-interval=50ms"})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RegistryProjectionTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ACCOUNT = "arn:aws:iot:us-east-1:000000000000:";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Commit times of the events a test sends, rising as the registry's would. */
    private static final AtomicLong CLOCK = new AtomicLong(1_800_000_000_000L);
    private static KafkaProducer<String, byte[]> producer;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "policy");
        // other cached contexts of this JVM consume in group policy-service with databases of their own
        String group = "policy-service-" + UUID.randomUUID();
        registry.add("spring.cloud.stream.bindings.registryEvents-in-0.group", () -> group);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    RestClient admin;
    RestClient services;

    @BeforeAll
    static void startProducer() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedKafkaServer.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopProducer() {
        producer.close();
    }

    @BeforeEach
    void clients() throws Exception {
        admin = as(PolicyTestCredentials.adminToken(port));
        services = as(PolicyTestCredentials.serviceToken(port));
    }

    private RestClient as(String token) {
        return RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeader("Authorization", "Bearer " + token)
                .defaultStatusHandler(status -> true, (request, response) -> { }).build();
    }

    // ---- the registry's events

    private static RegistryEvent.Thing thing(String name, String id, String type, Map<String, String> attributes,
            long version, List<String> groups, List<String> principals) {
        return new RegistryEvent.Thing(name, id, ACCOUNT + "thing/" + name, type, attributes, version, groups,
                principals);
    }

    private static RegistryEvent.ThingGroup group(String name, String parent) {
        return new RegistryEvent.ThingGroup(name, "id-" + name, ACCOUNT + "thinggroup/" + name, parent, null,
                Map.of(), 1);
    }

    private static RegistryEvent thingEvent(String type, RegistryEvent.Thing thing, String principal) {
        return new RegistryEvent(UUID.randomUUID().toString(), type, CLOCK.incrementAndGet(), thing.thingName(),
                thing, null, null, principal);
    }

    private static RegistryEvent groupEvent(String type, RegistryEvent.ThingGroup group) {
        return new RegistryEvent(UUID.randomUUID().toString(), type, CLOCK.incrementAndGet(), group.thingGroupName(),
                null, null, group, null);
    }

    private static RegistryEvent membership(String type, RegistryEvent.Thing thing, RegistryEvent.ThingGroup group) {
        return new RegistryEvent(UUID.randomUUID().toString(), type, CLOCK.incrementAndGet(), thing.thingName(),
                thing, null, group, null);
    }

    /** As registry-service's relay: key = the event's key, the id in a header, JSON value; waits for the ack. */
    private static void send(RegistryEvent... events) throws Exception {
        for (RegistryEvent event : events) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(KafkaTopics.REGISTRY_EVENTS, event.key(),
                    JSON.writeValueAsBytes(event));
            record.headers().add(new RecordHeader(MessageHeaders.MESSAGE_ID,
                    event.eventId().getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get(10, TimeUnit.SECONDS);
        }
    }

    // ---- this service's REST API

    private JsonNode ok(ResponseEntity<String> response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(HttpStatus.OK);
        return response.getBody() == null || response.getBody().isEmpty() ? null : json(response.getBody());
    }

    private JsonNode post(String uri, String body) {
        return ok(admin.post().uri(uri).contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(String.class));
    }

    private String newCertificate() {
        return post("/keys-and-certificate?setAsActive=true", "{}").path("certificateId").asString();
    }

    private void policy(String name, String document, String target) {
        post("/policies/" + name, "{\"policyDocument\":" + JSON.writeValueAsString(document) + "}");
        ok(admin.put().uri("/target-policies/{name}", name).contentType(MediaType.APPLICATION_JSON)
                .body("{\"target\":\"" + target + "\"}").retrieve().toEntity(String.class));
    }

    private static String allowPublish(String topic) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\","
                + "\"Resource\":\"" + ACCOUNT + "topic/" + topic + "\"}]}";
    }

    private JsonNode principal(String certificateId) {
        return ok(services.get().uri("/internal/principals/{id}", certificateId).retrieve().toEntity(String.class));
    }

    private int thingChangedEvents(String certificateId) {
        return jdbc.queryForObject("SELECT count(*) FROM outbox WHERE aggregate_key = ? AND event_type = ?",
                Integer.class, certificateId, SecurityEvent.Types.PRINCIPAL_THING_CHANGED);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void principalViewShowsTheAttachedThingAndThePoliciesOfItsGroupAndOfTheParentGroup() throws Exception {
        String u = suffix();
        String cert = newCertificate();
        String certArn = ACCOUNT + "cert/" + cert;
        String lamp = "lamp-" + u;
        policy("building-" + u, allowPublish("building/*"), ACCOUNT + "thinggroup/building-" + u);
        policy("room-" + u, allowPublish("room/*"), ACCOUNT + "thinggroup/room-" + u);
        RegistryEvent.ThingGroup building = group("building-" + u, null);
        RegistryEvent.ThingGroup room = group("room-" + u, "building-" + u);
        RegistryEvent.Thing created = thing(lamp, "t-" + u, "lamp", Map.of("floor", "2"), 1, List.of(), List.of());
        RegistryEvent.Thing attached = thing(lamp, "t-" + u, "lamp", Map.of("floor", "2"), 1, List.of(),
                List.of(certArn));
        RegistryEvent.Thing inRoom = thing(lamp, "t-" + u, "lamp", Map.of("floor", "2"), 1,
                List.of(room.thingGroupName()), List.of(certArn));

        try (KafkaConsumer<byte[], byte[]> securityEvents = securityEventsConsumer()) {
            // the membership (keyed by the thing) may overtake the group's own event (keyed by the group)
            send(groupEvent(RegistryEvent.THING_GROUP_CREATED, building),
                    thingEvent(RegistryEvent.THING_CREATED, created, null),
                    thingEvent(RegistryEvent.PRINCIPAL_ATTACHED, attached, certArn),
                    membership(RegistryEvent.THING_ADDED_TO_GROUP, inRoom, room));
            send(groupEvent(RegistryEvent.THING_GROUP_CREATED, room));

            await().atMost(WAIT).untilAsserted(() -> assertThat(principal(cert).path("thingGroupPolicies")
                    .findValuesAsString("policyName")).containsExactly("room-" + u, "building-" + u));
            JsonNode view = principal(cert);
            assertThat(view.path("thing").path("thingName").asString()).isEqualTo(lamp);
            assertThat(view.path("thingName").asString()).isEqualTo(lamp);
            assertThat(view.path("thing").path("thingTypeName").asString()).isEqualTo("lamp");
            assertThat(view.path("thing").path("attributes").path("floor").asString()).isEqualTo("2");
            assertThat(view.path("thing").path("attached").asBoolean()).isTrue();
            assertThat(view.path("things")).hasSize(1);
            assertThat(view.path("thing").path("thingGroupNames").get(0).asString()).isEqualTo(room.thingGroupName());
            JsonNode inherited = view.path("thingGroupPolicies").get(1);
            assertThat(inherited.path("thingGroupName").asString()).isEqualTo("building-" + u);
            assertThat(inherited.path("policyDocument").asString()).isEqualTo(allowPublish("building/*"));
            assertThat(inherited.path("policyVersionId").asString()).isEqualTo("1");
            // the certificate's own policies are unchanged and separate
            assertThat(view.path("policies")).isEmpty();

            // the gateway hears of the attachment and of the new group, keyed by the certificate
            List<SecurityEvent> received = new ArrayList<>();
            await().atMost(WAIT).until(() -> poll(securityEvents, cert, received) >= 2);

            // a policy attached to the parent group later reaches the member's certificate as an event too
            int before = thingChangedEvents(cert);
            policy("building-extra-" + u, allowPublish("extra/*"), ACCOUNT + "thinggroup/building-" + u);
            assertThat(thingChangedEvents(cert)).isEqualTo(before + 1);
            assertThat(principal(cert).path("thingGroupPolicies").findValuesAsString("policyName"))
                    .containsExactly("room-" + u, "building-" + u, "building-extra-" + u);
            await().atMost(WAIT).until(() -> poll(securityEvents, cert, received) >= before + 1);
            assertThat(received).allSatisfy(e -> {
                assertThat(e.type()).isEqualTo(SecurityEvent.Types.PRINCIPAL_THING_CHANGED);
                assertThat(e.certificateId()).isEqualTo(cert);
            });
        }
    }

    @Test
    void duplicatesAndReplaysAreAppliedOnceAndAnOlderVersionIsIgnored() throws Exception {
        String u = suffix();
        String cert = newCertificate();
        String certArn = ACCOUNT + "cert/" + cert;
        String name = "sensor-" + u;
        RegistryEvent created = thingEvent(RegistryEvent.THING_CREATED,
                thing(name, "t-" + u, null, Map.of("level", "1"), 1, List.of(), List.of()), null);
        RegistryEvent attached = thingEvent(RegistryEvent.PRINCIPAL_ATTACHED,
                thing(name, "t-" + u, null, Map.of("level", "1"), 1, List.of(), List.of(certArn)), certArn);
        RegistryEvent updated = thingEvent(RegistryEvent.THING_UPDATED,
                thing(name, "t-" + u, null, Map.of("level", "2"), 2, List.of(), List.of(certArn)), null);
        // an older state under a new event id (e.g. a stale copy from another path): version 1, earlier commit
        RegistryEvent stale = new RegistryEvent(UUID.randomUUID().toString(), RegistryEvent.THING_UPDATED,
                created.timestamp(), name, thing(name, "t-" + u, null, Map.of("level", "0"), 1, List.of(),
                        List.of()), null, null, null);

        send(created, attached, updated);
        // a relay resending its batch, then the whole history replayed, then the stale state
        send(attached, updated);
        send(created, attached, updated, stale);
        RegistryEvent last = thingEvent(RegistryEvent.THING_UPDATED,
                thing(name, "t-" + u, null, Map.of("level", "3"), 3, List.of(), List.of(certArn)), null);
        send(last);

        // events of one key are applied in order: once the last is visible, all before it were handled
        await().atMost(WAIT).untilAsserted(() -> assertThat(principal(cert).path("thing").path("attributes")
                .path("level").asString()).isEqualTo("3"));
        assertThat(principal(cert).path("things")).hasSize(1);
        // attached, updated, last: one event each; the duplicates and the stale state none
        assertThat(thingChangedEvents(cert)).isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM registry_event_applied WHERE event_id IN (?, ?, ?, ?, ?)",
                Integer.class, created.eventId(), attached.eventId(), updated.eventId(), stale.eventId(),
                last.eventId())).isEqualTo(5);
        assertThat(jdbc.queryForObject("SELECT version FROM projected_thing WHERE thing_name = ?", Long.class, name))
                .isEqualTo(3L);
    }

    @Test
    void detachingThePrincipalRemovesTheThingAndItsGroupPolicies() throws Exception {
        String u = suffix();
        String cert = newCertificate();
        String certArn = ACCOUNT + "cert/" + cert;
        String name = "plug-" + u;
        RegistryEvent.ThingGroup plugs = group("plugs-" + u, null);
        policy("plugs-" + u, allowPublish("plugs/*"), ACCOUNT + "thinggroup/plugs-" + u);
        send(groupEvent(RegistryEvent.THING_GROUP_CREATED, plugs),
                thingEvent(RegistryEvent.THING_CREATED, thing(name, "t-" + u, null, Map.of(), 1, List.of(),
                        List.of()), null),
                membership(RegistryEvent.THING_ADDED_TO_GROUP, thing(name, "t-" + u, null, Map.of(), 1,
                        List.of(plugs.thingGroupName()), List.of()), plugs),
                thingEvent(RegistryEvent.PRINCIPAL_ATTACHED, thing(name, "t-" + u, null, Map.of(), 1,
                        List.of(plugs.thingGroupName()), List.of(certArn)), certArn));
        await().atMost(WAIT).untilAsserted(() -> assertThat(principal(cert).path("thingGroupPolicies")
                .findValuesAsString("policyName")).containsExactly("plugs-" + u));
        int before = thingChangedEvents(cert);

        send(thingEvent(RegistryEvent.PRINCIPAL_DETACHED, thing(name, "t-" + u, null, Map.of(), 1,
                List.of(plugs.thingGroupName()), List.of()), certArn));

        await().atMost(WAIT).untilAsserted(() -> assertThat(principal(cert).path("things")).isEmpty());
        JsonNode view = principal(cert);
        assertThat(view.path("thing").isNull()).isTrue();
        assertThat(view.path("thingName").isNull()).isTrue();
        assertThat(view.path("thingGroupPolicies")).isEmpty();
        assertThat(thingChangedEvents(cert)).isEqualTo(before + 1);
    }

    @Test
    void aDeletedThingStaysDeletedWhenAnOlderUpdateArrivesLate() throws Exception {
        String u = suffix();
        String cert = newCertificate();
        String certArn = ACCOUNT + "cert/" + cert;
        String name = "valve-" + u;
        RegistryEvent.Thing v2 = thing(name, "t-" + u, null, Map.of("size", "2"), 2, List.of(), List.of(certArn));
        RegistryEvent lateUpdate = thingEvent(RegistryEvent.THING_UPDATED, v2);
        send(thingEvent(RegistryEvent.PRINCIPAL_ATTACHED, thing(name, "t-" + u, null, Map.of(), 1, List.of(),
                List.of(certArn)), certArn));
        await().atMost(WAIT).untilAsserted(() -> assertThat(principal(cert).path("things")).hasSize(1));

        // ThingDeleted carries the thing as it was; the update committed before it arrives after it
        send(thingEvent(RegistryEvent.THING_DELETED, v2), lateUpdate);

        await().atMost(WAIT).until(() -> jdbc.queryForObject("SELECT count(*) FROM registry_event_applied "
                + "WHERE event_id = ?", Integer.class, lateUpdate.eventId()) == 1);
        assertThat(principal(cert).path("things")).isEmpty();
        assertThat(principal(cert).path("thing").isNull()).isTrue();
        assertThat(jdbc.queryForObject("SELECT deleted FROM projected_thing WHERE thing_name = ?", Boolean.class,
                name)).isTrue();
    }

    @Test
    void testAuthorizationWithTheThingNameVariableAllowsTheThingsOwnTopicOnly() throws Exception {
        String u = suffix();
        String cert = newCertificate();
        String certArn = ACCOUNT + "cert/" + cert;
        String name = "meter-" + u;
        String other = "meter-other-" + u;
        policy("own-topic-" + u, allowPublish("meters/${iot:Connection.Thing.ThingName}/*"), certArn);
        // a group policy with an attribute variable: it applies through the thing's group
        policy("floor-" + u, allowPublish("floors/${iot:Connection.Thing.Attributes[floor]}/*"),
                ACCOUNT + "thinggroup/meters-" + u);
        RegistryEvent.ThingGroup meters = group("meters-" + u, null);
        send(groupEvent(RegistryEvent.THING_GROUP_CREATED, meters),
                membership(RegistryEvent.THING_ADDED_TO_GROUP, thing(name, "t-" + u, "meter", Map.of("floor", "7"),
                        1, List.of(meters.thingGroupName()), List.of(certArn)), meters),
                thingEvent(RegistryEvent.THING_CREATED, thing(other, "o-" + u, "meter", Map.of("floor", "8"), 1,
                        List.of(), List.of())));
        await().atMost(WAIT).untilAsserted(() -> assertThat(principal(cert).path("thing").path("thingName")
                .asString()).isEqualTo(name));

        JsonNode asThing = authorize(cert, name, "meters/" + name + "/state", "meters/" + other + "/state",
                "floors/7/x", "floors/8/x");
        assertThat(decisions(asThing)).containsExactly("ALLOWED", "IMPLICIT_DENY", "ALLOWED", "IMPLICIT_DENY");
        assertThat(asThing.get(0).path("allowed").path("policies").findValuesAsString("policyName"))
                .containsExactly("own-topic-" + u);
        assertThat(asThing.get(2).path("allowed").path("policies").findValuesAsString("policyName"))
                .containsExactly("floor-" + u);

        // another client id with the same certificate: the thing is not the client's, no variable resolves and
        // the group's policies do not apply (AWS)
        JsonNode asOther = authorize(cert, other, "meters/" + name + "/state", "meters/" + other + "/state",
                "floors/7/x");
        assertThat(decisions(asOther)).containsExactly("IMPLICIT_DENY", "IMPLICIT_DENY", "IMPLICIT_DENY");
    }

    private static RegistryEvent thingEvent(String type, RegistryEvent.Thing thing) {
        return thingEvent(type, thing, null);
    }

    private JsonNode authorize(String certificateId, String clientId, String... topics) {
        StringBuilder infos = new StringBuilder();
        for (String topic : topics) {
            infos.append(infos.isEmpty() ? "" : ",").append("{\"actionType\":\"PUBLISH\",\"resources\":[\"")
                    .append(ACCOUNT).append("topic/").append(topic).append("\"]}");
        }
        return post("/test-authorization?clientId=" + clientId, "{\"principal\":\"" + ACCOUNT + "cert/"
                + certificateId + "\",\"authInfos\":[" + infos + "]}").path("authResults");
    }

    private static List<String> decisions(JsonNode results) {
        List<String> decisions = new ArrayList<>();
        results.forEach(r -> decisions.add(r.path("authDecision").asString()));
        return decisions;
    }

    private static KafkaConsumer<byte[], byte[]> securityEventsConsumer() {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "projection-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(KafkaTopics.SECURITY_EVENTS));
        return consumer;
    }

    /** Adds the PrincipalThingChanged events keyed by {@code key}; returns how many there are now. */
    private static int poll(KafkaConsumer<byte[], byte[]> consumer, String key, List<SecurityEvent> received) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.key() != null && new String(record.key(), StandardCharsets.UTF_8).equals(key)) {
                SecurityEvent event = JSON.readValue(record.value(), SecurityEvent.class);
                if (SecurityEvent.Types.PRINCIPAL_THING_CHANGED.equals(event.type())) {
                    received.add(event);
                }
            }
        }
        return received.size();
    }
}
