package io.openiot.sink.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.openiot.contracts.SinkRecord;
import io.openiot.sink.SinkServiceTestBase;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import io.openiot.testsupport.ServiceEndpoints;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** POST /dead-letters/replay puts dead letters back onto iot.sink-records, where each is stored once. */
@Timeout(180)
class DeadLetterReplayTest extends SinkServiceTestBase {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void replayedDeadLettersAreStoredOnceHoweverOftenTheyAreReplayed() {
        String table = newTable();
        SinkRecord first = record(table, "device-1", 1_000, "{\"n\":1}");
        SinkRecord second = record(table, "device-2", 2_000, "{\"n\":2}");
        // as a sink that gave up waiting for its database (iot.sink.ingest.retry-max-elapsed) leaves them
        sendTo(DEAD_LETTER_TOPIC, first.kafkaKey(), json.writeValueAsBytes(first));
        sendTo(DEAD_LETTER_TOPIC, second.kafkaKey(), json.writeValueAsBytes(second));
        assertThat(getJson("/dead-letters").get("pending").asLong()).isGreaterThanOrEqualTo(2);

        JsonNode replay = post("/dead-letters/replay");
        assertThat(replay.get("replayed").asLong()).isGreaterThanOrEqualTo(2);
        await().atMost(WAIT).until(() -> stored(table, first) == 1 && stored(table, second) == 1);

        // the same record dead-lettered a second time, and a replay repeated: still stored once
        double duplicatesBefore = meters.find("sink.items.duplicates").counter().count();
        sendTo(DEAD_LETTER_TOPIC, first.kafkaKey(), json.writeValueAsBytes(first));
        assertThat(post("/dead-letters/replay?limit=1000").get("replayed").asLong()).isGreaterThanOrEqualTo(1);
        await().atMost(WAIT).until(() -> meters.find("sink.items.duplicates").counter().count() > duplicatesBefore);
        assertThat(stored(table, first)).isEqualTo(1);
        assertThat(stored(table, second)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM item WHERE table_name = ?", Long.class, table))
                .isEqualTo(2);
    }

    @Test
    void aLimitOutOfRangeIsAnInvalidRequest() {
        ResponseEntity<String> response = client().post().uri("/dead-letters/replay?limit=0").retrieve()
                .toEntity(String.class);
        assertThat(response.getStatusCode().value()).isEqualTo(400);
        JsonNode problem = json.readTree(response.getBody());
        assertThat(problem.get("code").asString()).isEqualTo("InvalidRequestException");
        assertThat(problem.get("parameter").asString()).isEqualTo("limit");
    }

    private long stored(String table, SinkRecord record) {
        return jdbc.queryForObject("SELECT count(*) FROM item WHERE table_name = ? AND source_message_id = ?",
                Long.class, table, record.sourceMessageId());
    }

    private JsonNode post(String uri) {
        ResponseEntity<String> response = client().post().uri(uri).retrieve().toEntity(String.class);
        assertThat(response.getStatusCode().value()).as("POST %s: %s", uri, response.getBody()).isEqualTo(200);
        return json.readTree(response.getBody());
    }

    private RestClient client() {
        return ServiceEndpoints.adminClient(port);
    }
}
