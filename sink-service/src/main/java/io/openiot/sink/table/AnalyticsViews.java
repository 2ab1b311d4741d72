package io.openiot.sink.table;

import io.openiot.sink.table.KeySchema.KeyType;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The analysts' side: one view per table in schema {@code analytics} (typed key columns, arrival and message time,
 * the item as {@code jsonb}, one NUMERIC column per declared numeric attribute), and a read-only login role that may
 * read those views and nothing else. The views run with the service's privileges, so the role needs no grant on
 * {@code item}, and sees only the rows of its view's table.
 */
@Component
public class AnalyticsViews implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsViews.class);

    /** Names the view uses for its own columns; a declared numeric attribute of one of these names gets none. */
    private static final Set<String> OWN_COLUMNS = Set.of("arrived_at", "message_time", "item", "partition_key",
            "sort_key");

    private final JdbcTemplate jdbc;
    private final AnalyticsProperties properties;
    private final TransactionTemplate savepoint;

    AnalyticsViews(JdbcTemplate jdbc, AnalyticsProperties properties, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.properties = properties;
        // inside a write's transaction, a view that cannot be made rolls back to a savepoint, not the write
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * Creates the view of a new table, or logs why it cannot (e.g. a key named like one of the view's own columns):
     * SQL access is a side door, it never fails the table's creation or a write.
     */
    public void createViewQuietly(String table, KeySchema schema, List<String> numericAttributes) {
        try {
            savepoint.executeWithoutResult(status -> createView(table, schema, numericAttributes));
        } catch (RuntimeException e) {
            log.warn("No analytics view for table '{}': {}", table, e.getMessage());
        }
    }

    /** At start: the role (when a password is configured) and a view for every table, also those of older versions. */
    @Override
    public void run(ApplicationArguments args) {
        try {
            if (properties.readerPassword() != null && !properties.readerPassword().isEmpty()) {
                createReader();
            }
            jdbc.query("SELECT name, partition_key_name, partition_key_type, sort_key_name, sort_key_type, "
                            + "numeric_attributes FROM sink_table",
                    rs -> {
                        createViewQuietly(rs.getString("name"), TableCatalog.keySchema(rs),
                                List.of((String[]) rs.getArray("numeric_attributes").getArray()));
                    });
        } catch (RuntimeException e) {
            // SQL access is a side door: without it ingest and the APIs still work
            log.warn("Analytics views or the read-only role could not be set up: {}", e.getMessage());
        }
    }

    /** Creates or replaces the view of one table. */
    public void createView(String table, KeySchema schema, List<String> numericAttributes) {
        StringBuilder select = new StringBuilder("SELECT ");
        if (schema.keyed()) {
            select.append(typed("i.partition_key", schema.partitionKeyType())).append(" AS ")
                    .append(identifier(schema.partitionKeyName()));
            if (schema.hasSortKey()) {
                select.append(", ").append(typed("i.sort_key", schema.sortKeyType())).append(" AS ")
                        .append(identifier(schema.sortKeyName()));
            }
        } else {
            select.append("i.partition_key, i.sort_key");
        }
        select.append(", i.stored_at AS arrived_at, i.message_time, i.item");
        for (String attribute : numericAttributes) {
            if (attribute.equals(schema.partitionKeyName()) || attribute.equals(schema.sortKeyName())
                    || OWN_COLUMNS.contains(attribute)) {
                continue;
            }
            select.append(", CASE WHEN jsonb_typeof(i.item -> ").append(literal(attribute))
                    .append(") = 'number' THEN (i.item ->> ").append(literal(attribute)).append(")::numeric END AS ")
                    .append(identifier(attribute));
        }
        select.append(" FROM item i WHERE i.table_name = ").append(literal(table))
                // an item past its time to live is gone for every reader, the analysts too
                .append(" AND (i.expires_at IS NULL OR i.expires_at > now())");
        // DROP first: CREATE OR REPLACE cannot change a view's columns
        jdbc.execute("DROP VIEW IF EXISTS analytics." + identifier(table));
        jdbc.execute("CREATE VIEW analytics." + identifier(table) + " AS " + select);
        if (properties.readerPassword() != null && !properties.readerPassword().isEmpty()) {
            jdbc.execute("GRANT SELECT ON analytics." + identifier(table) + " TO "
                    + identifier(properties.readerRole()));
        }
    }

    public void dropView(String table) {
        jdbc.execute("DROP VIEW IF EXISTS analytics." + identifier(table));
    }

    private void createReader() {
        String role = identifier(properties.readerRole());
        Integer exists = jdbc.queryForObject("SELECT count(*) FROM pg_roles WHERE rolname = ?", Integer.class,
                properties.readerRole());
        // DDL takes no bind parameters: the password goes in as an escaped literal
        if (exists == null || exists == 0) {
            jdbc.execute("CREATE ROLE " + role + " LOGIN PASSWORD " + literal(properties.readerPassword()));
        } else {
            jdbc.execute("ALTER ROLE " + role + " LOGIN PASSWORD " + literal(properties.readerPassword()));
        }
        jdbc.execute("ALTER ROLE " + role + " SET default_transaction_read_only = on");
        String database = jdbc.queryForObject("SELECT current_database()", String.class);
        jdbc.execute("GRANT CONNECT ON DATABASE " + identifier(database) + " TO " + role);
        jdbc.execute("GRANT USAGE ON SCHEMA analytics TO " + role);
        jdbc.execute("GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO " + role);
    }

    private static String typed(String column, KeyType type) {
        return switch (type) {
            case S -> column;
            case N -> column + "::numeric";
            case B -> "decode(" + column + ", 'base64')";
        };
    }

    /** A quoted SQL identifier. */
    static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** A quoted SQL string literal (standard_conforming_strings is on by default). */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
