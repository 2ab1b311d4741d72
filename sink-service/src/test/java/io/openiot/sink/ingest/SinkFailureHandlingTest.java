package io.openiot.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.openiot.contracts.SinkRecord;
import io.openiot.sink.SinkServiceTestBase;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.node.JsonNodeFactory;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/** What happens to records when the database refuses them, or refuses every write. */
@Timeout(180)
class SinkFailureHandlingTest extends SinkServiceTestBase {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long T0 = 1_714_564_800_000L;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ItemWriter writer;

    @Autowired
    MeterRegistry meters;

    @Test
    void aRecordTheDatabaseRefusesIsDeadLetteredAloneAndItsNeighboursAreStoredOnce() {
        String table = newTable();
        String key = table + "|device-1";
        SinkRecord first = record(table, "device-1", T0, "{\"n\":1}");
        // valid for the parser, but too large for PostgreSQL's index on the partition key (SQL state 54000)
        SinkRecord refused = record(table, incompressibleText(2000), T0 + 1, "{\"n\":99}");
        SinkRecord last = record(table, "device-1", T0 + 2, "{\"n\":2}");
        // one Kafka key: one partition, so most likely one poll and one failing batch insert
        for (SinkRecord record : List.of(first, refused, last)) {
            send(key, json.writeValueAsBytes(record));
        }

        await().atMost(WAIT).until(() -> storedCount(table, first.sourceMessageId()) == 1
                && storedCount(table, last.sourceMessageId()) == 1);
        await().atMost(WAIT).until(() -> deadLetters().stream().anyMatch(letter -> letter.value() != null
                && letter.value().contains(refused.sourceMessageId())));
        DeadLetter letter = deadLetters().stream().filter(l -> l.value() != null
                && l.value().contains(refused.sourceMessageId())).findFirst().orElseThrow();
        assertThat(letter.headers().get("x-exception-message")).contains("refused by the database")
                .contains("54000");
        assertThat(letter.headers().get("x-original-topic")).isEqualTo("iot.sink-records");
        assertThat(letter.headers()).containsKeys("x-original-partition", "x-original-offset");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM item WHERE table_name = ?", Long.class, table))
                .as("the neighbours once each, the refused record not at all").isEqualTo(2);
        assertThat(deadLetters().stream().filter(l -> l.value() != null && (l.value().contains(first.sourceMessageId())
                || l.value().contains(last.sourceMessageId())))).as("neighbours are not dead-lettered").isEmpty();
    }

    @Test
    void aFailedBatchLeavesNeitherItemsNorDeduplicationKeysBehind() {
        String table = newTable();
        StorableItem good = item(table, "device-1", "good-" + table);
        StorableItem bad = item(table, incompressibleText(2000), "bad-" + table);

        assertThatThrownBy(() -> writer.write(List.of(good, bad))).isInstanceOf(DataAccessException.class)
                .satisfies(e -> assertThat(WriteFailure.of(e)).isEqualTo(WriteFailure.BAD_DATA));
        assertThat(storedCount(table, good.sourceMessageId())).as("rolled back with its batch").isZero();

        assertThat(writer.write(List.of(good))).isEqualTo(new ItemWriter.Outcome(1, 0, List.of()));
        assertThat(writer.write(List.of(good, item(table, "device-1", "other-" + table))))
                .as("the replayed item is skipped, the new one stored").isEqualTo(new ItemWriter.Outcome(1, 1, List.of()));
        assertThat(storedCount(table, good.sourceMessageId())).isEqualTo(1);
    }

    @Test
    void aMissingTableHoldsRecordsBackWithoutDeadLetteringThemUntilItIsBack() {
        String table = newTable();
        double retriesBefore = retries("misconfigured");
        List<SinkRecord> records = IntStream.range(0, 3)
                .mapToObj(i -> record(table, "device-1", T0 + i, "{\"n\":" + i + "}")).toList();
        jdbc.execute("ALTER TABLE item RENAME TO item_moved_away");
        try {
            records.forEach(this::send);
            await().atMost(WAIT).until(() -> retries("misconfigured") >= retriesBefore + 2);
            var readiness = get("/actuator/health/readiness");
            assertThat(readiness.getStatusCode().value()).as("readiness while nothing can be written").isEqualTo(503);
            assertThat(json.readTree(readiness.getBody()).at("/components/ingest/status").asString())
                    .isEqualTo("DOWN");
        } finally {
            jdbc.execute("ALTER TABLE IF EXISTS item_moved_away RENAME TO item");
        }
        await().atMost(WAIT).until(() -> records.stream()
                .allMatch(record -> storedCount(table, record.sourceMessageId()) == 1));
        await().atMost(WAIT).until(() -> get("/actuator/health/readiness").getStatusCode().is2xxSuccessful());
        String ids = records.stream().map(SinkRecord::sourceMessageId).collect(Collectors.joining("|"));
        assertThat(deadLetters()).as("none of %s dead-lettered", ids).noneMatch(letter -> letter.value() != null
                && records.stream().anyMatch(record -> letter.value().contains(record.sourceMessageId())));
    }

    private long storedCount(String table, String sourceMessageId) {
        return jdbc.queryForObject("SELECT count(*) FROM item WHERE table_name = ? AND source_message_id = ?",
                Long.class, table, sourceMessageId);
    }

    private double retries(String cause) {
        var counter = meters.find("sink.write.retries").tag("cause", cause).counter();
        return counter == null ? 0 : counter.count();
    }

    private static StorableItem item(String table, String partitionKey, String sourceMessageId) {
        return StorableItem.appended(table, partitionKey, null, JsonNodeFactory.instance.objectNode(), sourceMessageId, T0);
    }

    /** CJK characters at random: three UTF-8 bytes each, and nothing for PostgreSQL's compression to shrink. */
    private static String incompressibleText(int length) {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (0x4E00 + random.nextInt(0x5000)));
        }
        return text.toString();
    }
}
