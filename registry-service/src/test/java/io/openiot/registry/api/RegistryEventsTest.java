package io.openiot.registry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageHeaders;
import io.openiot.contracts.MessageIds;
import io.openiot.contracts.RegistryEvent;
import io.openiot.registry.events.OutboxRelay;
import io.openiot.testsupport.EmbeddedKafkaServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

class RegistryEventsTest extends RegistryApiTestBase {

    @Autowired
    OutboxRelay relay;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    KafkaConsumer<String, byte[]> consumer;
    final List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();

    @BeforeEach
    void consumer() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer = new KafkaConsumer<>(config);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(KafkaTopics.REGISTRY_EVENTS, KafkaTopics.MESSAGES)) {
            consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    @AfterEach
    void restore() {
        relay.start();
        consumer.close();
        patch("/event-configurations", Map.of("eventConfigurations", Map.of("THING", Map.of("Enabled", false))));
    }

    private List<RegistryEvent> eventsOf(String key) {
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
        return received.stream()
                .filter(r -> r.topic().equals(KafkaTopics.REGISTRY_EVENTS) && key.equals(r.key()))
                .map(r -> JSON.readValue(r.value(), RegistryEvent.class)).toList();
    }

    @Test
    void eventsCommittedWhileTheRelayIsStoppedArriveExactlyOnceInOrderAfterItRestarts() {
        relay.stop();
        String thing = p + "e";
        String cert = "arn:aws:iot:us-east-1:000000000000:cert/" + p;
        post("/things/" + thing, null).ok();
        patch("/things/" + thing, Map.of("attributePayload", Map.of("attributes", Map.of("a", "1")))).ok();
        put("/things/" + thing + "/principals", null, "x-amzn-principal", cert).ok();
        delete("/things/" + thing + "/principals", "x-amzn-principal", cert).ok();
        delete("/things/" + thing).ok();

        assertThat(jdbc.sql("SELECT count(*) FROM outbox WHERE aggregate_key = ? AND published_at IS NULL")
                .param(thing).query(Integer.class).single()).isEqualTo(5);
        assertThat(eventsOf(thing)).isEmpty();

        relay.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(thing).size() >= 5);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> eventsOf(thing).size() == 5);
        List<RegistryEvent> events = eventsOf(thing);
        assertThat(events).extracting(RegistryEvent::type).containsExactly(RegistryEvent.THING_CREATED,
                RegistryEvent.THING_UPDATED, RegistryEvent.PRINCIPAL_ATTACHED, RegistryEvent.PRINCIPAL_DETACHED,
                RegistryEvent.THING_DELETED);
        assertThat(events).extracting(RegistryEvent::eventId).doesNotHaveDuplicates();
        assertThat(events.get(1).thing().attributes()).containsEntry("a", "1");
        assertThat(events.get(1).thing().version()).isEqualTo(2);
        assertThat(events.get(2).thing().principals()).containsExactly(cert);
        assertThat(jdbc.sql("SELECT count(*) FROM outbox WHERE aggregate_key = ? AND published_at IS NULL")
                .param(thing).query(Integer.class).single()).isZero();
    }

    @Test
    void aCrashBetweenPublishAndMarkSendsAgainWithTheSameEventIdSoADeduplicatingConsumerSeesItOnce() {
        relay.stop();
        String thing = p + "c";
        post("/things/" + thing, null).ok();

        // the relay sends, then its transaction dies before the rows are stamped, as in a crash
        transactions.executeWithoutResult(status -> {
            assertThat(relay.relayOnce()).isPositive();
            status.setRollbackOnly();
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(thing).size() == 1);
        relay.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(thing).size() == 2);
        List<RegistryEvent> events = eventsOf(thing);
        assertThat(new LinkedHashSet<>(events.stream().map(RegistryEvent::eventId).toList())).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                "SELECT count(*) FROM outbox WHERE aggregate_key = ? AND published_at IS NULL").param(thing)
                .query(Integer.class).single() == 0);
    }

    @Test
    void typeGroupAndMembershipChangesWriteTheirEventsAndEnabledAwsMessagesInTheSameTransaction() {
        patch("/event-configurations", Map.of("eventConfigurations", Map.of("THING_GROUP_MEMBERSHIP",
                Map.of("Enabled", true)))).ok();
        try {
            post("/thing-types/" + p + "type", null).ok();
            post("/thing-types/" + p + "type/deprecate", Map.of()).ok();
            post("/thing-groups/" + p + "grp", null).ok();
            post("/things/" + p + "m", null).ok();
            put("/thing-groups/addThingToThingGroup", Map.of("thingName", p + "m", "thingGroupName", p + "grp")).ok();
            delete("/thing-groups/" + p + "grp").ok();
        } finally {
            patch("/event-configurations", Map.of("eventConfigurations", Map.of("THING_GROUP_MEMBERSHIP",
                    Map.of("Enabled", false)))).ok();
        }

        assertThat(outboxTypes(p + "type")).containsExactly(RegistryEvent.THING_TYPE_CREATED,
                RegistryEvent.THING_TYPE_UPDATED);
        assertThat(outboxTypes(p + "grp")).containsExactly(RegistryEvent.THING_GROUP_CREATED,
                RegistryEvent.THING_GROUP_DELETED);
        assertThat(outboxTypes(p + "m")).containsExactly(RegistryEvent.THING_CREATED,
                RegistryEvent.THING_ADDED_TO_GROUP, RegistryEvent.THING_REMOVED_FROM_GROUP);
        assertThat(jdbc.sql("SELECT aggregate_key FROM outbox WHERE kafka_topic = ? AND aggregate_key LIKE ?"
                        + " ORDER BY id")
                .params(KafkaTopics.MESSAGES, "%" + p + "%").query(String.class).list()).containsExactly(
                "$aws/events/thingGroupMembership/thingGroup/" + p + "grp/thing/" + p + "m/added",
                "$aws/events/thingGroupMembership/thingGroup/" + p + "grp/thing/" + p + "m/removed");
    }

    @Test
    void enabledTypeAssociationAndHierarchyEventsReachIotMessagesWithAwsTopicsAndPayloads() {
        patch("/event-configurations", Map.of("eventConfigurations", Map.of(
                "THING_TYPE_ASSOCIATION", Map.of("Enabled", true),
                "THING_GROUP_HIERARCHY", Map.of("Enabled", true)))).ok();
        String thing = p + "assoc";
        String thingId;
        String parentId;
        String childId;
        try {
            post("/thing-types/" + p + "ta", null).ok();
            post("/thing-types/" + p + "tb", null).ok();
            thingId = post("/things/" + thing, Map.of("thingTypeName", p + "ta")).ok().body().path("thingId")
                    .asString();
            patch("/things/" + thing, Map.of("thingTypeName", p + "tb")).ok();
            patch("/things/" + thing, Map.of("attributePayload", Map.of("attributes", Map.of("a", "1")))).ok();
            patch("/things/" + thing, Map.of("removeThingType", true)).ok();
            patch("/things/" + thing, Map.of("thingTypeName", p + "ta")).ok();
            delete("/things/" + thing).ok();
            parentId = post("/thing-groups/" + p + "parent", null).ok().body().path("thingGroupId").asString();
            childId = post("/thing-groups/" + p + "child", Map.of("parentGroupName", p + "parent")).ok().body()
                    .path("thingGroupId").asString();
            delete("/thing-groups/" + p + "child").ok();
        } finally {
            patch("/event-configurations", Map.of("eventConfigurations", Map.of(
                    "THING_TYPE_ASSOCIATION", Map.of("Enabled", false),
                    "THING_GROUP_HIERARCHY", Map.of("Enabled", false)))).ok();
        }

        String association = "$aws/events/thingTypeAssociation/thing/" + thing + "/";
        String hierarchy = "$aws/events/thingGroupHierarchy/thingGroup/" + p + "parent/childThingGroup/" + p + "child/";
        // an attribute-only update changes no association and sends nothing
        assertThat(jdbc.sql("SELECT aggregate_key || ' ' || (payload ->> 'operation') FROM outbox"
                        + " WHERE kafka_topic = ? AND aggregate_key LIKE ? ORDER BY id")
                .params(KafkaTopics.MESSAGES, "%" + p + "%").query(String.class).list()).containsExactly(
                association + p + "ta CREATED",
                association + p + "ta DELETED", association + p + "tb CREATED",
                association + p + "tb DELETED",
                association + p + "ta CREATED",
                association + p + "ta DELETED",
                hierarchy + "added ADDED",
                hierarchy + "removed REMOVED");

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            eventsOf(thing);
            return received.stream().anyMatch(r -> (hierarchy + "removed").equals(r.key()));
        });
        ConsumerRecord<String, byte[]> first = received.stream().filter(r -> (association + p + "ta").equals(r.key()))
                .findFirst().orElseThrow();
        var payload = JSON.readTree(first.value());
        assertThat(payload.propertyNames()).containsExactlyInAnyOrder("eventId", "eventType", "operation", "thingId",
                "thingName", "thingTypeName", "timestamp");
        assertThat(payload.path("eventType").asString()).isEqualTo("THING_TYPE_ASSOCIATION_EVENT");
        assertThat(payload.path("operation").asString()).isEqualTo("CREATED");
        assertThat(payload.path("thingId").asString()).isEqualTo(thingId);
        assertThat(payload.path("thingName").asString()).isEqualTo(thing);
        assertThat(payload.path("thingTypeName").asString()).isEqualTo(p + "ta");
        String createdEventId = eventsOf(thing).get(0).eventId();
        assertThat(payload.path("eventId").asString())
                .isEqualTo(MessageIds.derived(createdEventId, "registry", association + p + "ta"));
        assertThat(new String(first.headers().lastHeader(MessageHeaders.MESSAGE_ID).value(), StandardCharsets.UTF_8))
                .isEqualTo(payload.path("eventId").asString());

        for (String operation : List.of("added", "removed")) {
            var h = JSON.readTree(received.stream().filter(r -> (hierarchy + operation).equals(r.key())).findFirst()
                    .orElseThrow().value());
            assertThat(h.path("eventType").asString()).isEqualTo("THING_GROUP_HIERARCHY_EVENT");
            assertThat(h.path("operation").asString()).isEqualTo(operation.toUpperCase());
            assertThat(h.path("accountId").asString()).isEqualTo("000000000000");
            assertThat(h.path("thingGroupId").asString()).isEqualTo(parentId);
            assertThat(h.path("thingGroupName").asString()).isEqualTo(p + "parent");
            assertThat(h.path("childGroupId").asString()).isEqualTo(childId);
            assertThat(h.path("childGroupName").asString()).isEqualTo(p + "child");
            assertThat(h.path("eventId").asString()).isNotBlank();
            assertThat(h.path("timestamp").asLong()).isPositive();
        }
    }

    private List<String> outboxTypes(String key) {
        return jdbc.sql("SELECT event_type FROM outbox WHERE kafka_topic = ? AND aggregate_key = ? ORDER BY id")
                .params(KafkaTopics.REGISTRY_EVENTS, key).query(String.class).list();
    }

    @Test
    void enabledThingEventsReachIotMessagesOnAwsTopicsWithIdsDerivedFromTheEventId() {
        assertThat(get("/event-configurations").ok().body().path("eventConfigurations").path("THING")
                .path("Enabled").asBoolean()).isFalse();
        patch("/event-configurations", Map.of("eventConfigurations", Map.of("THING", Map.of("Enabled", true)))).ok();
        assertThat(get("/event-configurations").ok().body().path("eventConfigurations").path("THING")
                .path("Enabled").asBoolean()).isTrue();
        String thing = p + "aws";
        post("/things/" + thing, Map.of("attributePayload", Map.of("attributes", Map.of("floor", "3")))).ok();

        String topic = "$aws/events/thing/" + thing + "/created";
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            eventsOf(thing);
            return received.stream().anyMatch(r -> topic.equals(r.key()));
        });
        ConsumerRecord<String, byte[]> message = received.stream().filter(r -> topic.equals(r.key())).findFirst()
                .orElseThrow();
        var payload = JSON.readTree(message.value());
        assertThat(payload.path("eventType").asString()).isEqualTo("THING_EVENT");
        assertThat(payload.path("operation").asString()).isEqualTo("CREATED");
        assertThat(payload.path("thingName").asString()).isEqualTo(thing);
        assertThat(payload.path("versionNumber").asLong()).isEqualTo(1);
        assertThat(payload.path("attributes").path("floor").asString()).isEqualTo("3");
        assertThat(payload.path("accountId").asString()).isEqualTo("000000000000");
        String eventId = eventsOf(thing).get(0).eventId();
        assertThat(payload.path("eventId").asString()).isEqualTo(eventId);
        assertThat(new String(message.headers().lastHeader(MessageHeaders.MESSAGE_ID).value(),
                StandardCharsets.UTF_8)).isEqualTo(MessageIds.derived(eventId, "registry", topic));
        assertThat(new String(message.headers().lastHeader(MessageHeaders.MQTT_TOPIC).value(),
                StandardCharsets.UTF_8)).isEqualTo(topic);
    }
}
