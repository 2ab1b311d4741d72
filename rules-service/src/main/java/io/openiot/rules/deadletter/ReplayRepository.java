package io.openiot.rules.deadletter;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code dead_letter_replay} table: which dead-lettered records were replayed. */
@Repository
class ReplayRepository {

    static final String CLAIMED = "CLAIMED";

    private final JdbcClient jdbc;

    ReplayRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Takes the record for this replay; false when an earlier or concurrent replay has it. */
    boolean claim(int partition, long offset, String ruleName, Instant now) {
        return jdbc.sql("""
                        INSERT INTO dead_letter_replay (kafka_partition, kafka_offset, rule_name, outcome, replayed_at)
                        VALUES (:partition, :offset, :rule, :outcome, :now)
                        ON CONFLICT (kafka_partition, kafka_offset) DO NOTHING""")
                .param("partition", partition).param("offset", offset).param("rule", ruleName)
                .param("outcome", CLAIMED).param("now", Timestamp.from(now))
                .update() == 1;
    }

    void finish(int partition, long offset, String outcome) {
        jdbc.sql("UPDATE dead_letter_replay SET outcome = :outcome WHERE kafka_partition = :partition "
                        + "AND kafka_offset = :offset")
                .param("partition", partition).param("offset", offset).param("outcome", outcome).update();
    }

    /** Gives the record back, for a later replay (Kafka did not take its outputs this time). */
    void release(int partition, long offset) {
        jdbc.sql("DELETE FROM dead_letter_replay WHERE kafka_partition = :partition AND kafka_offset = :offset")
                .param("partition", partition).param("offset", offset).update();
    }
}
