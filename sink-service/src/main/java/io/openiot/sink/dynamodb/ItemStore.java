package io.openiot.sink.dynamodb;

import io.openiot.sink.table.KeySchema;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Items written and read by key over the DynamoDB API; the same rows the ingest writes, kept unique by key the same way. */
@Repository
class ItemStore {

    /**
     * Rows a read may return: an item past its time to live is gone for readers at once, before the sweep deletes it
     * (the database's clock, the one the sweep compares with too).
     */
    static final String LIVE = "(expires_at IS NULL OR expires_at > now())";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    ItemStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * PutItem: the item replaces the one with its key. In the caller's transaction: the key's lock (see
     * {@code V5__item_partitions.sql}) is held until it ends, so the row is found and replaced, or inserted, once.
     */
    void put(String table, ItemKey key, String itemJson) {
        lock(table, key);
        // an API write has no source message; a fresh id keeps the column meaningful (last writer)
        String source = "api:" + UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        int replaced = jdbc.update("""
                        UPDATE item SET item = ?::jsonb, expires_at = sink_expiry(?::jsonb, ?),
                            source_message_id = ?, message_time = ?, stored_at = now()
                        WHERE table_name = ? AND partition_key = ? AND item_key = ?""",
                itemJson, itemJson, table, source, now, table, key.partitionKey(), key.itemKey());
        if (replaced == 0) {
            jdbc.update("""
                            INSERT INTO item (table_name, partition_key, sort_key, sort_key_num, item_key, item,
                                              source_message_id, message_time, expires_at)
                            VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, sink_expiry(?::jsonb, ?))""",
                    table, key.partitionKey(), key.sortKey(), key.sortKeyNumber(), key.itemKey(), itemJson,
                    source, now, itemJson, table);
        }
    }

    private void lock(String table, ItemKey key) {
        jdbc.queryForList("SELECT sink_lock_items(ARRAY[?::text], ARRAY[?::text], ARRAY[?::text])", table, key.partitionKey(),
                key.itemKey());
    }

    Optional<String> get(String table, ItemKey key) {
        return jdbc.queryForList("SELECT item::text FROM item WHERE table_name = ? AND partition_key = ? "
                + "AND item_key = ? AND " + LIVE, String.class, table, key.partitionKey(), key.itemKey())
                .stream().findFirst();
    }

    void delete(String table, ItemKey key) {
        jdbc.update("DELETE FROM item WHERE table_name = ? AND partition_key = ? AND item_key = ?", table,
                key.partitionKey(), key.itemKey());
    }

    /** A stored item and the canonical text of its keys. */
    record Stored(String partitionKey, String sortKey, String itemJson) {
    }

    /**
     * A sort-key condition in SQL over the sort column of the table's sort key type ({@code sort_key_num} for
     * numbers, {@code sort_key} in byte order otherwise), with its parameters.
     */
    record SortCondition(String sql, List<Object> parameters) {
    }

    /** One page of one partition in sort-key order: an index range scan, never more rows than {@code limit}. */
    List<Stored> query(String table, String partitionKey, KeySchema.KeyType sortKeyType, SortCondition condition,
                       boolean forward, Object exclusiveStart, int limit) {
        // binary keys are base64 text, whose order is not that of the bytes: ranges compare the decoded bytes (no
        // index on them: the partition's rows are sorted)
        String column = sortKeyType == KeySchema.KeyType.N ? "sort_key_num"
                : sortKeyType == KeySchema.KeyType.B ? "decode(sort_key, 'base64')" : "sort_key COLLATE \"C\"";
        StringBuilder sql = new StringBuilder("SELECT partition_key, sort_key, item::text FROM item "
                + "WHERE table_name = ? AND partition_key = ? AND item_key LIKE 'k:%' AND " + LIVE);
        List<Object> parameters = new ArrayList<>(List.of(table, partitionKey));
        if (condition != null) {
            sql.append(" AND ").append(condition.sql().replace("$column", column));
            parameters.addAll(condition.parameters());
        }
        if (exclusiveStart != null) {
            sql.append(" AND ").append(column).append(forward ? " > ?" : " < ?");
            parameters.add(exclusiveStart);
        }
        sql.append(" ORDER BY ").append(column).append(forward ? " ASC" : " DESC").append(" LIMIT ?");
        parameters.add(limit);
        return jdbc.query(sql.toString(), (rs, n) -> new Stored(rs.getString(1), rs.getString(2), rs.getString(3)),
                parameters.toArray());
    }

    /** One page of a whole table in key order; {@code after} is the last key of the previous page. */
    List<Stored> scan(String table, ItemKey after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT partition_key, sort_key, item::text FROM item "
                + "WHERE table_name = ? AND " + LIVE);
        List<Object> parameters = new ArrayList<>(List.of(table));
        if (after != null) {
            sql.append(" AND (partition_key, item_key) > (?, ?)");
            parameters.add(after.partitionKey());
            parameters.add(after.itemKey());
        }
        sql.append(" ORDER BY partition_key, item_key LIMIT ?");
        parameters.add(limit);
        return jdbc.query(sql.toString(), (rs, n) -> new Stored(rs.getString(1), rs.getString(2), rs.getString(3)),
                parameters.toArray());
    }

    /** The stored item with this key, locked until the transaction ends (UpdateItem reads, changes, writes). */
    Optional<String> getForUpdate(String table, ItemKey key) {
        // also when there is no item yet: two UpdateItems of a new key must not both start from nothing
        lock(table, key);
        return jdbc.queryForList("SELECT item::text FROM item WHERE table_name = ? AND partition_key = ? "
                + "AND item_key = ? AND " + LIVE + " FOR UPDATE", String.class, table, key.partitionKey(),
                key.itemKey())
                .stream().findFirst();
    }
}
