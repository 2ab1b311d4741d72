package io.openiot.registry.thing;

import io.openiot.contracts.RegistryEvent;
import io.openiot.registry.ArnProperties;
import io.openiot.registry.RegistryProperties;
import io.openiot.registry.domain.KeysetPage;
import io.openiot.registry.domain.RegistryRules;
import io.openiot.registry.events.EventOutbox;
import io.openiot.registry.events.RegistrySnapshots;
import io.openiot.registry.web.InvalidRequestException;
import io.openiot.registry.web.ResourceAlreadyExistsException;
import io.openiot.registry.web.ResourceNotFoundException;
import io.openiot.registry.web.VersionConflictException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** CreateThing, DescribeThing, ListThings, UpdateThing and DeleteThing on the {@code thing} table. */
@Service
class ThingService {

    private static final TypeReference<Map<String, String>> ATTRIBUTES = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ArnProperties arn;
    private final RegistryProperties properties;
    private final EventOutbox events;
    private final RegistrySnapshots snapshots;

    ThingService(JdbcClient jdbc, JsonMapper json, ArnProperties arn, RegistryProperties properties,
                 EventOutbox events, RegistrySnapshots snapshots) {
        this.jdbc = jdbc;
        this.json = json;
        this.arn = arn;
        this.properties = properties;
        this.events = events;
        this.snapshots = snapshots;
    }

    record StoredThing(String name, String id, String thingType, Map<String, String> attributes, long version) {
    }

    @Transactional
    Map<String, Object> create(String name, ThingRequests.CreateThing request) {
        RegistryRules.thingName(name);
        ThingRequests.CreateThing body = request == null ? new ThingRequests.CreateThing(null, null, null) : request;
        Map<String, String> given = body.attributePayload() == null ? Map.of()
                : body.attributePayload().attributesOrEmpty();
        RegistryRules.attributes(given);
        Map<String, String> attributes = RegistryRules.applyAttributes(Map.of(), given, false);
        if (body.thingTypeName() != null) {
            requireUsableType(body.thingTypeName());
        }
        RegistryRules.thingAttributeCount(attributes, body.thingTypeName() != null);
        int inserted = jdbc.sql("""
                        INSERT INTO thing (name, id, thing_type, attributes) VALUES (?, ?, ?, ?::jsonb)
                        ON CONFLICT (name) DO NOTHING""")
                .params(name, UUID.randomUUID(), body.thingTypeName(), json.writeValueAsString(attributes))
                .update();
        StoredThing thing = find(name, false);
        if (inserted == 0) {
            // CreateThing is idempotent: the same request again answers as the first time did
            if (!Objects.equals(thing.thingType(), body.thingTypeName()) || !thing.attributes().equals(attributes)) {
                throw new ResourceAlreadyExistsException("Thing " + name + " already exists with different attributes"
                        + " or thing type");
            }
        } else {
            events.thing(RegistryEvent.THING_CREATED, name);
        }
        return created(thing);
    }

    private Map<String, Object> created(StoredThing thing) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("thingName", thing.name());
        response.put("thingArn", arn.arn("thing", thing.name()));
        response.put("thingId", thing.id());
        return response;
    }

    @Transactional(readOnly = true)
    Map<String, Object> describe(String name) {
        StoredThing thing = find(name, false);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("defaultClientId", thing.name());
        response.put("thingName", thing.name());
        response.put("thingId", thing.id());
        response.put("thingArn", arn.arn("thing", thing.name()));
        if (thing.thingType() != null) {
            response.put("thingTypeName", thing.thingType());
        }
        response.put("attributes", thing.attributes());
        response.put("version", thing.version());
        return response;
    }

    @Transactional(readOnly = true)
    Map<String, Object> list(Integer maxResults, String nextToken, String attributeName, String attributeValue,
                             String thingTypeName, boolean usePrefixAttributeValue) {
        KeysetPage page = KeysetPage.of(maxResults, nextToken, properties.defaultPageSize());
        Statement statement = listStatement(page, attributeName, attributeValue, thingTypeName,
                usePrefixAttributeValue);
        List<StoredThing> rows = jdbc.sql(statement.sql()).params(statement.params()).query((rs, row) -> stored(rs))
                .list();
        return page.response("things", rows, StoredThing::name, thing -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("thingName", thing.name());
            if (thing.thingType() != null) {
                item.put("thingTypeName", thing.thingType());
            }
            item.put("thingArn", arn.arn("thing", thing.name()));
            item.put("attributes", thing.attributes());
            item.put("version", thing.version());
            return item;
        });
    }

    /** A statement and its bind parameters in order. */
    record Statement(String sql, List<Object> params) {
    }

    /** The ListThings statement of one page, in name order after the page's key. */
    Statement listStatement(KeysetPage page, String attributeName, String attributeValue, String thingTypeName,
                            boolean usePrefixAttributeValue) {
        StringBuilder sql = new StringBuilder(
                "SELECT name, id, thing_type, attributes::text AS attributes, version FROM thing WHERE TRUE");
        List<Object> params = new ArrayList<>();
        if (thingTypeName != null) {
            sql.append(" AND thing_type = ?");
            params.add(thingTypeName);
        }
        if (attributeName != null && attributeValue != null) {
            if (usePrefixAttributeValue) {
                sql.append(" AND EXISTS (SELECT 1 FROM thing_attribute a WHERE a.thing_name = thing.name"
                        + " AND a.name = ? AND a.value LIKE ?)");
                params.add(attributeName);
                params.add(likePrefix(attributeValue));
            } else {
                // containment is what the GIN index on attributes answers
                sql.append(" AND attributes @> ?::jsonb");
                params.add(json.writeValueAsString(Map.of(attributeName, attributeValue)));
            }
        } else if (attributeName != null || attributeValue != null) {
            throw new InvalidRequestException("attributeName and attributeValue go together");
        }
        page.appendTo(sql, params, "name");
        return new Statement(sql.toString(), params);
    }

    static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    @Transactional
    void update(String name, ThingRequests.UpdateThing body) {
        RegistryRules.thingName(name);
        if (body == null) {
            body = new ThingRequests.UpdateThing(null, null, null, null);
        }
        boolean removeType = Boolean.TRUE.equals(body.removeThingType());
        if (removeType && body.thingTypeName() != null) {
            throw new InvalidRequestException("removeThingType cannot be combined with thingTypeName");
        }
        StoredThing thing = find(name, true);
        checkVersion(thing.version(), body.expectedVersion());
        String type = removeType ? null : body.thingTypeName() != null ? body.thingTypeName() : thing.thingType();
        if (body.thingTypeName() != null && !body.thingTypeName().equals(thing.thingType())) {
            requireUsableType(body.thingTypeName());
        }
        Map<String, String> attributes = thing.attributes();
        if (body.attributePayload() != null) {
            Map<String, String> given = body.attributePayload().attributesOrEmpty();
            RegistryRules.attributes(given);
            attributes = RegistryRules.applyAttributes(attributes, given, body.attributePayload().merging());
        }
        RegistryRules.thingAttributeCount(attributes, type != null);
        jdbc.sql("""
                        UPDATE thing SET thing_type = ?, attributes = ?::jsonb, version = version + 1,
                               updated_at = now()
                        WHERE name = ?""")
                .params(type, json.writeValueAsString(attributes), name)
                .update();
        events.thingUpdated(name, thing.thingType());
    }

    @Transactional
    void delete(String name, Long expectedVersion) {
        RegistryRules.thingName(name);
        var locked = jdbc.sql("SELECT version FROM thing WHERE name = ? FOR UPDATE").param(name).query(Long.class)
                .optional();
        if (locked.isEmpty()) {
            return; // AWS answers 200 for a thing that does not exist
        }
        checkVersion(locked.get(), expectedVersion);
        Integer principals = jdbc.sql("SELECT count(*) FROM thing_principal WHERE thing_name = ?").param(name)
                .query(Integer.class).single();
        if (principals > 0) {
            throw new InvalidRequestException("Cannot delete. Thing " + name
                    + " is still attached to one or more principals");
        }
        RegistryEvent.Thing before = snapshots.thing(name).orElseThrow();
        jdbc.sql("DELETE FROM thing WHERE name = ?").param(name).update();
        events.thing(RegistryEvent.THING_DELETED, before, null);
    }

    private static void checkVersion(long actual, Long expected) {
        if (expected != null && expected != actual) {
            throw new VersionConflictException("The version for thing does not match: expected " + expected
                    + ", found " + actual);
        }
    }

    private void requireUsableType(String typeName) {
        RegistryRules.thingTypeName(typeName);
        Boolean deprecated = jdbc.sql("SELECT deprecated FROM thing_type WHERE name = ? FOR SHARE").param(typeName)
                .query(Boolean.class).optional()
                .orElseThrow(() -> new ResourceNotFoundException("Thing type " + typeName + " does not exist"));
        if (deprecated) {
            throw new InvalidRequestException("Can not create new thing with deprecated thing type " + typeName);
        }
    }

    private StoredThing find(String name, boolean forUpdate) {
        return jdbc.sql("SELECT name, id, thing_type, attributes::text AS attributes, version FROM thing WHERE name = ?"
                        + (forUpdate ? " FOR UPDATE" : ""))
                .param(name)
                .query((rs, row) -> stored(rs))
                .optional()
                .orElseThrow(() -> new ResourceNotFoundException("Thing " + name + " cannot be found."));
    }

    private StoredThing stored(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new StoredThing(rs.getString("name"), rs.getString("id"), rs.getString("thing_type"),
                json.readValue(rs.getString("attributes"), ATTRIBUTES), rs.getLong("version"));
    }
}
