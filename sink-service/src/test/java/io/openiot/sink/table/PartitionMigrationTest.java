package io.openiot.sink.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.openiot.testsupport.EmbeddedPostgresServer;
import io.openiot.testsupport.EmbeddedPostgresServer.DatabaseCoordinates;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Migration V5 moves the items of a version-4 database into the partitions, each day of a retention table apart. */
@Timeout(120)
class PartitionMigrationTest {

    @Test
    void itemsOfAnOlderVersionAreMovedIntoTheirTablesPartitions() {
        DatabaseCoordinates db = EmbeddedPostgresServer.freshDatabase("sink_migration");
        DriverManagerDataSource dataSource = new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password());
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        flyway(dataSource, "4").migrate();
        jdbc.update("INSERT INTO sink_table (name, partition_key_name, partition_key_type) VALUES ('kept', 'd', 'S')");
        jdbc.update("INSERT INTO sink_table (name, partition_key_name, partition_key_type, retention_days) "
                + "VALUES ('aging', 'd', 'S', 30)");
        item(jdbc, "kept", "a", "now() - interval '400 days'");
        item(jdbc, "aging", "a", "now()");
        item(jdbc, "aging", "b", "now() - interval '3 days'");
        item(jdbc, "aging", "c", "now() - interval '3 days'");
        // an item whose table is not in the catalogue (the old schema had no foreign key)
        item(jdbc, "orphan", "a", "now()");

        flyway(dataSource, "latest").migrate();

        assertThat(jdbc.queryForObject("SELECT count(*) FROM item", Long.class)).isEqualTo(5);
        long kept = jdbc.queryForObject("SELECT storage_id FROM sink_table WHERE name = 'kept'", Long.class);
        long aging = jdbc.queryForObject("SELECT storage_id FROM sink_table WHERE name = 'aging'", Long.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM item_t" + kept, Long.class)).isEqualTo(1);
        String threeDaysAgo = jdbc.queryForObject("SELECT to_char(now() AT TIME ZONE 'UTC' - interval '3 days', "
                + "'YYYYMMDD')", String.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM item_t" + aging + "_" + threeDaysAgo, Long.class))
                .isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM item_t" + aging + "_default", Long.class)).isZero();
        assertThat(jdbc.queryForList("SELECT partition_key FROM item_default", String.class)).containsExactly("a");
        List<String> parts = jdbc.queryForList("SELECT c.relname::text FROM pg_inherits i JOIN pg_class c "
                + "ON c.oid = i.inhrelid WHERE i.inhparent = 'item'::regclass ORDER BY 1", String.class);
        assertThat(parts).containsExactlyInAnyOrder("item_default", "item_t" + kept, "item_t" + aging);
    }

    private static Flyway flyway(DriverManagerDataSource dataSource, String target) {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/sink").target(target)
                .load();
    }

    private static void item(JdbcTemplate jdbc, String table, String key, String storedAt) {
        jdbc.update("INSERT INTO item (table_name, partition_key, item_key, item, source_message_id, message_time, "
                + "stored_at) VALUES (?, ?, 'k:', '{}', ?, now(), " + storedAt + ")", table, key, table + key);
        jdbc.update("INSERT INTO applied_message (table_name, source_message_id) VALUES (?, ?)", table, table + key);
    }
}
