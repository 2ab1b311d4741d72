package io.openiot.sink.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openiot.contracts.SinkRecord;
import io.openiot.sink.SinkServiceTestBase;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Retention: a table with {@code retentionDays} keeps its items in one partition per arrival day, and retention drops
 * the days past it whole (the partition leaves {@code pg_inherits}; no row of the surviving partitions is deleted),
 * while items that arrived since, and an old item replaced since, stay readable.
 */
@Timeout(120)
class RetentionTest extends SinkServiceTestBase {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Partitions partitions;

    private DynamoDbClient dynamo;

    @BeforeEach
    void client() {
        dynamo = DynamoDbClient.builder().endpointOverride(URI.create("http://localhost:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterEach
    void close() {
        dynamo.close();
    }

    @Test
    void retentionDropsWholeDayPartitionsAndNewerItemsStayReadable() {
        String table = newTable();
        writer().post().uri("/tables").contentType(MediaType.APPLICATION_JSON)
                .body("{\"tableName\":\"" + table + "\",\"partitionKey\":{\"name\":\"device\",\"type\":\"S\"},"
                        + "\"sortKey\":{\"name\":\"ts\",\"type\":\"N\"},\"retentionDays\":2}")
                .retrieve().toBodilessEntity();
        String parent = jdbc.queryForObject("SELECT 'item_t' || storage_id FROM sink_table WHERE name = ?",
                String.class, table);
        String today = jdbc.queryForObject("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD')", String.class);
        assertThat(dayPartitions(parent)).as("created with the table: today and the next two days")
                .hasSize(3).contains(parent + "_" + today);

        // items that arrived five days ago, in the partition the maintainer had made for that day
        jdbc.queryForList("SELECT sink_create_day_partition(?, (now() AT TIME ZONE 'UTC')::date - 5)", table);
        String old = jdbc.queryForObject("SELECT ? || '_' || to_char(now() AT TIME ZONE 'UTC' - interval '5 days', "
                + "'YYYYMMDD')", String.class, parent);
        for (String ts : List.of("1", "2", "3")) {
            jdbc.update("INSERT INTO item (table_name, partition_key, sort_key, sort_key_num, item_key, item, "
                    + "source_message_id, message_time, stored_at) VALUES (?, 'car', ?, ?::numeric, 'k:' || ?, "
                    + "jsonb_build_object('device', 'car', 'ts', ?::numeric, 'old', true), ?, now(), "
                    + "now() - interval '5 days')", table, ts, ts, ts, ts, UUID.randomUUID().toString());
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM " + old, Long.class)).isEqualTo(3);

        // today: two new items, and item 3 replaced (PutItem finds its old row in the old partition)
        put(table, "10");
        send(new SinkRecord(table, "car", "11", json.readTree("{\"power\":5}"), UUID.randomUUID().toString(),
                System.currentTimeMillis(), SinkRecord.Operation.INSERT, "device", "S", "ts", "N", null));
        put(table, "3");
        await().atMost(Duration.ofSeconds(60)).until(() -> rows(table) == 5);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM " + old, Long.class)).isEqualTo(2);

        partitions.maintain();

        assertThat(dayPartitions(parent)).as("the day past the retention is no partition any more")
                .doesNotContain(old).contains(parent + "_" + today);
        assertThat(jdbc.queryForObject("SELECT to_regclass(?)", String.class, old)).isNull();
        assertThat(rows(table)).isEqualTo(3);
        assertThat(dynamo.getItem(b -> b.tableName(table).key(key("1"))).hasItem()).isFalse();
        assertThat(dynamo.getItem(b -> b.tableName(table).key(key("10"))).hasItem()).isTrue();
        assertThat(dynamo.getItem(b -> b.tableName(table).key(key("11"))).item().get("power").n()).isEqualTo("5");
        assertThat(dynamo.getItem(b -> b.tableName(table).key(key("3"))).item()).doesNotContainKey("old");
        assertThat(getJson("/tables/" + table + "/items?partitionKey=car").get("count").asInt()).isEqualTo(3);

        // no row was deleted from the partitions that stayed; the counter does count a row delete (DeleteItem)
        assertThat(deletedRows(parent)).isZero();
        dynamo.deleteItem(b -> b.tableName(table).key(key("10")));
        await().atMost(Duration.ofSeconds(30)).until(() -> deletedRows(parent) == 1);
    }

    @Test
    void deletingATableDropsItsPartition() {
        String table = newTable();
        writer().post().uri("/tables").contentType(MediaType.APPLICATION_JSON)
                .body("{\"tableName\":\"" + table + "\",\"partitionKey\":{\"name\":\"device\",\"type\":\"S\"},"
                        + "\"sortKey\":{\"name\":\"ts\",\"type\":\"N\"}}")
                .retrieve().toBodilessEntity();
        String partition = jdbc.queryForObject("SELECT 'item_t' || storage_id FROM sink_table WHERE name = ?",
                String.class, table);
        put(table, "1");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM " + partition, Long.class)).isEqualTo(1);

        dynamo.deleteTable(b -> b.tableName(table));

        assertThat(jdbc.queryForObject("SELECT to_regclass(?)", String.class, partition)).isNull();
        assertThat(rows(table)).isZero();
    }

    private void put(String table, String ts) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of("device", AttributeValue.fromS("car"),
                "ts", AttributeValue.fromN(ts))));
    }

    private List<String> dayPartitions(String parent) {
        return jdbc.queryForList("SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                + "WHERE i.inhparent = to_regclass(?)::oid AND c.relname ~ '_[0-9]{8}$'", String.class, parent);
    }

    /** Rows deleted (row by row) from the table's partitions that exist, by PostgreSQL's statistics. */
    private long deletedRows(String parent) {
        return jdbc.queryForObject("SELECT coalesce(sum(n_tup_del), 0) FROM pg_stat_user_tables "
                + "WHERE relname LIKE ? || '\\_%'", Long.class, parent);
    }

    private static Map<String, AttributeValue> key(String ts) {
        return Map.of("device", AttributeValue.fromS("car"), "ts", AttributeValue.fromN(ts));
    }

    private long rows(String table) {
        return jdbc.queryForObject("SELECT count(*) FROM item WHERE table_name = ?", Long.class, table);
    }
}
