package io.openiot.sink.ingest;

import io.openiot.sink.table.KeySchema;
import io.openiot.sink.table.TableCatalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes items to PostgreSQL in one transaction per call: a batch of puts of distinct items is one set-based statement
 * (the common case: telemetry); any other batch is one JDBC batch, each record one statement, in the order of the
 * batch (so an INSERT then an UPDATE of one item end as the UPDATE left it). Idempotent: a record whose source
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
            ), updated AS (
                UPDATE item AS i SET
                    item = CASE WHEN :merge THEN i.item || CAST(:item AS jsonb) ELSE CAST(:item AS jsonb) END,
                    expires_at = sink_expiry(CASE WHEN :merge THEN i.item || CAST(:item AS jsonb)
                                                  ELSE CAST(:item AS jsonb) END, :table),
                    source_message_id = :source,
                    message_time = :time,
                    stored_at = now()
                WHERE NOT :delete AND EXISTS (SELECT 1 FROM fresh)
                    AND i.table_name = :table AND i.partition_key = :pk AND i.item_key = :itemKey
                RETURNING 1
            ), written AS (
                INSERT INTO item (table_name, partition_key, sort_key, sort_key_num, item_key, item,
                                  source_message_id, message_time, expires_at)
                SELECT :table, :pk, :sk, :skNum, :itemKey, CAST(:item AS jsonb), :source, :time,
                       sink_expiry(CAST(:item AS jsonb), :table)
                FROM fresh WHERE NOT :delete AND NOT EXISTS (SELECT 1 FROM updated)
                RETURNING 1
            )
            INSERT INTO applied_message (table_name, source_message_id)
            SELECT :table, :source FROM fresh
            ON CONFLICT DO NOTHING""";

    /**
     * A batch of puts of distinct items with distinct source ids, as one statement over arrays: the source ids not
     * applied yet are recorded, and exactly their items are written (replacing what the keys held). Same effect as
     * {@link #APPLY} per record, without a round trip and a plan execution per record.
     */
    private static final String PUT_ALL = """
            WITH input AS (
                SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS numeric[]),
                                     CAST(? AS text[]), CAST(? AS jsonb[]), CAST(? AS text[]),
                                     CAST(? AS timestamptz[]))
                    AS u(table_name, pk, sk, sk_num, item_key, item, source, time)
            ), fresh AS (
                INSERT INTO applied_message (table_name, source_message_id)
                SELECT table_name, source FROM input
                ON CONFLICT DO NOTHING
                RETURNING table_name, source_message_id
            ), todo AS (
                SELECT n.* FROM input n JOIN fresh f ON f.table_name = n.table_name AND f.source_message_id = n.source
            ), replaced AS (
                UPDATE item AS i SET
                    item = t.item,
                    expires_at = sink_expiry(t.item, t.table_name),
                    source_message_id = t.source,
                    message_time = t.time,
                    stored_at = now()
                FROM todo t
                WHERE i.table_name = t.table_name AND i.partition_key = t.pk AND i.item_key = t.item_key
                RETURNING i.table_name, i.partition_key, i.item_key
            ), added AS (
                INSERT INTO item (table_name, partition_key, sort_key, sort_key_num, item_key, item,
                                  source_message_id, message_time, expires_at)
                SELECT t.table_name, t.pk, t.sk, t.sk_num, t.item_key, t.item, t.source, t.time,
                       sink_expiry(t.item, t.table_name)
                FROM todo t
                WHERE NOT EXISTS (SELECT 1 FROM replaced r WHERE r.table_name = t.table_name
                                  AND r.partition_key = t.pk AND r.item_key = t.item_key)
                RETURNING 1
            )
            SELECT count(*) FROM todo""";

    /**
     * Locks the keys of the items a transaction writes (see {@code V5__item_partitions.sql}): with time partitions
     * no unique index holds an item's key, so a writer keeps it unique by updating the row with that key, or
     * inserting one when there is none, under this lock.
     */
    static final String LOCK_ITEMS = "SELECT sink_lock_items(CAST(? AS text[]), CAST(? AS text[]), "
            + "CAST(? AS text[]))";

    private final NamedParameterJdbcTemplate jdbc;
    private final JdbcTemplate plain;
    private final TransactionTemplate transaction;
    private final TableCatalog catalog;
    private final ItemResolver resolver;
    private final boolean autoCreateTables;

    ItemWriter(JdbcTemplate jdbc, TransactionTemplate transaction, TableCatalog catalog, JsonMapper json,
               IngestProperties properties, SinkProperties sink) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
        this.plain = jdbc;
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
            List<StorableItem> written = new ArrayList<>(items.size());
            List<ItemResolver.Write> writes = new ArrayList<>(items.size());
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
                    written.add(item);
                    writes.add((ItemResolver.Write) resolution);
                }
            }
            int stored = 0;
            if (!writes.isEmpty()) {
                lock(written, writes);
            }
            if (writes.size() > 1 && onlyDistinctPuts(written, writes)) {
                stored = putAll(written, writes);
            } else if (!writes.isEmpty()) {
                MapSqlParameterSource[] parameters = new MapSqlParameterSource[writes.size()];
                for (int i = 0; i < parameters.length; i++) {
                    parameters[i] = parameters(written.get(i), writes.get(i));
                }
                for (int count : jdbc.batchUpdate(APPLY, parameters)) {
                    stored += count > 0 ? 1 : 0;
                }
            }
            return new Outcome(stored, writes.size() - stored, refused);
        });
    }

    /**
     * Whether the batch can be one set-based statement: only puts, no item twice (an UPDATE may change a row once per
     * statement, and order between writes of one item matters) and no source id twice.
     */
    private static boolean onlyDistinctPuts(List<StorableItem> items, List<ItemResolver.Write> writes) {
        Set<String> keys = new HashSet<>();
        Set<String> sources = new HashSet<>();
        for (int i = 0; i < writes.size(); i++) {
            ItemResolver.Write write = writes.get(i);
            String table = items.get(i).table();
            if (write.delete() || write.merge()
                    || !keys.add(table + '\0' + write.partitionKey() + '\0' + write.itemKey())
                    || !sources.add(table + '\0' + items.get(i).sourceMessageId())) {
                return false;
            }
        }
        return true;
    }

    private int putAll(List<StorableItem> items, List<ItemResolver.Write> writes) {
        int n = writes.size();
        String[] tables = new String[n];
        String[] partitionKeys = new String[n];
        String[] sortKeys = new String[n];
        String[] sortKeyNumbers = new String[n];
        String[] itemKeys = new String[n];
        String[] bodies = new String[n];
        String[] sources = new String[n];
        String[] times = new String[n];
        for (int i = 0; i < n; i++) {
            StorableItem item = items.get(i);
            ItemResolver.Write write = writes.get(i);
            tables[i] = item.table();
            partitionKeys[i] = write.partitionKey();
            sortKeys[i] = write.sortKey();
            sortKeyNumbers[i] = write.sortKeyNumber() == null ? null : write.sortKeyNumber().toPlainString();
            itemKeys[i] = write.itemKey();
            bodies[i] = write.itemJson();
            sources[i] = item.sourceMessageId();
            times[i] = Instant.ofEpochMilli(item.timestamp()).toString();
        }
        Integer stored = plain.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(PUT_ALL)) {
                String[][] columns = {tables, partitionKeys, sortKeys, sortKeyNumbers, itemKeys, bodies, sources,
                        times};
                for (int c = 0; c < columns.length; c++) {
                    statement.setArray(c + 1, connection.createArrayOf("text", columns[c]));
                }
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    return result.getInt(1);
                }
            }
        });
        return stored == null ? 0 : stored;
    }

    private void lock(List<StorableItem> items, List<ItemResolver.Write> writes) {
        int n = writes.size();
        String[] tables = new String[n];
        String[] partitionKeys = new String[n];
        String[] itemKeys = new String[n];
        for (int i = 0; i < n; i++) {
            tables[i] = items.get(i).table();
            partitionKeys[i] = writes.get(i).partitionKey();
            itemKeys[i] = writes.get(i).itemKey();
        }
        plain.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(LOCK_ITEMS)) {
                statement.setArray(1, connection.createArrayOf("text", tables));
                statement.setArray(2, connection.createArrayOf("text", partitionKeys));
                statement.setArray(3, connection.createArrayOf("text", itemKeys));
                statement.execute();
                return null;
            }
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
