package io.openiot.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.SinkRecord;
import io.openiot.testsupport.ServiceEndpoints;
import io.openiot.testsupport.EmbeddedKafkaServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A sink configured to give up on its database ({@code iot.sink.ingest.retry-max-elapsed}) dead-letters what it could
 * not write; once the database is back, {@code POST /dead-letters/replay} brings every record back, stored once.
 */
@Timeout(300)
class SinkDeadLetterReplayIT {

    private static final String TABLE = "given_up";
    private static final int HELD_BACK = 20;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void recordsDeadLetteredWhileTheDatabaseWasAwayAreStoredOnceByAReplayAfterItIsBack() throws Exception {
        long deadLettersBefore = SinkWithOwnDatabase.deadLettersEver();
        try (SinkWithOwnDatabase sink = SinkWithOwnDatabase.start(context -> { },
                "--iot.sink.ingest.retry-max-elapsed=2s",
                "--iot.sink.ingest.retry-max-backoff=500ms",
                "--spring.datasource.hikari.connection-timeout=1000");
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers(),
                     ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            send(producer, record(0));
            await().atMost(Duration.ofSeconds(120)).until(() -> sink.countStored(TABLE).total() == 1);

            sink.stopDatabase();
            for (int i = 1; i <= HELD_BACK; i++) {
                send(producer, record(i));
            }
            await().atMost(Duration.ofSeconds(180))
                    .until(() -> SinkWithOwnDatabase.deadLettersEver() - deadLettersBefore >= HELD_BACK);
            Set<String> ids = IntStream.rangeClosed(1, HELD_BACK).mapToObj(SinkDeadLetterReplayIT::id)
                    .collect(Collectors.toSet());
            List<SinkServiceTestBase.DeadLetter> letters = SinkServiceTestBase.deadLetters().stream()
                    .filter(letter -> letter.value() != null && ids.stream().anyMatch(letter.value()::contains))
                    .toList();
            assertThat(letters).hasSizeGreaterThanOrEqualTo(HELD_BACK);
            assertThat(letters).allSatisfy(letter -> assertThat(letter.headers().get("x-exception-message"))
                    .startsWith("not written within PT2S").contains("UNAVAILABLE"));

            sink.startDatabase();
            RestClient http = ServiceEndpoints.adminClient(sink.httpPort());
            JsonNode replay = post(http, "/dead-letters/replay");
            assertThat(replay.get("replayed").asLong()).isGreaterThanOrEqualTo(HELD_BACK);
            assertThat(replay.get("remaining").asLong()).isZero();
            await().atMost(Duration.ofSeconds(120)).until(() -> sink.countStored(TABLE).total() == HELD_BACK + 1);

            assertThat(post(http, "/dead-letters/replay").get("replayed").asLong())
                    .as("a second replay finds nothing new").isZero();
            SinkWithOwnDatabase.Stored stored = sink.countStored(TABLE);
            assertThat(stored.total()).isEqualTo(stored.distinct()).isEqualTo(HELD_BACK + 1);
            assertThat(sink.storedIds(TABLE)).containsAll(ids).contains(id(0));
        }
    }

    private SinkRecord record(int i) {
        return new SinkRecord(TABLE, "device-" + (i % 3), null, json.readTree("{\"n\":" + i + "}"), id(i),
                1_714_564_800_000L + i);
    }

    private static String id(int i) {
        return "given-up-msg-" + i;
    }

    private void send(KafkaProducer<String, byte[]> producer, SinkRecord record) throws Exception {
        producer.send(new ProducerRecord<>(KafkaTopics.SINK_RECORDS, record.kafkaKey(), json.writeValueAsBytes(record)))
                .get();
    }

    private JsonNode post(RestClient http, String uri) {
        ResponseEntity<String> response = http.post().uri(uri).retrieve().toEntity(String.class);
        assertThat(response.getStatusCode().value()).as("POST %s: %s", uri, response.getBody()).isEqualTo(200);
        return json.readTree(response.getBody());
    }
}
