package io.openiot.sink.table;

import io.openiot.sink.table.KeySchema.KeyType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code sink_table} catalogue: which tables exist and their key schemas. */
@Repository
public class TableCatalog {

    private final JdbcTemplate jdbc;
    private final AnalyticsViews views;
    private final Partitions partitions;

    TableCatalog(JdbcTemplate jdbc, AnalyticsViews views, Partitions partitions) {
        this.jdbc = jdbc;
        this.views = views;
        this.partitions = partitions;
    }

    /** The key schemas of those of the named tables that exist. */
    public Map<String, KeySchema> keySchemas(Collection<String> names) {
        Map<String, KeySchema> schemas = new HashMap<>();
        if (names.isEmpty()) {
            return schemas;
        }
        jdbc.query("SELECT name, partition_key_name, partition_key_type, sort_key_name, sort_key_type "
                        + "FROM sink_table WHERE name = ANY (?)",
                rs -> {
                    schemas.put(rs.getString("name"), keySchema(rs));
                },
                (Object) names.toArray(String[]::new));
        return schemas;
    }

    /** Creates the table unless it exists; true if this call created it. */
    public boolean create(String name, KeySchema schema, String timeAttribute, String ttlAttribute,
                          Integer retentionDays, List<String> numericAttributes) {
        boolean created = jdbc.update("""
                        INSERT INTO sink_table (name, partition_key_name, partition_key_type, sort_key_name,
                                                sort_key_type, time_attribute, ttl_attribute, retention_days,
                                                numeric_attributes)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING""",
                name, schema.partitionKeyName(), type(schema.partitionKeyType()), schema.sortKeyName(),
                type(schema.sortKeyType()), timeAttribute, ttlAttribute, retentionDays,
                numericAttributes.toArray(String[]::new)) > 0;
        if (created) {
            // in the same transaction: a table, its partition (and its first days) and its view exist together
            jdbc.queryForList("SELECT sink_create_partition(?)", name);
            if (retentionDays != null) {
                partitions.createDays(name);
            }
            views.createViewQuietly(name, schema, numericAttributes);
        }
        return created;
    }

    /** Drops the table and its items; false if there was no such table. */
    public boolean delete(String name) {
        if (table(name).isEmpty()) {
            return false;
        }
        views.dropView(name);
        // its partition goes whole, rows and all
        jdbc.queryForList("SELECT sink_drop_partition(?)", name);
        if (jdbc.update("DELETE FROM sink_table WHERE name = ?", name) == 0) {
            return false;
        }
        jdbc.update("DELETE FROM applied_message WHERE table_name = ?", name);
        return true;
    }

    /** A table as the catalogue knows it. */
    public record TableInfo(String name, KeySchema keySchema, Instant createdAt) {
    }

    public Optional<TableInfo> table(String name) {
        return jdbc.query("SELECT name, partition_key_name, partition_key_type, sort_key_name, sort_key_type, "
                        + "created_at FROM sink_table WHERE name = ?",
                (rs, n) -> new TableInfo(rs.getString("name"), keySchema(rs),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant()), name).stream().findFirst();
    }

    /** Up to {@code limit} table names after {@code after} (null: from the first), in name order. */
    public List<String> names(String after, int limit) {
        return jdbc.queryForList("SELECT name FROM sink_table WHERE name > ? ORDER BY name LIMIT ?", String.class,
                after == null ? "" : after, limit);
    }

    public long itemCount(String name) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM item WHERE table_name = ?", Long.class, name);
        return count == null ? 0 : count;
    }

    static KeySchema keySchema(ResultSet rs) throws SQLException {
        return new KeySchema(rs.getString("partition_key_name"), keyType(rs.getString("partition_key_type")),
                rs.getString("sort_key_name"), keyType(rs.getString("sort_key_type")));
    }

    private static KeyType keyType(String text) {
        return text == null ? null : KeyType.valueOf(text.strip());
    }

    private static String type(KeyType type) {
        return type == null ? null : type.name();
    }
}
