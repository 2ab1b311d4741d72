package io.openiot.registry.events;

import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.RegistryEvent;
import java.time.Clock;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the event of a registry change into the outbox, in the transaction of the change (it refuses to run
 * outside one), so that the event exists exactly when the change does. When the matching AWS event type is enabled
 * it also writes AWS's registry event message for {@code iot.messages}.
 */
@Component
public class EventOutbox {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final AwsEventMessages aws;
    private final RegistrySnapshots snapshots;

    EventOutbox(JdbcClient jdbc, JsonMapper json, Clock clock, AwsEventMessages aws, RegistrySnapshots snapshots) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.aws = aws;
        this.snapshots = snapshots;
    }

    /** A thing was created, updated, or its principals changed: the event carries it as it is now. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void thing(String type, String thingName) {
        thing(type, snapshots.thing(thingName).orElseThrow(), null);
    }

    /** A thing was updated; {@code previousThingType} (or null) tells whether its type association changed. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void thingUpdated(String thingName, String previousThingType) {
        RegistryEvent.Thing thing = snapshots.thing(thingName).orElseThrow();
        append(new RegistryEvent(UUID.randomUUID().toString(), RegistryEvent.THING_UPDATED, clock.millis(),
                thing.thingName(), thing, null, null, null), previousThingType);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void principal(String type, String thingName, String principal) {
        thing(type, snapshots.thing(thingName).orElseThrow(), principal);
    }

    /** A thing was deleted; {@code before} is what it was. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void thing(String type, RegistryEvent.Thing before, String principal) {
        append(new RegistryEvent(UUID.randomUUID().toString(), type, clock.millis(), before.thingName(), before, null,
                null, principal));
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void thingType(String type, RegistryEvent.ThingType thingType) {
        append(new RegistryEvent(UUID.randomUUID().toString(), type, clock.millis(), thingType.thingTypeName(), null,
                thingType, null, null));
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void thingGroup(String type, RegistryEvent.ThingGroup group) {
        append(new RegistryEvent(UUID.randomUUID().toString(), type, clock.millis(), group.thingGroupName(), null,
                null, group, null));
    }

    /** A thing joined or left a group: keyed by the thing, carrying the thing and the group. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void membership(String type, String thingName, String groupName) {
        append(new RegistryEvent(UUID.randomUUID().toString(), type, clock.millis(), thingName,
                snapshots.thing(thingName).orElseThrow(), null, snapshots.thingGroup(groupName).orElseThrow(), null));
    }

    private void append(RegistryEvent event) {
        append(event, null);
    }

    private void append(RegistryEvent event, String previousThingType) {
        insert(KafkaTopics.REGISTRY_EVENTS, event.key(), event.eventId(), event.type(), json.writeValueAsString(event));
        aws.messagesFor(event, previousThingType).forEach(message -> insert(KafkaTopics.MESSAGES,
                message.mqttTopic(), message.messageId(), event.type(), message.payload()));
    }

    private void insert(String kafkaTopic, String key, String eventId, String type, String payload) {
        jdbc.sql("""
                        INSERT INTO outbox (kafka_topic, aggregate_key, event_id, event_type, payload)
                        VALUES (?, ?, ?, ?, ?::jsonb)""")
                .params(kafkaTopic, key, eventId, type, payload)
                .update();
    }
}
