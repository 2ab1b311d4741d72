package io.openiot.sink.item;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads tables and items. Item pages follow the {@code (message_time DESC, id DESC)} indexes. */
@Repository
class ItemRepository {

    private static final String TABLE_COLUMNS = "name, partition_key_name, partition_key_type, sort_key_name, "
            + "sort_key_type, time_attribute, ttl_attribute, retention_days, created_at";

    private final JdbcClient jdbc;

    ItemRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored item and its id, which only the page token needs. */
    record ItemRow(long id, ItemView view) {
    }

    List<TableDescription> tables() {
        return jdbc.sql("SELECT " + TABLE_COLUMNS + " FROM sink_table ORDER BY name")
                .query((rs, n) -> table(rs, null))
                .list();
    }

    Optional<TableDescription> table(String name) {
        return jdbc.sql("SELECT " + TABLE_COLUMNS + " FROM sink_table WHERE name = ?")
                .param(name)
                .query((rs, n) -> table(rs, null))
                .optional();
    }

    long itemCount(String table) {
        return jdbc.sql("SELECT count(*) FROM item WHERE table_name = ?").param(table).query(Long.class).single();
    }

    /** Up to {@code rows} items of the query, newest first. */
    List<ItemRow> find(ItemQuery query, ItemQuery.SortRange range, int rows) {
        StringBuilder sql = new StringBuilder("""
                SELECT id, partition_key, sort_key, item::text AS item, message_time, stored_at
                FROM item WHERE table_name = ? AND (expires_at IS NULL OR expires_at > now())""");
        List<Object> params = new ArrayList<>();
        params.add(query.table());
        if (query.partitionKey() != null) {
            sql.append(" AND partition_key = ?");
            params.add(query.partitionKey());
        }
        if (range != null) {
            // the partition's items with these sort keys; numbers by value, strings in byte order, binaries by bytes
            String column = switch (range.type()) {
                case N -> "sort_key_num";
                case B -> "decode(sort_key, 'base64')";
                case S -> "sort_key COLLATE \"C\"";
            };
            sql.append(" AND item_key LIKE 'k:%'");
            if (range.from() != null) {
                sql.append(" AND ").append(column).append(" >= ?");
                params.add(sortValue(range.type(), range.from()));
            }
            if (range.to() != null) {
                sql.append(" AND ").append(column).append(" <= ?");
                params.add(sortValue(range.type(), range.to()));
            }
            if (range.prefix() != null && range.type() == io.openiot.sink.table.KeySchema.KeyType.B) {
                byte[] prefix = java.util.Base64.getDecoder().decode(range.prefix());
                sql.append(" AND substring(decode(sort_key, 'base64') FROM 1 FOR ?) = ?");
                params.add(prefix.length);
                params.add(prefix);
            } else if (range.prefix() != null) {
                sql.append(" AND starts_with(sort_key, ?)");
                params.add(range.prefix());
            }
        }
        if (query.from() != null) {
            sql.append(" AND message_time >= ?");
            params.add(utc(query.from()));
        }
        if (query.to() != null) {
            sql.append(" AND message_time < ?");
            params.add(utc(query.to()));
        }
        if (query.after() != null) {
            // row comparison: strictly after the last item of the previous page, and still an index range scan
            sql.append(" AND (message_time, id) < (?, ?)");
            params.add(utc(Instant.ofEpochMilli(query.after().messageTime())));
            params.add(query.after().id());
        }
        sql.append(" ORDER BY message_time DESC, id DESC LIMIT ?");
        params.add(rows);
        return jdbc.sql(sql.toString()).params(params).query((rs, n) -> new ItemRow(rs.getLong("id"),
                new ItemView(rs.getString("partition_key"), rs.getString("sort_key"), millis(rs, "message_time"),
                        millis(rs, "stored_at"), rs.getString("item")))).list();
    }

    private static TableDescription table(ResultSet rs, Long itemCount) throws SQLException {
        return new TableDescription(rs.getString("name"), rs.getString("partition_key_name"),
                trim(rs.getString("partition_key_type")), rs.getString("sort_key_name"),
                trim(rs.getString("sort_key_type")), rs.getString("time_attribute"), rs.getString("ttl_attribute"),
                rs.getObject("retention_days", Integer.class), millis(rs, "created_at"), itemCount);
    }

    /** The item with this key: one index lookup on the unique key. */
    Optional<ItemView> item(String table, String partitionKey, String itemKey) {
        return jdbc.sql("""
                        SELECT partition_key, sort_key, item::text AS item, message_time, stored_at
                        FROM item WHERE table_name = ? AND partition_key = ? AND item_key = ?
                          AND (expires_at IS NULL OR expires_at > now())""")
                .params(table, partitionKey, itemKey)
                .query((rs, n) -> new ItemView(rs.getString("partition_key"), rs.getString("sort_key"),
                        millis(rs, "message_time"), millis(rs, "stored_at"), rs.getString("item")))
                .optional();
    }

    private static Object sortValue(io.openiot.sink.table.KeySchema.KeyType type, String canonical) {
        return switch (type) {
            case N -> new java.math.BigDecimal(canonical);
            case B -> java.util.Base64.getDecoder().decode(canonical);
            case S -> canonical;
        };
    }

    private static String trim(String text) {
        return text == null ? null : text.strip();
    }

    private static long millis(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant().toEpochMilli();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
