package io.openiot.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.SinkRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;

/** Records produced to iot.sink-records, read back through the REST API. */
@Timeout(120)
class SinkIngestTest extends SinkServiceTestBase {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long T0 = Instant.parse("2024-05-01T12:00:00Z").toEpochMilli();

    @Autowired
    MeterRegistry meters;

    @Autowired
    Environment environment;

    @Test
    void bindingNamesAreTheContractTopicAndItsDeadLetterTopic() {
        assertThat(environment.getProperty("spring.cloud.stream.bindings.sinkRecords-in-0.destination"))
                .isEqualTo(KafkaTopics.SINK_RECORDS);
        assertThat(environment.getProperty("spring.cloud.stream.bindings.sinkRecords-in-0.group"))
                .isEqualTo("sink-service");
        assertThat(environment.getProperty("spring.cloud.stream.bindings.sinkRecordsDlq.destination"))
                .isEqualTo(KafkaTopics.SINK_RECORDS + ".sink-service.dlq");
    }

    @Test
    void itemsComeBackNewestFirstAndFilteredByPartitionAndTime() {
        String table = newTable();
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            records.add(record(table, i % 2 == 0 ? "even" : "odd", T0 + i * 1000L, "{\"n\":" + i + "}"));
        }
        Collections.shuffle(records, new Random(42));
        records.forEach(this::send);

        await().atMost(WAIT).until(() -> itemCount(table) == 6);

        JsonNode all = getJson("/tables/" + table + "/items");
        assertThat(numbers(all)).containsExactly(5, 4, 3, 2, 1, 0);
        assertThat(all.get("count").asInt()).isEqualTo(6);
        assertThat(all.has("nextToken")).isFalse();
        JsonNode newest = all.get("items").get(0);
        assertThat(newest.get("partitionKey").asString()).isEqualTo("odd");
        assertThat(newest.get("timestamp").asLong()).isEqualTo(T0 + 5000);
        assertThat(newest.get("storedAt").asLong()).isPositive();
        assertThat(newest.get("item").isObject()).isTrue();

        assertThat(numbers(getJson("/tables/" + table + "/items?partitionKey=even"))).containsExactly(4, 2, 0);

        String from = Instant.ofEpochMilli(T0 + 1000).toString();
        long to = T0 + 4000;
        assertThat(numbers(getJson("/tables/" + table + "/items?from=" + from + "&to=" + to)))
                .as("from is inclusive, to exclusive").containsExactly(3, 2, 1);
        assertThat(numbers(getJson("/tables/" + table + "/items?partitionKey=odd&from=" + (T0 + 1000) + "&to="
                + Instant.ofEpochMilli(to)))).containsExactly(3, 1);

        JsonNode description = getJson("/tables/" + table);
        assertThat(description.get("tableName").asString()).isEqualTo(table);
        assertThat(description.get("itemCount").asLong()).isEqualTo(6);
        assertThat(getJson("/tables").get("tables").findValuesAsString("tableName")).contains(table);
    }

    @Test
    void pagesFollowNextTokenWithoutLosingOrRepeatingItems() {
        String table = newTable();
        int total = 25;
        for (int i = 0; i < total; i++) {
            // groups of three share a message time, so pages must break ties by arrival
            send(record(table, "p" + (i % 4), T0 + (i / 3) * 1000L, "{\"n\":" + i + "}"));
        }
        await().atMost(WAIT).until(() -> itemCount(table) == total);

        List<Integer> seen = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = getJson("/tables/" + table + "/items?limit=7" + (token == null ? "" : "&nextToken=" + token));
            pages++;
            seen.addAll(numbers(page));
            page.get("items").forEach(item -> times.add(item.get("timestamp").asLong()));
            assertThat(page.get("count").asInt()).isLessThanOrEqualTo(7);
            token = page.has("nextToken") ? page.get("nextToken").asString() : null;
        } while (token != null && pages < 10);

        assertThat(pages).isEqualTo(4);
        assertThat(seen).hasSize(total).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).hasSize(total);
        assertThat(times).isSortedAccordingTo(Collections.reverseOrder());
    }

    @Test
    void aRedeliveredRecordIsStoredOnce() {
        String table = newTable();
        double duplicatesBefore = counter("sink.items.duplicates");
        SinkRecord record = record(table, "device-1", T0, "{\"temperature\":21.5}");
        send(record);
        send(record);
        // same key, same partition: once the last one is stored, the two before it were handled
        send(record(table, "device-1", T0 + 1, "{\"temperature\":22}"));

        await().atMost(WAIT).until(() -> itemCount(table) == 2);
        await().atMost(WAIT).until(() -> counter("sink.items.duplicates") >= duplicatesBefore + 1);
        JsonNode items = getJson("/tables/" + table + "/items");
        assertThat(items.get("count").asInt()).isEqualTo(2);
        assertThat(getJson("/tables/" + table).get("itemCount").asLong()).isEqualTo(2);
    }

    @Test
    void aMalformedRecordBetweenTwoGoodOnesIsDeadLetteredAndTheGoodOnesAreStored() {
        String table = newTable();
        String key = table + "|device-1";
        double malformedBefore = counter("sink.records.malformed");
        String marker = "not json " + UUID.randomUUID();
        send(record(table, "device-1", T0, "{\"n\":1}"));
        send(key, marker);
        send(key, "{\"table\":\"" + table + "\",\"partitionKey\":\"device-1\",\"item\":{},\"timestamp\":1}");
        send(record(table, "device-1", T0 + 1, "{\"n\":2}"));

        await().atMost(WAIT).until(() -> itemCount(table) == 2);
        assertThat(numbers(getJson("/tables/" + table + "/items"))).containsExactly(2, 1);
        await().atMost(WAIT).until(() -> counter("sink.records.malformed") >= malformedBefore + 2);
        assertThat(deadLetters()).extracting(DeadLetter::value).contains(marker);
    }

    private long itemCount(String table) {
        var response = get("/tables/" + table);
        return response.getStatusCode().is2xxSuccessful() ? json.readTree(response.getBody()).get("itemCount").asLong()
                : -1;
    }

    private double counter(String name) {
        var counter = meters.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    private static List<Integer> numbers(JsonNode page) {
        List<Integer> numbers = new ArrayList<>();
        page.get("items").forEach(item -> numbers.add(item.get("item").get("n").asInt()));
        return numbers;
    }
}
