package io.openiot.registry.events;

import io.openiot.contracts.MessageIds;
import io.openiot.contracts.RegistryEvent;
import io.openiot.registry.ArnProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * AWS IoT's registry event messages ({@code $aws/events/thing/<name>/created} ...) for a registry event, when its
 * AWS event type is enabled in {@code event_configuration}. Payload fields follow AWS's "Registry events" page.
 */
@Component
class AwsEventMessages {

    /** One message for {@code iot.messages}; its id is derived from the event id, so a re-send keeps it. */
    record Message(String mqttTopic, String messageId, String payload) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ArnProperties arn;

    AwsEventMessages(JdbcClient jdbc, JsonMapper json, ArnProperties arn) {
        this.jdbc = jdbc;
        this.json = json;
        this.arn = arn;
    }

    Optional<Message> messageFor(RegistryEvent event) {
        String eventType = switch (event.type()) {
            case RegistryEvent.THING_CREATED, RegistryEvent.THING_UPDATED, RegistryEvent.THING_DELETED -> "THING";
            case RegistryEvent.THING_TYPE_CREATED, RegistryEvent.THING_TYPE_UPDATED, RegistryEvent.THING_TYPE_DELETED ->
                    "THING_TYPE";
            case RegistryEvent.THING_GROUP_CREATED, RegistryEvent.THING_GROUP_UPDATED,
                 RegistryEvent.THING_GROUP_DELETED -> "THING_GROUP";
            case RegistryEvent.THING_ADDED_TO_GROUP, RegistryEvent.THING_REMOVED_FROM_GROUP -> "THING_GROUP_MEMBERSHIP";
            default -> null; // principal attachments have no AWS registry event
        };
        if (eventType == null || !enabled(eventType)) {
            return Optional.empty();
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        String topic;
        switch (eventType) {
            case "THING" -> {
                RegistryEvent.Thing thing = event.thing();
                topic = "$aws/events/thing/" + thing.thingName() + "/" + operation(event.type()).toLowerCase();
                common(payload, "THING_EVENT", event);
                payload.put("thingId", thing.thingId());
                payload.put("thingName", thing.thingName());
                payload.put("versionNumber", thing.version());
                payload.put("thingTypeName", thing.thingTypeName());
                payload.put("attributes", thing.attributes());
            }
            case "THING_TYPE" -> {
                RegistryEvent.ThingType type = event.thingType();
                topic = "$aws/events/thingType/" + type.thingTypeName() + "/" + operation(event.type()).toLowerCase();
                common(payload, "THING_TYPE_EVENT", event);
                payload.put("thingTypeId", type.thingTypeId());
                payload.put("thingTypeName", type.thingTypeName());
                payload.put("isDeprecated", type.deprecated());
                payload.put("deprecationDate", type.deprecationDate());
                payload.put("searchableAttributes", type.searchableAttributes());
                payload.put("description", type.description());
            }
            case "THING_GROUP" -> {
                RegistryEvent.ThingGroup group = event.thingGroup();
                topic = "$aws/events/thingGroup/" + group.thingGroupName() + "/"
                        + operation(event.type()).toLowerCase();
                common(payload, "THING_GROUP_EVENT", event);
                payload.put("thingGroupId", group.thingGroupId());
                payload.put("thingGroupName", group.thingGroupName());
                payload.put("versionNumber", group.version());
                payload.put("parentGroupName", group.parentGroupName());
                payload.put("description", group.description());
                payload.put("attributes", group.attributes());
            }
            default -> {
                RegistryEvent.ThingGroup group = event.thingGroup();
                RegistryEvent.Thing thing = event.thing();
                String operation = RegistryEvent.THING_ADDED_TO_GROUP.equals(event.type()) ? "ADDED" : "REMOVED";
                topic = "$aws/events/thingGroupMembership/thingGroup/" + group.thingGroupName() + "/thing/"
                        + thing.thingName() + "/" + operation.toLowerCase();
                common(payload, "THING_GROUP_MEMBERSHIP_EVENT", event);
                payload.put("operation", operation);
                payload.put("groupArn", group.thingGroupArn());
                payload.put("groupId", group.thingGroupId());
                payload.put("thingArn", thing.thingArn());
                payload.put("thingId", thing.thingId());
                payload.put("membershipId", group.thingGroupId() + ":" + thing.thingId());
            }
        }
        return Optional.of(new Message(topic, MessageIds.derived(event.eventId(), "registry", topic),
                json.writeValueAsString(payload)));
    }

    private void common(Map<String, Object> payload, String eventType, RegistryEvent event) {
        payload.put("eventType", eventType);
        payload.put("eventId", event.eventId());
        payload.put("timestamp", event.timestamp());
        payload.put("operation", operation(event.type()));
        payload.put("accountId", arn.accountId());
    }

    private static String operation(String type) {
        if (type.endsWith("Created")) {
            return "CREATED";
        }
        return type.endsWith("Deleted") ? "DELETED" : "UPDATED";
    }

    private boolean enabled(String eventType) {
        return jdbc.sql("SELECT enabled FROM event_configuration WHERE event_type = ?").param(eventType)
                .query(Boolean.class).optional().orElse(false);
    }
}
