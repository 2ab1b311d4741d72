package io.openiot.contracts;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One change of the device registry, the value of a record on {@link KafkaTopics#REGISTRY_EVENTS} (as JSON). The
 * record key is {@link #key()}: the thing name for thing, membership and principal events, the type or group name for
 * their own events, so that the events of one thing stay in order. Consumers de-duplicate by {@link #eventId()}: the
 * relay publishes at least once.
 *
 * @param eventId   unique id of this event, fixed when the change commits; a redelivery carries the same id
 * @param type      what happened, one of the {@code *} constants of this record (past tense, stable strings)
 * @param timestamp epoch milliseconds at which the change committed
 * @param key       the Kafka record key
 * @param thing     the thing after the change (before it, for {@link #THING_DELETED}), or {@code null}
 * @param thingType the thing type after the change, or {@code null}
 * @param thingGroup the thing group after the change, or {@code null}
 * @param principal the principal (certificate ARN) attached or detached, or {@code null}
 */
public record RegistryEvent(String eventId, String type, long timestamp, String key, Thing thing,
                            ThingType thingType, ThingGroup thingGroup, String principal) {

    public static final String THING_CREATED = "ThingCreated";
    public static final String THING_UPDATED = "ThingUpdated";
    public static final String THING_DELETED = "ThingDeleted";
    public static final String THING_TYPE_CREATED = "ThingTypeCreated";
    public static final String THING_TYPE_UPDATED = "ThingTypeUpdated";
    public static final String THING_TYPE_DELETED = "ThingTypeDeleted";
    public static final String THING_GROUP_CREATED = "ThingGroupCreated";
    public static final String THING_GROUP_UPDATED = "ThingGroupUpdated";
    public static final String THING_GROUP_DELETED = "ThingGroupDeleted";
    public static final String THING_ADDED_TO_GROUP = "ThingAddedToThingGroup";
    public static final String THING_REMOVED_FROM_GROUP = "ThingRemovedFromThingGroup";
    public static final String PRINCIPAL_ATTACHED = "ThingPrincipalAttached";
    public static final String PRINCIPAL_DETACHED = "ThingPrincipalDetached";

    public RegistryEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
    }

    /**
     * A thing as the registry holds it.
     *
     * @param thingGroupNames the static groups the thing is in
     * @param principals      the principals attached to it
     */
    public record Thing(String thingName, String thingId, String thingArn, String thingTypeName,
                        Map<String, String> attributes, long version, List<String> thingGroupNames,
                        List<String> principals) {
    }

    /** A thing type as the registry holds it. */
    public record ThingType(String thingTypeName, String thingTypeId, String thingTypeArn, String description,
                            List<String> searchableAttributes, boolean deprecated, Long deprecationDate) {
    }

    /** A thing group as the registry holds it; {@code parentGroupName} is {@code null} for a root group. */
    public record ThingGroup(String thingGroupName, String thingGroupId, String thingGroupArn, String parentGroupName,
                             String description, Map<String, String> attributes, long version) {
    }
}
