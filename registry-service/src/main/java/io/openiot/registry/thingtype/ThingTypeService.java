package io.openiot.registry.thingtype;

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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** CreateThingType, DescribeThingType, ListThingTypes, DeprecateThingType and DeleteThingType. */
@Service
class ThingTypeService {

    private static final TypeReference<List<String>> NAMES = new TypeReference<>() { };

    record ThingTypeProperties(String thingTypeDescription, List<String> searchableAttributes,
                               JsonNode mqtt5Configuration) {
    }

    record CreateThingType(ThingTypeProperties thingTypeProperties, JsonNode tags) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ArnProperties arn;
    private final RegistryProperties properties;
    private final EventOutbox events;
    private final RegistrySnapshots snapshots;
    private final Clock clock;

    ThingTypeService(JdbcClient jdbc, JsonMapper json, ArnProperties arn, RegistryProperties properties,
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
    Map<String, Object> create(String name, CreateThingType body) {
        RegistryRules.thingTypeName(name);
        ThingTypeProperties props = body == null || body.thingTypeProperties() == null
                ? new ThingTypeProperties(null, List.of(), null) : body.thingTypeProperties();
        List<String> searchable = props.searchableAttributes() == null ? List.of() : props.searchableAttributes();
        RegistryRules.description(props.thingTypeDescription());
        RegistryRules.searchableAttributes(searchable);
        String propagating = props.mqtt5Configuration() == null
                || props.mqtt5Configuration().get("propagatingAttributes") == null
                ? "[]" : json.writeValueAsString(props.mqtt5Configuration().get("propagatingAttributes"));
        int inserted = jdbc.sql("""
                        INSERT INTO thing_type (name, id, description, searchable_attributes, propagating_attributes,
                                                created_at)
                        VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?) ON CONFLICT (name) DO NOTHING""")
                .params(name, UUID.randomUUID(), props.thingTypeDescription(), json.writeValueAsString(searchable),
                        propagating, Timestamp.from(clock.instant()))
                .update();
        RegistryEvent.ThingType type = snapshots.thingType(name).orElseThrow();
        if (inserted == 0) {
            if (!Objects.equals(type.description(), props.thingTypeDescription())
                    || !type.searchableAttributes().equals(searchable)) {
                throw new ResourceAlreadyExistsException("Thing type " + name + " already exists");
            }
        } else {
            events.thingType(RegistryEvent.THING_TYPE_CREATED, type);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("thingTypeName", name);
        response.put("thingTypeArn", type.thingTypeArn());
        response.put("thingTypeId", type.thingTypeId());
        return response;
    }

    @Transactional(readOnly = true)
    Map<String, Object> describe(String name) {
        return jdbc.sql(SELECT + " WHERE name = ?").param(name).query((rs, row) -> describe(rs)).optional()
                .orElseThrow(() -> notFound(name));
    }

    @Transactional(readOnly = true)
    Map<String, Object> list(Integer maxResults, String nextToken, String thingTypeName) {
        KeysetPage page = KeysetPage.of(maxResults, nextToken, properties.defaultPageSize());
        StringBuilder sql = new StringBuilder(SELECT + " WHERE TRUE");
        List<Object> params = new ArrayList<>();
        if (thingTypeName != null) {
            sql.append(" AND name = ?");
            params.add(thingTypeName);
        }
        page.appendTo(sql, params, "name");
        List<Map<String, Object>> rows = jdbc.sql(sql.toString()).params(params).query((rs, row) -> describe(rs))
                .list();
        return page.response("thingTypes", rows, type -> (String) type.get("thingTypeName"));
    }

    @Transactional
    void deprecate(String name, boolean undo) {
        RegistryRules.thingTypeName(name);
        int updated = jdbc.sql("UPDATE thing_type SET deprecated = ?, deprecated_at = ? WHERE name = ?")
                .params(!undo, undo ? null : Timestamp.from(clock.instant()), name)
                .update();
        if (updated == 0) {
            throw notFound(name);
        }
        events.thingType(RegistryEvent.THING_TYPE_UPDATED, snapshots.thingType(name).orElseThrow());
    }

    @Transactional
    void delete(String name) {
        RegistryRules.thingTypeName(name);
        Timestamp deprecatedAt = jdbc.sql("SELECT deprecated_at FROM thing_type WHERE name = ? FOR UPDATE")
                .param(name).query((rs, row) -> Objects.requireNonNullElse(rs.getTimestamp(1), new Timestamp(-1)))
                .optional().orElseThrow(() -> notFound(name));
        if (deprecatedAt.getTime() == -1) {
            throw new InvalidRequestException("Thing type " + name + " must be deprecated before it can be deleted");
        }
        Instant deletable = deprecatedAt.toInstant().plus(properties.thingTypeDeletionDelay());
        if (clock.instant().isBefore(deletable)) {
            throw new InvalidRequestException("Thing type " + name + " can be deleted "
                    + properties.thingTypeDeletionDelay().toMinutes() + " minutes after its deprecation, at "
                    + deletable);
        }
        if (jdbc.sql("SELECT EXISTS (SELECT 1 FROM thing WHERE thing_type = ?)").param(name).query(Boolean.class)
                .single()) {
            throw new InvalidRequestException("Can not delete thing type " + name
                    + " because it is still associated with things");
        }
        RegistryEvent.ThingType before = snapshots.thingType(name).orElseThrow();
        jdbc.sql("DELETE FROM thing_type WHERE name = ?").param(name).update();
        events.thingType(RegistryEvent.THING_TYPE_DELETED, before);
    }

    private static final String SELECT = """
            SELECT name, id, description, searchable_attributes::text AS searchable,
                   propagating_attributes::text AS propagating, deprecated, deprecated_at, created_at
            FROM thing_type""";

    private Map<String, Object> describe(ResultSet rs) throws SQLException {
        Map<String, Object> props = new LinkedHashMap<>();
        if (rs.getString("description") != null) {
            props.put("thingTypeDescription", rs.getString("description"));
        }
        props.put("searchableAttributes", json.readValue(rs.getString("searchable"), NAMES));
        JsonNode propagating = json.readTree(rs.getString("propagating"));
        if (!propagating.isEmpty()) {
            props.put("mqtt5Configuration", Map.of("propagatingAttributes", propagating));
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("deprecated", rs.getBoolean("deprecated"));
        if (rs.getTimestamp("deprecated_at") != null) {
            metadata.put("deprecationDate", seconds(rs.getTimestamp("deprecated_at")));
        }
        metadata.put("creationDate", seconds(rs.getTimestamp("created_at")));
        Map<String, Object> type = new LinkedHashMap<>();
        type.put("thingTypeName", rs.getString("name"));
        type.put("thingTypeId", rs.getString("id"));
        type.put("thingTypeArn", arn.arn("thingtype", rs.getString("name")));
        type.put("thingTypeProperties", props);
        type.put("thingTypeMetadata", metadata);
        return type;
    }

    /** AWS's JSON protocol sends timestamps as epoch seconds with a fraction. */
    static double seconds(Timestamp timestamp) {
        return timestamp.getTime() / 1000.0;
    }

    private static ResourceNotFoundException notFound(String name) {
        return new ResourceNotFoundException("Thing type " + name + " cannot be found.");
    }
}
