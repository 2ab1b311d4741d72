package io.openiot.sink.table;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The time partitions of tables with a retention (layout in {@code V5__item_partitions.sql}): creates the partition
 * of each UTC day ahead of time, so that items land in a partition of their arrival day and never in the default
 * one, and drops the day partitions older than the table's retention whole, without deleting rows one by one. Days
 * are those of the database's clock, which sets {@code stored_at}.
 */
@Configuration
@EnableScheduling
class Partitions {

    private static final Logger log = LoggerFactory.getLogger(Partitions.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final RetentionProperties properties;

    Partitions(JdbcTemplate jdbc, TransactionTemplate transaction, RetentionProperties properties) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.properties = properties;
    }

    /** Creates the partitions of today and the next {@code days-ahead} days of a table with a retention. */
    void createDays(String table) {
        jdbc.queryForList("SELECT sink_create_day_partition(?, (now() AT TIME ZONE 'UTC')::date + g) "
                + "FROM generate_series(0, ?) g", table, properties.daysAhead());
    }

    /** Applies the retention of one table now; the day partitions it dropped. */
    List<String> applyRetention(String table) {
        return jdbc.queryForList("SELECT sink_apply_retention(?)", String.class, table);
    }

    /** Every table with a retention: its days ahead, then its retention; each table in a transaction of its own. */
    @Scheduled(initialDelay = 0, fixedDelayString = "${iot.sink.retention.interval:1h}")
    void maintain() {
        List<String> tables;
        try {
            tables = jdbc.queryForList("SELECT name FROM sink_table WHERE retention_days IS NOT NULL ORDER BY name",
                    String.class);
        } catch (RuntimeException e) {
            // the next run tries again; a database outage is handled (and reported) by ingest
            log.debug("Could not list tables with a retention", e);
            return;
        }
        for (String table : tables) {
            try {
                List<String> dropped = transaction.execute(status -> {
                    createDays(table);
                    return applyRetention(table);
                });
                if (dropped != null && !dropped.isEmpty()) {
                    log.info("Retention of table '{}': dropped partitions {}", table, dropped);
                }
            } catch (RuntimeException e) {
                log.warn("Could not maintain the partitions of table '{}': {}", table, e.getMessage());
            }
        }
    }
}
