package io.openiot.sink.ingest;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeSet;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes items to PostgreSQL: one JDBC batch in one transaction per call. Idempotent: an item whose table and source
 * message id are already stored is skipped by the unique constraint, not written again.
 */
@Repository
class ItemWriter {

    private static final String INSERT_TABLE = """
            INSERT INTO sink_table (name) VALUES (?) ON CONFLICT (name) DO NOTHING""";

    private static final String INSERT_ITEM = """
            INSERT INTO item (table_name, partition_key, sort_key, item, source_message_id, message_time)
            VALUES (?, ?, ?, ?::jsonb, ?, ?)
            ON CONFLICT (table_name, source_message_id) DO NOTHING""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    ItemWriter(JdbcTemplate jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    /** How many items were inserted and how many were already there. */
    record Outcome(int stored, int duplicates) {
    }

    Outcome write(List<StorableItem> items) {
        if (items.isEmpty()) {
            return new Outcome(0, 0);
        }
        return transaction.execute(status -> {
            // sorted, so that two consumers creating the same new tables lock them in the same order
            List<String> tables = List.copyOf(new TreeSet<>(items.stream().map(StorableItem::table).toList()));
            jdbc.batchUpdate(INSERT_TABLE, tables, tables.size(), (statement, table) -> statement.setString(1, table));
            int[] counts = jdbc.batchUpdate(INSERT_ITEM, new BatchPreparedStatementSetter() {
                @Override
                public void setValues(PreparedStatement statement, int i) throws SQLException {
                    bind(statement, items.get(i));
                }

                @Override
                public int getBatchSize() {
                    return items.size();
                }
            });
            int stored = 0;
            for (int count : counts) {
                stored += count > 0 ? 1 : 0;
            }
            return new Outcome(stored, items.size() - stored);
        });
    }

    private static void bind(PreparedStatement statement, StorableItem item) throws SQLException {
        statement.setString(1, item.table());
        statement.setString(2, item.partitionKey());
        if (item.sortKey() == null) {
            statement.setNull(3, Types.VARCHAR);
        } else {
            statement.setString(3, item.sortKey());
        }
        statement.setString(4, item.itemJson());
        statement.setString(5, item.sourceMessageId());
        statement.setObject(6, OffsetDateTime.ofInstant(Instant.ofEpochMilli(item.timestamp()), ZoneOffset.UTC));
    }
}
