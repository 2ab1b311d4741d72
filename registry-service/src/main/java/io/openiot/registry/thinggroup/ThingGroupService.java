package io.openiot.registry.thinggroup;

import io.openiot.contracts.RegistryEvent;
import io.openiot.registry.ArnProperties;
import io.openiot.registry.RegistryProperties;
import io.openiot.registry.domain.KeysetPage;
import io.openiot.registry.domain.RegistryRules;
import io.openiot.registry.events.EventOutbox;
import io.openiot.registry.events.RegistrySnapshots;
import io.openiot.registry.web.DeleteConflictException;
import io.openiot.registry.web.InvalidRequestException;
import io.openiot.registry.web.ResourceAlreadyExistsException;
import io.openiot.registry.web.ResourceNotFoundException;
import io.openiot.registry.web.VersionConflictException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Static thing groups: the tree, its attributes and its members. */
@Service
class ThingGroupService {

    record AttributePayload(Map<String, String> attributes, Boolean merge) {
    }

    record ThingGroupProperties(String thingGroupDescription, AttributePayload attributePayload) {
    }

    record CreateThingGroup(String parentGroupName, ThingGroupProperties thingGroupProperties, JsonNode tags) {
    }

    record UpdateThingGroup(ThingGroupProperties thingGroupProperties, Long expectedVersion) {
    }

    record Membership(String thingGroupName, String thingGroupArn, String thingName, String thingArn,
                      Boolean overrideDynamicGroups) {
    }

    /** The ancestors of a group, root first, and the group itself last. */
    private static final String LINEAGE = """
            WITH RECURSIVE up(name, parent_name, depth) AS (
                SELECT name, parent_name, 0 FROM thing_group WHERE name = ?
                UNION ALL
                SELECT g.name, g.parent_name, up.depth + 1 FROM thing_group g JOIN up ON g.name = up.parent_name)
            SELECT name FROM up ORDER BY depth DESC""";

    /** The group and all its descendants. */
    private static final String SUBTREE = """
            WITH RECURSIVE down(name) AS (
                SELECT name FROM thing_group WHERE name = ?
                UNION ALL
                SELECT g.name FROM thing_group g JOIN down ON g.parent_name = down.name)""";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ArnProperties arn;
    private final RegistryProperties properties;
    private final EventOutbox events;
    private final RegistrySnapshots snapshots;
    private final Clock clock;

    ThingGroupService(JdbcClient jdbc, JsonMapper json, ArnProperties arn, RegistryProperties properties,
                      EventOutbox events, RegistrySnapshots snapshots, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.arn = arn;
        this.properties = properties;
        this.events = events;
        this.snapshots = snapshots;
        this.clock = clock;
    }

    @Transactional
    Map<String, Object> create(String name, CreateThingGroup request) {
        RegistryRules.thingGroupName(name);
        CreateThingGroup body = request == null ? new CreateThingGroup(null, null, null) : request;
        String description = body.thingGroupProperties() == null ? null
                : body.thingGroupProperties().thingGroupDescription();
        Map<String, String> given = body.thingGroupProperties() == null
                || body.thingGroupProperties().attributePayload() == null
                || body.thingGroupProperties().attributePayload().attributes() == null
                ? Map.of() : body.thingGroupProperties().attributePayload().attributes();
        RegistryRules.description(description);
        RegistryRules.attributes(given);
        Map<String, String> attributes = RegistryRules.applyAttributes(Map.of(), given, false);
        RegistryRules.groupAttributeCount(attributes);
        String parent = body.parentGroupName();
        if (parent != null) {
            RegistryRules.thingGroupName(parent);
            jdbc.sql("SELECT name FROM thing_group WHERE name = ? FOR SHARE").param(parent).query(String.class)
                    .optional().orElseThrow(() -> notFound(parent));
            int parentDepth = lineage(parent).size();
            if (parentDepth >= RegistryRules.MAX_GROUP_DEPTH) {
                throw new InvalidRequestException("A thing group hierarchy is at most "
                        + RegistryRules.MAX_GROUP_DEPTH + " levels deep; " + parent + " is at level " + parentDepth);
            }
        }
        int inserted = jdbc.sql("""
                        INSERT INTO thing_group (name, id, parent_name, description, attributes, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT (name) DO NOTHING""")
                .params(name, UUID.randomUUID(), parent, description, json.writeValueAsString(attributes),
                        Timestamp.from(clock.instant()), Timestamp.from(clock.instant()))
                .update();
        RegistryEvent.ThingGroup group = snapshots.thingGroup(name).orElseThrow();
        if (inserted == 0) {
            if (!Objects.equals(group.parentGroupName(), parent) || !Objects.equals(group.description(), description)
                    || !group.attributes().equals(attributes)) {
                throw new ResourceAlreadyExistsException("Thing group " + name + " already exists");
            }
        } else {
            events.thingGroup(RegistryEvent.THING_GROUP_CREATED, group);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("thingGroupName", name);
        response.put("thingGroupArn", group.thingGroupArn());
        response.put("thingGroupId", group.thingGroupId());
        return response;
    }

    @Transactional(readOnly = true)
    Map<String, Object> describe(String name) {
        RegistryEvent.ThingGroup group = snapshots.thingGroup(name).orElseThrow(() -> notFound(name));
        Timestamp created = jdbc.sql("SELECT created_at FROM thing_group WHERE name = ?").param(name)
                .query(Timestamp.class).single();
        Map<String, Object> props = new LinkedHashMap<>();
        if (group.description() != null) {
            props.put("thingGroupDescription", group.description());
        }
        props.put("attributePayload", Map.of("attributes", group.attributes()));
        Map<String, Object> metadata = new LinkedHashMap<>();
        List<String> lineage = lineage(name);
        if (group.parentGroupName() != null) {
            metadata.put("parentGroupName", group.parentGroupName());
        }
        metadata.put("rootToParentThingGroups", lineage.subList(0, lineage.size() - 1).stream()
                .map(this::nameAndArn).toList());
        metadata.put("creationDate", created.getTime() / 1000.0);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("thingGroupName", name);
        response.put("thingGroupId", group.thingGroupId());
        response.put("thingGroupArn", group.thingGroupArn());
        response.put("version", group.version());
        response.put("thingGroupProperties", props);
        response.put("thingGroupMetadata", metadata);
        response.put("status", "ACTIVE");
        return response;
    }

    @Transactional(readOnly = true)
    Map<String, Object> list(Integer maxResults, String nextToken, String parentGroup, String namePrefixFilter,
                             Boolean recursive) {
        KeysetPage page = KeysetPage.of(maxResults, nextToken, properties.defaultPageSize());
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        if (parentGroup != null) {
            if (Boolean.TRUE.equals(recursive)) {
                sql.append(SUBTREE).append(" SELECT name FROM down WHERE name <> ?");
                params.add(parentGroup);
                params.add(parentGroup);
            } else {
                sql.append("SELECT name FROM thing_group WHERE parent_name = ?");
                params.add(parentGroup);
            }
        } else {
            sql.append("SELECT name FROM thing_group WHERE TRUE");
        }
        if (namePrefixFilter != null) {
            sql.append(" AND name LIKE ?");
            params.add(likePrefix(namePrefixFilter));
        }
        page.appendTo(sql, params, "name");
        List<String> names = jdbc.sql(sql.toString()).params(params).query(String.class).list();
        return page.response("thingGroups", names, name -> name, this::nameAndArn);
    }

    @Transactional
    long update(String name, UpdateThingGroup body) {
        RegistryRules.thingGroupName(name);
        RegistryEvent.ThingGroup group = jdbc.sql("SELECT name FROM thing_group WHERE name = ? FOR UPDATE").param(name)
                .query(String.class).optional().flatMap(snapshots::thingGroup).orElseThrow(() -> notFound(name));
        if (body == null) {
            body = new UpdateThingGroup(null, null);
        }
        if (body.expectedVersion() != null && body.expectedVersion() != group.version()) {
            throw new VersionConflictException("The version for thing group " + name + " does not match: expected "
                    + body.expectedVersion() + ", found " + group.version());
        }
        String description = group.description();
        Map<String, String> attributes = group.attributes();
        if (body.thingGroupProperties() != null) {
            if (body.thingGroupProperties().thingGroupDescription() != null) {
                description = body.thingGroupProperties().thingGroupDescription();
                RegistryRules.description(description);
            }
            AttributePayload payload = body.thingGroupProperties().attributePayload();
            if (payload != null && payload.attributes() != null) {
                RegistryRules.attributes(payload.attributes());
                attributes = RegistryRules.applyAttributes(attributes, payload.attributes(),
                        Boolean.TRUE.equals(payload.merge()));
            }
        }
        RegistryRules.groupAttributeCount(attributes);
        jdbc.sql("""
                        UPDATE thing_group SET description = ?, attributes = ?::jsonb, version = version + 1,
                               updated_at = ? WHERE name = ?""")
                .params(description, json.writeValueAsString(attributes), Timestamp.from(clock.instant()), name)
                .update();
        events.thingGroup(RegistryEvent.THING_GROUP_UPDATED, snapshots.thingGroup(name).orElseThrow());
        return group.version() + 1;
    }

    @Transactional
    void delete(String name, Long expectedVersion) {
        RegistryRules.thingGroupName(name);
        var locked = jdbc.sql("SELECT version FROM thing_group WHERE name = ? FOR UPDATE").param(name)
                .query(Long.class).optional();
        if (locked.isEmpty()) {
            return; // as AWS: deleting a group that does not exist succeeds
        }
        if (expectedVersion != null && !expectedVersion.equals(locked.get())) {
            throw new VersionConflictException("The version for thing group " + name + " does not match: expected "
                    + expectedVersion + ", found " + locked.get());
        }
        if (jdbc.sql("SELECT EXISTS (SELECT 1 FROM thing_group WHERE parent_name = ?)").param(name)
                .query(Boolean.class).single()) {
            throw new DeleteConflictException("Cannot delete thing group " + name + " because it has child groups");
        }
        RegistryEvent.ThingGroup before = snapshots.thingGroup(name).orElseThrow();
        List<String> members = jdbc.sql("SELECT thing_name FROM thing_group_member WHERE group_name = ? ORDER BY 1")
                .param(name).query(String.class).list();
        for (String thing : members) {
            // each member's event stream learns that it left the group
            jdbc.sql("SELECT name FROM thing WHERE name = ? FOR UPDATE").param(thing).query(String.class).list();
            events.membership(RegistryEvent.THING_REMOVED_FROM_GROUP, thing, name);
        }
        jdbc.sql("DELETE FROM thing_group WHERE name = ?").param(name).update();
        events.thingGroup(RegistryEvent.THING_GROUP_DELETED, before);
    }

    @Transactional
    void addThing(Membership body) {
        String group = groupName(body);
        String thing = thingName(body);
        lockThing(thing);
        requireGroup(group);
        List<String> current = jdbc.sql("SELECT group_name FROM thing_group_member WHERE thing_name = ?")
                .param(thing).query(String.class).list();
        if (current.contains(group)) {
            return;
        }
        if (current.size() >= RegistryRules.MAX_GROUPS_PER_THING) {
            throw new InvalidRequestException("Thing " + thing + " is already in "
                    + RegistryRules.MAX_GROUPS_PER_THING + " thing groups, the most a thing can be in");
        }
        String root = lineage(group).get(0);
        for (String other : current) {
            if (lineage(other).get(0).equals(root)) {
                throw new InvalidRequestException("Thing " + thing + " is already in thing group " + other
                        + " of the same hierarchy (root " + root + ") as " + group);
            }
        }
        jdbc.sql("INSERT INTO thing_group_member (group_name, thing_name, added_at) VALUES (?, ?, ?)")
                .params(group, thing, Timestamp.from(clock.instant())).update();
        events.membership(RegistryEvent.THING_ADDED_TO_GROUP, thing, group);
    }

    @Transactional
    void removeThing(Membership body) {
        String group = groupName(body);
        String thing = thingName(body);
        lockThing(thing);
        requireGroup(group);
        if (jdbc.sql("DELETE FROM thing_group_member WHERE group_name = ? AND thing_name = ?").params(group, thing)
                .update() > 0) {
            events.membership(RegistryEvent.THING_REMOVED_FROM_GROUP, thing, group);
        }
    }

    @Transactional(readOnly = true)
    Map<String, Object> thingsInGroup(String group, boolean recursive, Integer maxResults, String nextToken) {
        RegistryRules.thingGroupName(group);
        jdbc.sql("SELECT name FROM thing_group WHERE name = ?").param(group).query(String.class).optional()
                .orElseThrow(() -> notFound(group));
        KeysetPage page = KeysetPage.of(maxResults, nextToken, properties.defaultPageSize());
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        if (recursive) {
            sql.append(SUBTREE).append(" SELECT DISTINCT m.thing_name FROM thing_group_member m JOIN down ON"
                    + " m.group_name = down.name WHERE TRUE");
        } else {
            sql.append("SELECT m.thing_name FROM thing_group_member m WHERE m.group_name = ?");
        }
        params.add(group);
        page.appendTo(sql, params, "m.thing_name");
        List<String> names = jdbc.sql(sql.toString()).params(params).query(String.class).list();
        return page.response("things", names, name -> name);
    }

    @Transactional(readOnly = true)
    Map<String, Object> groupsForThing(String thing, Integer maxResults, String nextToken) {
        RegistryRules.thingName(thing);
        if (!jdbc.sql("SELECT EXISTS (SELECT 1 FROM thing WHERE name = ?)").param(thing).query(Boolean.class)
                .single()) {
            throw new ResourceNotFoundException("Thing " + thing + " cannot be found.");
        }
        KeysetPage page = KeysetPage.of(maxResults, nextToken, properties.defaultPageSize());
        StringBuilder sql = new StringBuilder("SELECT group_name FROM thing_group_member WHERE thing_name = ?");
        List<Object> params = new ArrayList<>(List.of(thing));
        page.appendTo(sql, params, "group_name");
        List<String> names = jdbc.sql(sql.toString()).params(params).query(String.class).list();
        return page.response("thingGroups", names, name -> name, this::nameAndArn);
    }

    private Map<String, String> nameAndArn(String name) {
        return Map.of("groupName", name, "groupArn", arn.arn("thinggroup", name));
    }

    private List<String> lineage(String name) {
        return jdbc.sql(LINEAGE).param(name).query(String.class).list();
    }

    private void lockThing(String thing) {
        // memberships of one thing change one at a time, so the 10-group and hierarchy checks hold
        jdbc.sql("SELECT name FROM thing WHERE name = ? FOR UPDATE").param(thing).query(String.class).optional()
                .orElseThrow(() -> new ResourceNotFoundException("Thing " + thing + " cannot be found."));
    }

    private void requireGroup(String group) {
        jdbc.sql("SELECT name FROM thing_group WHERE name = ? FOR SHARE").param(group).query(String.class).optional()
                .orElseThrow(() -> notFound(group));
    }

    private static String groupName(Membership body) {
        String name = body.thingGroupName() != null ? body.thingGroupName() : nameInArn(body.thingGroupArn(),
                "thinggroup/");
        RegistryRules.thingGroupName(name);
        return name;
    }

    private static String thingName(Membership body) {
        String name = body.thingName() != null ? body.thingName() : nameInArn(body.thingArn(), "thing/");
        RegistryRules.thingName(name);
        return name;
    }

    private static String nameInArn(String arn, String marker) {
        if (arn == null || !arn.contains(":" + marker)) {
            throw new InvalidRequestException("give the name or the ARN (" + marker + "...)");
        }
        return arn.substring(arn.lastIndexOf(":" + marker) + marker.length() + 1);
    }

    static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static ResourceNotFoundException notFound(String name) {
        return new ResourceNotFoundException("Thing group " + name + " cannot be found.");
    }
}
