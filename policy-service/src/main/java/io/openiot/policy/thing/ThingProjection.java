package io.openiot.policy.thing;

import io.openiot.contracts.RegistryEvent;
import io.openiot.policy.event.SecurityEventOutbox;
import io.openiot.policy.thing.domain.StateOrder;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies registry events to this service's projection of things, principals and groups. Each event is applied at
 * most once (its id is recorded in the same transaction) and only when its snapshot is newer than what is stored
 * ({@link StateOrder}). Every certificate whose effective view changed gets a {@code PrincipalThingChanged} security
 * event through the outbox, in the same transaction.
 *
 * <p>Thing snapshots carry the thing's groups and principals as they are after the change, so membership and
 * attachment events are applied as state, not as deltas: a late or repeated one cannot undo a newer state.
 */
@Service
class ThingProjection {

    private static final TypeReference<Map<String, String>> ATTRIBUTES = new TypeReference<>() { };
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final Things things;
    private final SecurityEventOutbox events;

    ThingProjection(JdbcClient jdbc, Things things, SecurityEventOutbox events) {
        this.jdbc = jdbc;
        this.things = things;
        this.events = events;
    }

    /** Returns false when the event was applied before (a redelivery or replay). */
    @Transactional
    boolean apply(RegistryEvent event) {
        int fresh = jdbc.sql("INSERT INTO registry_event_applied (event_id) VALUES (:id) ON CONFLICT DO NOTHING")
                .param("id", event.eventId()).update();
        if (fresh == 0) {
            return false;
        }
        Set<String> affected = new TreeSet<>();
        // a membership event carries the group too: apply it first, so the thing's new group exists
        if (event.thingGroup() != null) {
            applyGroup(event.thingGroup(), event.timestamp(),
                    RegistryEvent.THING_GROUP_DELETED.equals(event.type()), affected);
        }
        if (event.thing() != null) {
            applyThing(event.thing(), event.timestamp(), RegistryEvent.THING_DELETED.equals(event.type()), affected);
        }
        affected.forEach(events::principalThingChanged);
        return true;
    }

    /** What of a thing the principal view shows; principals are compared apart. */
    private record ThingView(String type, Map<String, String> attributes, Set<String> groups, boolean deleted) {
    }

    private record StoredThing(StateOrder order, ThingView view, Set<String> principals) {
    }

    private void applyThing(RegistryEvent.Thing thing, long timestamp, boolean deleted, Set<String> affected) {
        String name = thing.thingName();
        StateOrder incoming = new StateOrder(thing.thingId(), thing.version(), timestamp);
        Optional<StoredThing> stored = storedThing(name);
        if (stored.isPresent() && !incoming.supersedes(stored.get().order())) {
            return;
        }
        Map<String, String> attributes = thing.attributes() == null ? Map.of() : thing.attributes();
        Set<String> groups = deleted || thing.thingGroupNames() == null ? Set.of()
                : new LinkedHashSet<>(thing.thingGroupNames());
        Set<String> principals = deleted || thing.principals() == null ? Set.of()
                : new LinkedHashSet<>(thing.principals());
        ThingView after = new ThingView(thing.thingTypeName(), attributes, groups, deleted);

        Set<String> before = stored.map(StoredThing::principals).orElse(Set.of());
        if (stored.isPresent() && stored.get().view().equals(after)) {
            // only attachments changed: only the principals that came or went see a difference
            Set<String> changed = new HashSet<>(before);
            changed.addAll(principals);
            Set<String> kept = new HashSet<>(before);
            kept.retainAll(principals);
            changed.removeAll(kept);
            addCertificates(changed, affected);
        } else {
            addCertificates(before, affected);
            addCertificates(principals, affected);
        }

        jdbc.sql("""
                        INSERT INTO projected_thing (thing_name, thing_id, thing_type_name, attributes, version,
                                                     event_timestamp, deleted)
                        VALUES (:name, :id, :type, CAST(:attributes AS jsonb), :version, :ts, :deleted)
                        ON CONFLICT (thing_name) DO UPDATE SET thing_id = EXCLUDED.thing_id,
                            thing_type_name = EXCLUDED.thing_type_name, attributes = EXCLUDED.attributes,
                            version = EXCLUDED.version, event_timestamp = EXCLUDED.event_timestamp,
                            deleted = EXCLUDED.deleted""")
                .param("name", name).param("id", thing.thingId()).param("type", thing.thingTypeName())
                .param("attributes", JSON.writeValueAsString(attributes)).param("version", thing.version())
                .param("ts", timestamp).param("deleted", deleted).update();
        jdbc.sql("DELETE FROM projected_thing_principal WHERE thing_name = :name").param("name", name).update();
        for (String principal : principals) {
            jdbc.sql("INSERT INTO projected_thing_principal (thing_name, principal, certificate_id) "
                            + "VALUES (:name, :principal, :certificate)")
                    .param("name", name).param("principal", principal)
                    .param("certificate", Things.certificateId(principal)).update();
        }
        jdbc.sql("DELETE FROM projected_thing_group_member WHERE thing_name = :name").param("name", name).update();
        for (String group : groups) {
            jdbc.sql("INSERT INTO projected_thing_group_member (thing_name, group_name) VALUES (:name, :group)")
                    .param("name", name).param("group", group).update();
        }
    }

    /** The stored state of a thing, its row locked so concurrent events of one name are applied one by one. */
    private Optional<StoredThing> storedThing(String name) {
        return jdbc.sql("SELECT thing_id, version, event_timestamp, thing_type_name, attributes::text, deleted "
                        + "FROM projected_thing WHERE thing_name = :name FOR UPDATE")
                .param("name", name)
                .query((rs, row) -> new StoredThing(new StateOrder(rs.getString(1), rs.getLong(2), rs.getLong(3)),
                        new ThingView(rs.getString(4), JSON.readValue(rs.getString(5), ATTRIBUTES),
                                names("SELECT group_name FROM projected_thing_group_member WHERE thing_name = :name",
                                        name), rs.getBoolean(6)),
                        names("SELECT principal FROM projected_thing_principal WHERE thing_name = :name", name)))
                .optional();
    }

    private Set<String> names(String sql, String thingName) {
        return new HashSet<>(jdbc.sql(sql).param("name", thingName).query(String.class).list());
    }

    private static void addCertificates(Set<String> principals, Set<String> affected) {
        for (String principal : principals) {
            String id = Things.certificateId(principal);
            if (id != null) {
                affected.add(id);
            }
        }
    }

    private record StoredGroup(StateOrder order, String parent, boolean deleted) {
    }

    private void applyGroup(RegistryEvent.ThingGroup group, long timestamp, boolean deleted, Set<String> affected) {
        String name = group.thingGroupName();
        StateOrder incoming = new StateOrder(group.thingGroupId(), group.version(), timestamp);
        Optional<StoredGroup> stored = jdbc.sql("SELECT group_id, version, event_timestamp, parent_name, deleted "
                        + "FROM projected_thing_group WHERE group_name = :name FOR UPDATE")
                .param("name", name)
                .query((rs, row) -> new StoredGroup(new StateOrder(rs.getString(1), rs.getLong(2), rs.getLong(3)),
                        rs.getString(4), rs.getBoolean(5)))
                .optional();
        if (stored.isPresent() && !incoming.supersedes(stored.get().order())) {
            return;
        }
        int written = jdbc.sql("""
                        INSERT INTO projected_thing_group (group_name, group_id, parent_name, version, event_timestamp,
                                                           deleted)
                        VALUES (:name, :id, :parent, :version, :ts, :deleted)
                        ON CONFLICT (group_name) DO UPDATE SET group_id = EXCLUDED.group_id,
                            parent_name = EXCLUDED.parent_name, version = EXCLUDED.version,
                            event_timestamp = EXCLUDED.event_timestamp, deleted = EXCLUDED.deleted""")
                .param("name", name).param("id", group.thingGroupId()).param("parent", group.parentGroupName())
                .param("version", group.version()).param("ts", timestamp).param("deleted", deleted).update();
        boolean shapeChanged = stored.isEmpty() || stored.get().deleted() != deleted
                || !Objects.equals(stored.get().parent(), group.parentGroupName());
        if (written > 0 && shapeChanged) {
            // the group's existence or place decides which policies its members (and those below) inherit; the
            // members of a group just deleted are still listed until their own removal events arrive
            affected.addAll(things.certificatesUnder(name));
        }
    }
}
