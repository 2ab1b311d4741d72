package io.openiot.sink.ingest;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/** Deletes the applied source message ids older than {@code iot.sink.applied-ids-retention}. */
@Configuration
@EnableScheduling
class AppliedIdsPruner {

    private static final Logger log = LoggerFactory.getLogger(AppliedIdsPruner.class);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final SinkProperties properties;

    AppliedIdsPruner(JdbcTemplate jdbc, Clock clock, SinkProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
    }

    @Scheduled(initialDelayString = "${iot.sink.applied-ids-prune-interval:1h}",
            fixedDelayString = "${iot.sink.applied-ids-prune-interval:1h}")
    void prune() {
        try {
            int deleted = jdbc.update("DELETE FROM applied_message WHERE applied_at < ?",
                    OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)
                            .minus(properties.appliedIdsRetention()));
            if (deleted > 0) {
                log.info("Pruned {} applied source message ids older than {}", deleted,
                        properties.appliedIdsRetention());
            }
        } catch (RuntimeException e) {
            // the next run tries again; a database outage is handled (and reported) by ingest
            log.debug("Could not prune applied source message ids", e);
        }
    }
}
