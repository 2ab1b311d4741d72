package io.openiot.sink.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openiot.contracts.SinkRecord;
import io.openiot.sink.SinkServiceTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** Aggregates per time bucket and group, over the table's declared time attribute. */
@Timeout(180)
class AggregateApiTest extends SinkServiceTestBase {

    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_714_521_600_000L; // 2024-05-01T00:00:00Z

    @Test
    void hourlyAveragePerLocationIsComputedOverTheTimeAttribute() {
        String table = newTable();
        writer().post().uri("/tables").contentType(MediaType.APPLICATION_JSON)
                .body("{\"tableName\":\"" + table + "\",\"partitionKey\":{\"name\":\"device\",\"type\":\"S\"},"
                        + "\"sortKey\":{\"name\":\"ts\",\"type\":\"N\"},\"timeAttribute\":\"ts\"}")
                .retrieve().toBodilessEntity();
        List<SinkRecord> records = new ArrayList<>();
        // two locations, two devices each, readings in hours 0 and 1; a reading without power is not counted
        String[][] devices = {{"d1", "north"}, {"d2", "north"}, {"d3", "south"}, {"d4", "south"}};
        for (int d = 0; d < devices.length; d++) {
            for (int hour = 0; hour < 2; hour++) {
                long ts = T0 + hour * HOUR + d * 60_000L;
                double power = (d + 1) * 10 + hour;
                records.add(keyed(table, devices[d][0], ts,
                        "{\"location\":\"" + devices[d][1] + "\",\"power\":" + power + "}"));
            }
        }
        records.add(keyed(table, "d1", T0 + 30 * 60_000L, "{\"location\":\"north\",\"status\":\"ok\"}"));
        records.forEach(this::send);
        await().atMost(Duration.ofSeconds(60)).until(() -> getJson("/tables/" + table).get("itemCount").asInt() == 9);

        JsonNode result = getJson("/tables/" + table + "/aggregate?field=power&fn=avg&interval=1h&groupBy=location"
                + "&from=2024-05-01T00:00:00Z&to=2024-05-02T00:00:00Z");

        assertThat(result.get("fn").asString()).isEqualTo("avg");
        JsonNode buckets = result.get("buckets");
        assertThat(buckets).hasSize(4);
        assertThat(buckets.get(0).get("start").asString()).isEqualTo("2024-05-01T00:00:00Z");
        assertThat(buckets.get(0).get("group").asString()).isEqualTo("north");
        assertThat(buckets.get(0).get("value").decimalValue()).isEqualByComparingTo("15");
        assertThat(buckets.get(0).get("count").asLong()).isEqualTo(2);
        assertThat(buckets.get(3).get("start").asString()).isEqualTo("2024-05-01T01:00:00Z");
        assertThat(buckets.get(3).get("group").asString()).isEqualTo("south");
        assertThat(buckets.get(3).get("value").decimalValue()).isEqualByComparingTo("36");

        JsonNode daily = getJson("/tables/" + table + "/aggregate?field=power&fn=max&interval=1d");
        assertThat(daily.get("buckets")).hasSize(1);
        assertThat(daily.get("buckets").get(0).get("value").decimalValue()).isEqualByComparingTo("41");
        assertThat(get("/tables/" + table + "/aggregate?field=power&fn=median&interval=1h").getStatusCode().value())
                .isEqualTo(400);
    }

    @Test
    void exportStreamsEveryItemAsNdjsonOrCsv() {
        String table = newTable();
        for (int i = 0; i < 3; i++) {
            send(record(table, "d" + i, T0 + i, "{\"power\":1" + i + ",\"note\":\"a,\\\"b\\\"\"}"));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/tables/" + table).getStatusCode().value() == 200
                && getJson("/tables/" + table).get("itemCount").asInt() == 3);
        // a table created on first write from records without key names is keyed only if they named keys: these
        // did not, so it is a time series and the export has just the items' own attributes

        String ndjson = get("/tables/" + table + "/export?format=ndjson").getBody();
        assertThat(ndjson.lines().map(json::readTree).map(item -> item.get("power").asInt()))
                .containsExactlyInAnyOrder(10, 11, 12);

        List<String> csv = get("/tables/" + table + "/export?format=csv").getBody().lines().toList();
        assertThat(csv.get(0)).isEqualTo("note,power");
        assertThat(csv).hasSize(4).contains("\"a,\"\"b\"\"\",10");
    }

    private SinkRecord keyed(String table, String device, long ts, String item) {
        return new SinkRecord(table, device, String.valueOf(ts), json.readTree(item), UUID.randomUUID().toString(),
                ts, SinkRecord.Operation.INSERT, null, null, null, null, null);
    }
}
