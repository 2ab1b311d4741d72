package io.openiot.registry.events;

import io.openiot.contracts.RegistryEvent;
import io.openiot.registry.ArnProperties;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads the current state of a registry resource, inside the caller's transaction, for the event it writes. */
@Component
public class RegistrySnapshots {

    private static final TypeReference<Map<String, String>> ATTRIBUTES = new TypeReference<>() { };
    private static final TypeReference<List<String>> NAMES = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ArnProperties arn;

    RegistrySnapshots(JdbcClient jdbc, JsonMapper json, ArnProperties arn) {
        this.jdbc = jdbc;
        this.json = json;
        this.arn = arn;
    }

    public Optional<RegistryEvent.Thing> thing(String name) {
        return jdbc.sql("SELECT name, id, thing_type, attributes::text AS attributes, version FROM thing"
                        + " WHERE name = ?")
                .param(name)
                .query((rs, row) -> new RegistryEvent.Thing(rs.getString("name"), rs.getString("id"),
                        arn.arn("thing", rs.getString("name")), rs.getString("thing_type"),
                        json.readValue(rs.getString("attributes"), ATTRIBUTES), rs.getLong("version"),
                        jdbc.sql("SELECT group_name FROM thing_group_member WHERE thing_name = ? ORDER BY group_name")
                                .param(name).query(String.class).list(),
                        jdbc.sql("SELECT principal FROM thing_principal WHERE thing_name = ? ORDER BY principal")
                                .param(name).query(String.class).list()))
                .optional();
    }

    public Optional<RegistryEvent.ThingType> thingType(String name) {
        return jdbc.sql("""
                        SELECT name, id, description, searchable_attributes::text AS searchable, deprecated,
                               deprecated_at FROM thing_type WHERE name = ?""")
                .param(name)
                .query((rs, row) -> new RegistryEvent.ThingType(rs.getString("name"), rs.getString("id"),
                        arn.arn("thingtype", rs.getString("name")), rs.getString("description"),
                        json.readValue(rs.getString("searchable"), NAMES), rs.getBoolean("deprecated"),
                        millis(rs, "deprecated_at")))
                .optional();
    }

    public Optional<RegistryEvent.ThingGroup> thingGroup(String name) {
        return jdbc.sql("""
                        SELECT name, id, parent_name, description, attributes::text AS attributes, version
                        FROM thing_group WHERE name = ?""")
                .param(name)
                .query((rs, row) -> new RegistryEvent.ThingGroup(rs.getString("name"), rs.getString("id"),
                        arn.arn("thinggroup", rs.getString("name")), rs.getString("parent_name"),
                        rs.getString("description"), json.readValue(rs.getString("attributes"), ATTRIBUTES),
                        rs.getLong("version")))
                .optional();
    }

    private static Long millis(ResultSet rs, String column) throws SQLException {
        java.sql.Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.getTime();
    }
}
