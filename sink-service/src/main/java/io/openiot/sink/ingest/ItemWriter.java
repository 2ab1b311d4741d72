package io.openiot.sink.ingest;

import io.openiot.sink.table.KeySchema;
import io.openiot.sink.table.TableCatalog;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes items to PostgreSQL: one JDBC batch in one transaction per call, each record one statement, in the order of
 * the batch (so an INSERT then an UPDATE of one item end as the UPDATE left it). Idempotent: a record whose source
 * message id the table has already applied is skipped ({@code applied_message}), also when it is replayed after later
 * writes to the same item.
 */
@Repository
class ItemWriter {

    /**
     * One record: skipped entirely when its source id was applied; else it deletes the item, or puts it (replacing
     * the stored attributes) or updates it (merging the top-level attributes into the stored ones), and records the
     * source id. The update count is that of the applied_message insert: 1 applied, 0 duplicate.
     */
    private static final String APPLY = """
            WITH fresh AS (
                SELECT 1 WHERE NOT EXISTS (
                    SELECT 1 FROM applied_message WHERE table_name = :table AND source_message_id = :source)
            ), removed AS (
                DELETE FROM item WHERE :delete AND EXISTS (SELECT 1 FROM fresh)
                    AND table_name = :table AND partition_key = :pk AND item_key = :itemKey
                RETURNING 1
            ), written AS (
                INSERT INTO item AS i (table_name, partition_key, sort_key, sort_key_num, item_key, item,
                                       source_message_id, message_time)
                SELECT :table, :pk, :sk, :skNum, :itemKey, CAST(:item AS jsonb), :source, :time
                FROM fresh WHERE NOT :delete
                ON CONFLICT (table_name, partition_key, item_key) DO UPDATE SET
                    item = CASE WHEN :merge THEN i.item || EXCLUDED.item ELSE EXCLUDED.item END,
                    source_message_id = EXCLUDED.source_message_id,
                    message_time = EXCLUDED.message_time,
                    stored_at = now()
                RETURNING 1
            )
            INSERT INTO applied_message (table_name, source_message_id)
            SELECT :table, :source FROM fresh
            ON CONFLICT DO NOTHING""";

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final TableCatalog catalog;
    private final ItemResolver resolver;
    private final boolean autoCreateTables;

    ItemWriter(JdbcTemplate jdbc, TransactionTemplate transaction, TableCatalog catalog, JsonMapper json,
               IngestProperties properties, SinkProperties sink) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
        this.transaction = transaction;
        this.catalog = catalog;
        this.resolver = new ItemResolver(json, properties.maxItemBytes());
        this.autoCreateTables = sink.autoCreateTables();
    }

    /** A record that does not fit its table (by its index in the written list), and why. */
    record Refusal(int index, String reason) {
    }

    /** How many records were applied, how many were already applied before, and which do not fit their table. */
    record Outcome(int stored, int duplicates, List<Refusal> refused) {
    }

    Outcome write(List<StorableItem> items) {
        if (items.isEmpty()) {
            return new Outcome(0, 0, List.of());
        }
        return transaction.execute(status -> {
            Map<String, KeySchema> schemas = schemas(items);
            List<Refusal> refused = new ArrayList<>();
            List<MapSqlParameterSource> writes = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                StorableItem item = items.get(i);
                KeySchema schema = schemas.get(item.table());
                if (schema == null) {
                    refused.add(new Refusal(i, autoCreateTables
                            ? "no table '" + item.table() + "', and the record gives no partitionKeyName to create it"
                            : "no table '" + item.table() + "' (iot.sink.auto-create-tables is off)"));
                    continue;
                }
                ItemResolver.Resolution resolution = resolver.resolve(item, schema);
                if (resolution instanceof ItemResolver.Refused refusal) {
                    refused.add(new Refusal(i, refusal.reason()));
                } else {
                    writes.add(parameters(item, (ItemResolver.Write) resolution));
                }
            }
            int stored = 0;
            if (!writes.isEmpty()) {
                for (int count : jdbc.batchUpdate(APPLY, writes.toArray(MapSqlParameterSource[]::new))) {
                    stored += count > 0 ? 1 : 0;
                }
            }
            return new Outcome(stored, writes.size() - stored, refused);
        });
    }

    /** The key schemas of the batch's tables, creating missing ones when allowed (from their first record). */
    private Map<String, KeySchema> schemas(List<StorableItem> items) {
        // sorted, so that two consumers creating the same new tables lock them in the same order
        Map<String, StorableItem> firstByTable = new TreeMap<>();
        for (StorableItem item : items) {
            firstByTable.putIfAbsent(item.table(), item);
        }
        Map<String, KeySchema> schemas = catalog.keySchemas(firstByTable.keySet());
        if (autoCreateTables && schemas.size() < firstByTable.size()) {
            boolean created = false;
            for (Map.Entry<String, StorableItem> entry : firstByTable.entrySet()) {
                KeySchema schema = ItemResolver.schemaFor(entry.getValue());
                if (!schemas.containsKey(entry.getKey()) && schema != null) {
                    catalog.create(entry.getKey(), schema, null, null, null, List.of());
                    created = true;
                }
            }
            if (created) {
                // another writer may have created a table first, with its own schema: that one holds
                schemas = catalog.keySchemas(firstByTable.keySet());
            }
        }
        return schemas;
    }

    private static MapSqlParameterSource parameters(StorableItem item, ItemResolver.Write write) {
        return new MapSqlParameterSource()
                .addValue("table", item.table())
                .addValue("source", item.sourceMessageId())
                .addValue("delete", write.delete(), Types.BOOLEAN)
                .addValue("merge", write.merge(), Types.BOOLEAN)
                .addValue("pk", write.partitionKey())
                .addValue("sk", write.sortKey(), Types.VARCHAR)
                .addValue("skNum", write.sortKeyNumber(), Types.NUMERIC)
                .addValue("itemKey", write.itemKey())
                .addValue("item", write.itemJson())
                .addValue("time", OffsetDateTime.ofInstant(Instant.ofEpochMilli(item.timestamp()), ZoneOffset.UTC),
                        Types.TIMESTAMP_WITH_TIMEZONE);
    }
}
