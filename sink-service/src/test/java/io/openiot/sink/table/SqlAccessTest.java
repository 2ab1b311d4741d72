package io.openiot.sink.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.openiot.contracts.SinkRecord;
import io.openiot.sink.SinkServiceTestBase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;

/** The read-only analyst role reads one typed view per table, and answers the documented example. */
@Timeout(180)
class SqlAccessTest extends SinkServiceTestBase {

    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_714_521_600_000L; // 2024-05-01T00:00:00Z

    @Value("${spring.datasource.url}")
    String jdbcUrl;

    @Test
    void theAnalystReadsHourlyAveragePowerPerLocationFromTheTablesViewAndCannotWrite() throws SQLException {
        String table = newTable();
        writer().post().uri("/tables").contentType(MediaType.APPLICATION_JSON)
                .body("{\"tableName\":\"" + table + "\",\"partitionKey\":{\"name\":\"device\",\"type\":\"S\"},"
                        + "\"sortKey\":{\"name\":\"ts\",\"type\":\"N\"},\"numericAttributes\":[\"power\"]}")
                .retrieve().toBodilessEntity();
        List<SinkRecord> records = new ArrayList<>();
        String[][] devices = {{"d1", "north"}, {"d2", "north"}, {"d3", "south"}};
        for (int d = 0; d < devices.length; d++) {
            for (int hour = 0; hour < 2; hour++) {
                long ts = T0 + hour * HOUR + d * 60_000L;
                records.add(new SinkRecord(table, devices[d][0], String.valueOf(ts), json.readTree(
                        "{\"location\":\"" + devices[d][1] + "\",\"power\":" + ((d + 1) * 10 + hour) + "}"),
                        UUID.randomUUID().toString(), ts, SinkRecord.Operation.INSERT, null, null, null, null, null));
            }
        }
        records.forEach(this::send);
        await().atMost(Duration.ofSeconds(60)).until(() -> getJson("/tables/" + table).get("itemCount").asInt() == 6);

        // the test database's URL names its owner (?user=postgres), which would win over the user given here
        String url = jdbcUrl.replaceFirst("\\?.*$", "");
        try (Connection analyst = DriverManager.getConnection(url, "iot_analyst", "analyst-test");
             Statement statement = analyst.createStatement()) {
            // the example of docs/services/sink-service.md, on this test's table
            ResultSet rs = statement.executeQuery("""
                    SELECT date_bin('1 hour', to_timestamp(ts / 1000), TIMESTAMPTZ '2024-05-01Z') AS hour,
                           item ->> 'location' AS location, avg(power) AS avg_power
                    FROM analytics."%s"
                    WHERE ts >= 1714521600000 AND ts < 1714608000000
                    GROUP BY hour, location ORDER BY hour, location""".formatted(table));
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getObject("hour", java.time.OffsetDateTime.class).toInstant() + " "
                        + rs.getString("location") + " " + rs.getBigDecimal("avg_power").stripTrailingZeros()
                        .toPlainString());
            }
            assertThat(rows).containsExactly("2024-05-01T00:00:00Z north 15", "2024-05-01T00:00:00Z south 30",
                    "2024-05-01T01:00:00Z north 16", "2024-05-01T01:00:00Z south 31");
            ResultSet typed = statement.executeQuery("SELECT device, ts, power, arrived_at FROM analytics.\""
                    + table + "\" WHERE device = 'd1' ORDER BY ts LIMIT 1");
            assertThat(typed.next()).isTrue();
            assertThat(typed.getObject("ts")).isInstanceOf(BigDecimal.class);
            assertThat(typed.getBigDecimal("power")).isEqualByComparingTo("10");

            assertThatThrownBy(() -> statement.executeQuery("SELECT count(*) FROM public.item"))
                    .as("the base table is not the analyst's").isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM analytics.\"" + table + "\""))
                    .as("read-only").isInstanceOf(SQLException.class);
        }
    }

    @Test
    void aTableWhoseViewCannotBeMadeIsStillCreatedAndWritten() {
        String table = newTable();
        // a partition key named like the view's own column: the view would have two columns "arrived_at"
        var created = writer().post().uri("/tables")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"tableName\":\"" + table + "\",\"partitionKey\":{\"name\":\"arrived_at\",\"type\":\"S\"}}")
                .retrieve().toBodilessEntity();
        assertThat(created.getStatusCode().value()).isEqualTo(201);

        send(new SinkRecord(table, "x", null, json.readTree("{\"n\":1}"), UUID.randomUUID().toString(), T0,
                SinkRecord.Operation.INSERT, null, null, null, null, null));
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/tables/" + table + "/items/x").getStatusCode()
                .value() == 200);
    }
}
