package io.openiot.sink.table;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Deletes items past their time to live, as DynamoDB does: eventually, some time after they expired (reads skip them
 * from the moment they expire). Small batches through the partial index on {@code expires_at}, each its own
 * transaction, so a large backlog never holds long locks or one huge transaction.
 */
@Configuration
@EnableScheduling
class ExpiredItemsSweeper {

    private static final Logger log = LoggerFactory.getLogger(ExpiredItemsSweeper.class);
    static final int BATCH = 1000;

    private final JdbcTemplate jdbc;

    ExpiredItemsSweeper(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Scheduled(initialDelayString = "${iot.sink.ttl-sweep-interval:1m}",
            fixedDelayString = "${iot.sink.ttl-sweep-interval:1m}")
    void sweep() {
        try {
            long total = 0;
            int deleted;
            do {
                // the database's clock, the one reads compare with
                deleted = jdbc.update("DELETE FROM item WHERE id IN (SELECT id FROM item WHERE expires_at IS NOT NULL "
                        + "AND expires_at <= now() ORDER BY expires_at LIMIT " + BATCH + ")");
                total += deleted;
            } while (deleted == BATCH);
            if (total > 0) {
                log.info("Deleted {} items past their time to live", total);
            }
        } catch (RuntimeException e) {
            // the next run tries again; a database outage is handled (and reported) by ingest
            log.debug("Could not delete expired items", e);
        }
    }
}
