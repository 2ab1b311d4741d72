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
import tools.jackson.databind.JsonNode;

/** {@code GET /tables/{table}/items} with a sort-key range or prefix within one partition, and the key lookup. */
@Timeout(120)
class ItemRangeApiTest extends SinkServiceTestBase {

    private static final long T0 = 1_714_564_800_000L;

    @Test
    void numberSortKeysSelectByValueRangeNewestFirstAndPage() {
        String table = newTable();
        // sort keys 2, 10, 30, 100: text order would put 10 and 100 before 2
        String[] keys = {"2", "10", "30", "100"};
        for (int i = 0; i < keys.length; i++) {
            send(keyed(table, "N", "car1", keys[i], T0 + i));
        }
        send(keyed(table, "N", "car2", "10", T0 + 9));
        await().atMost(Duration.ofSeconds(60)).until(() -> getJson("/tables/" + table + "/items").get("count")
                .asInt() == 5);

        assertThat(sortKeys("/tables/" + table + "/items?partitionKey=car1&sortKeyFrom=3&sortKeyTo=100"))
                .containsExactly("100", "30", "10");
        assertThat(sortKeys("/tables/" + table + "/items?partitionKey=car1&sortKeyFrom=10.0"))
                .as("10.0 is the number 10").containsExactly("100", "30", "10");
        assertThat(sortKeys("/tables/" + table + "/items?partitionKey=car1&sortKeyTo=10"))
                .containsExactly("10", "2");
        JsonNode first = getJson("/tables/" + table + "/items?partitionKey=car1&sortKeyFrom=2&limit=3");
        assertThat(first.get("count").asInt()).isEqualTo(3);
        JsonNode second = getJson("/tables/" + table + "/items?partitionKey=car1&sortKeyFrom=2&limit=3&nextToken="
                + first.get("nextToken").asString());
        assertThat(second.get("items").get(0).get("sortKey").asString()).isEqualTo("2");
        assertThat(getJson("/tables/" + table + "/items/car1/30").get("sortKey").asString()).isEqualTo("30");

        assertThat(get("/tables/" + table + "/items?sortKeyFrom=1").getStatusCode().value()).as("no partition key")
                .isEqualTo(400);
        assertThat(get("/tables/" + table + "/items?partitionKey=car1&sortKeyPrefix=1").getStatusCode().value())
                .as("a prefix of a number").isEqualTo(400);
        assertThat(get("/tables/" + table + "/items?partitionKey=car1&sortKeyFrom=x").getBody())
                .contains("sortKeyFrom");
    }

    @Test
    void stringSortKeysSelectByPrefixAndByteOrderRange() {
        String table = newTable();
        String[] keys = {"temp-1", "temp-2", "tempo", "hum-1", "Temp-3"};
        for (int i = 0; i < keys.length; i++) {
            send(keyed(table, "S", "oslo", keys[i], T0 + i));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> getJson("/tables/" + table + "/items").get("count")
                .asInt() == 5);

        assertThat(sortKeys("/tables/" + table + "/items?partitionKey=oslo&sortKeyPrefix=temp-"))
                .containsExactly("temp-2", "temp-1");
        // byte order: upper case before lower case
        assertThat(sortKeys("/tables/" + table + "/items?partitionKey=oslo&sortKeyFrom=T&sortKeyTo=temp-2"))
                .containsExactly("Temp-3", "hum-1", "temp-2", "temp-1");
    }

    private SinkRecord keyed(String table, String sortType, String device, String sortKey, long time) {
        return new SinkRecord(table, device, sortKey, json.readTree("{\"v\":1}"), UUID.randomUUID().toString(),
                time, SinkRecord.Operation.INSERT, "device", "S", "sk", sortType, null);
    }

    private List<String> sortKeys(String uri) {
        List<String> keys = new ArrayList<>();
        getJson(uri).get("items").forEach(item -> keys.add(item.get("sortKey").asString()));
        return keys;
    }
}
