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

/** Time to live: an item past its TTL attribute (epoch seconds) is not read, and the sweep deletes it. */
@Timeout(120)
class ItemExpiryTest extends SinkServiceTestBase {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ExpiredItemsSweeper sweeper;

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
    void itemsPastTheirTimeToLiveAreNotReadAndAreDeletedBySweep() {
        String table = newTable();
        writer().post().uri("/tables").contentType(MediaType.APPLICATION_JSON)
                .body("{\"tableName\":\"" + table + "\",\"partitionKey\":{\"name\":\"device\",\"type\":\"S\"},"
                        + "\"sortKey\":{\"name\":\"ts\",\"type\":\"N\"},\"ttlAttribute\":\"expiresAt\"}")
                .retrieve().toBodilessEntity();
        long now = System.currentTimeMillis() / 1000;
        put(table, "1", Map.of("expiresAt", AttributeValue.fromN(Long.toString(now - 60))));
        put(table, "2", Map.of("expiresAt", AttributeValue.fromN(Long.toString(now + 3600))));
        put(table, "3", Map.of());
        // not a number: DynamoDB ignores such a TTL value, the item never expires
        put(table, "4", Map.of("expiresAt", AttributeValue.fromS(Long.toString(now - 60))));
        // from a rule: an INSERT already expired, and an UPDATE that gives a live item a past TTL
        send(new SinkRecord(table, "car", "5", json.readTree("{\"expiresAt\":" + (now - 5) + "}"),
                UUID.randomUUID().toString(), System.currentTimeMillis(), SinkRecord.Operation.INSERT, "device", "S",
                "ts", "N", null));
        put(table, "6", Map.of("expiresAt", AttributeValue.fromN(Long.toString(now + 3600))));
        send(new SinkRecord(table, "car", "6", json.readTree(Long.toString(now - 5)),
                UUID.randomUUID().toString(), System.currentTimeMillis(), SinkRecord.Operation.UPDATE, "device", "S",
                "ts", "N", "expiresAt"));
        await().atMost(Duration.ofSeconds(60)).until(() -> rows(table) == 6 && jdbc.queryForObject(
                "SELECT count(*) FROM item WHERE table_name = ? AND expires_at < now()", Long.class, table) == 3);

        assertThat(dynamo.getItem(b -> b.tableName(table).key(key("1"))).hasItem()).isFalse();
        assertThat(dynamo.getItem(b -> b.tableName(table).key(key("2"))).hasItem()).isTrue();
        assertThat(dynamo.getItem(b -> b.tableName(table).key(key("6"))).hasItem()).isFalse();
        List<String> queried = dynamo.query(b -> b.tableName(table).keyConditionExpression("device = :d")
                        .expressionAttributeValues(Map.of(":d", AttributeValue.fromS("car")))).items().stream()
                .map(item -> item.get("ts").n()).toList();
        assertThat(queried).containsExactly("2", "3", "4");
        assertThat(dynamo.scan(b -> b.tableName(table)).count()).isEqualTo(3);
        assertThat(get("/tables/" + table + "/items/car/1").getStatusCode().value()).isEqualTo(404);
        assertThat(get("/tables/" + table + "/items/car/2").getStatusCode().value()).isEqualTo(200);
        assertThat(getJson("/tables/" + table + "/items").get("count").asInt()).isEqualTo(3);

        sweeper.sweep();

        assertThat(rows(table)).as("the expired rows are deleted, the others stay").isEqualTo(3);
        assertThat(jdbc.queryForList("SELECT sort_key FROM item WHERE table_name = ? ORDER BY sort_key",
                String.class, table)).containsExactly("2", "3", "4");
    }

    private void put(String table, String ts, Map<String, AttributeValue> attributes) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(key(ts));
        item.putAll(attributes);
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    private static Map<String, AttributeValue> key(String ts) {
        return Map.of("device", AttributeValue.fromS("car"), "ts", AttributeValue.fromN(ts));
    }

    private long rows(String table) {
        return jdbc.queryForObject("SELECT count(*) FROM item WHERE table_name = ?", Long.class, table);
    }
}
