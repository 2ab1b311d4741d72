package io.openiot.sink.dynamodb;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Items written and read by key over the DynamoDB API; the same rows and unique key the ingest writes. */
@Repository
class ItemStore {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    ItemStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** PutItem: the item replaces the one with its key. */
    void put(String table, ItemKey key, String itemJson) {
        jdbc.update("""
                        INSERT INTO item (table_name, partition_key, sort_key, sort_key_num, item_key, item,
                                          source_message_id, message_time)
                        VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                        ON CONFLICT (table_name, partition_key, item_key) DO UPDATE SET
                            item = EXCLUDED.item, source_message_id = EXCLUDED.source_message_id,
                            message_time = EXCLUDED.message_time, stored_at = now()""",
                table, key.partitionKey(), key.sortKey(), key.sortKeyNumber(), key.itemKey(), itemJson,
                // an API write has no source message; a fresh id keeps the column meaningful (last writer)
                "api:" + UUID.randomUUID(), OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
    }

    Optional<String> get(String table, ItemKey key) {
        return jdbc.queryForList("SELECT item::text FROM item WHERE table_name = ? AND partition_key = ? "
                + "AND item_key = ?", String.class, table, key.partitionKey(), key.itemKey()).stream().findFirst();
    }

    void delete(String table, ItemKey key) {
        jdbc.update("DELETE FROM item WHERE table_name = ? AND partition_key = ? AND item_key = ?", table,
                key.partitionKey(), key.itemKey());
    }
}
