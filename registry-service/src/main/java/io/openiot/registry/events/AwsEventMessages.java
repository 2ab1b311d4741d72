package io.openiot.registry.events;

import io.openiot.contracts.MessageIds;
import io.openiot.contracts.RegistryEvent;
import io.openiot.registry.ArnProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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

    private static final Set<String> THING_EVENTS = Set.of(RegistryEvent.THING_CREATED, RegistryEvent.THING_UPDATED,
            RegistryEvent.THING_DELETED);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ArnProperties arn;

    AwsEventMessages(JdbcClient jdbc, JsonMapper json, ArnProperties arn) {
        this.jdbc = jdbc;
        this.json = json;
        this.arn = arn;
    }

    /**
     * The messages of one registry event: its own (thing, type, group, membership) and, where it changes a thing's type
     * or a group's parent, the type-association and hierarchy messages AWS sends beside it. {@code previousThingType}
     * is the thing's type before an update (ignored for other events).
     */
    List<Message> messagesFor(RegistryEvent event, String previousThingType) {
        List<Message> messages = new ArrayList<>();
        messageFor(event).ifPresent(messages::add);
        if (event.thing() != null && THING_EVENTS.contains(event.type())) {
            String before = RegistryEvent.THING_CREATED.equals(event.type()) ? null
                    : RegistryEvent.THING_DELETED.equals(event.type()) ? event.thing().thingTypeName()
                    : previousThingType;
            String after = RegistryEvent.THING_DELETED.equals(event.type()) ? null : event.thing().thingTypeName();
            if (!Objects.equals(before, after) && enabled("THING_TYPE_ASSOCIATION")) {
                if (before != null) {
                    messages.add(typeAssociation(event, before, "DELETED"));
                }
                if (after != null) {
                    messages.add(typeAssociation(event, after, "CREATED"));
                }
            }
        }
        if (event.thingGroup() != null && event.thingGroup().parentGroupName() != null
                && (RegistryEvent.THING_GROUP_CREATED.equals(event.type())
                    || RegistryEvent.THING_GROUP_DELETED.equals(event.type()))
                && enabled("THING_GROUP_HIERARCHY")) {
            messages.add(hierarchy(event, RegistryEvent.THING_GROUP_CREATED.equals(event.type()) ? "ADDED"
                    : "REMOVED"));
        }
        return messages;
    }

    /**
     * {@code $aws/events/thingTypeAssociation/thing/{thing}/{type}}: AWS's payload has no {@code accountId} and says
     * {@code CREATED} / {@code DELETED} for associated / disassociated.
     */
    private Message typeAssociation(RegistryEvent event, String typeName, String operation) {
        RegistryEvent.Thing thing = event.thing();
        String topic = "$aws/events/thingTypeAssociation/thing/" + thing.thingName() + "/" + typeName;
        String id = MessageIds.derived(event.eventId(), "registry", topic);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("eventId", id);
        payload.put("eventType", "THING_TYPE_ASSOCIATION_EVENT");
        payload.put("operation", operation);
        payload.put("thingId", thing.thingId());
        payload.put("thingName", thing.thingName());
        payload.put("thingTypeName", typeName);
        payload.put("timestamp", event.timestamp());
        return new Message(topic, id, json.writeValueAsString(payload));
    }

    /** {@code $aws/events/thingGroupHierarchy/thingGroup/{parent}/childThingGroup/{child}/added|removed}. */
    private Message hierarchy(RegistryEvent event, String operation) {
        RegistryEvent.ThingGroup child = event.thingGroup();
        String parent = child.parentGroupName();
        String topic = "$aws/events/thingGroupHierarchy/thingGroup/" + parent + "/childThingGroup/"
                + child.thingGroupName() + "/" + operation.toLowerCase();
        String id = MessageIds.derived(event.eventId(), "registry", topic);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("eventType", "THING_GROUP_HIERARCHY_EVENT");
        payload.put("eventId", id);
        payload.put("timestamp", event.timestamp());
        payload.put("operation", operation);
        payload.put("accountId", arn.accountId());
        // the parent outlives the event: it cannot be deleted while it has this child
        payload.put("thingGroupId", jdbc.sql("SELECT id FROM thing_group WHERE name = ?").param(parent)
                .query(String.class).optional().orElse(null));
        payload.put("thingGroupName", parent);
        payload.put("childGroupId", child.thingGroupId());
        payload.put("childGroupName", child.thingGroupName());
        return new Message(topic, id, json.writeValueAsString(payload));
    }

    private Optional<Message> messageFor(RegistryEvent event) {
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
