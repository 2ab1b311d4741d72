package io.openiot.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.openiot.contracts.SinkRecord.Operation;
import io.openiot.sink.table.KeySchema;
import io.openiot.sink.table.KeySchema.KeyType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ItemResolverTest {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final KeySchema DEVICE_TIME = new KeySchema("device", KeyType.S, "ts", KeyType.N);
    private static final KeySchema DEVICE = new KeySchema("device", KeyType.S, null, null);

    private final ItemResolver resolver = new ItemResolver(JSON, 1000);

    @Test
    void anInsertPutsTheItemUnderItsKeyWithTheKeyAttributesTyped() {
        var write = (ItemResolver.Write) resolver.resolve(keyed(Operation.INSERT, "car1", "0100.50",
                "{\"power\":12.000000000000000000001}", null), DEVICE_TIME);

        assertThat(write.itemKey()).isEqualTo("k:100.5");
        assertThat(write.sortKeyNumber()).isEqualByComparingTo("100.5");
        assertThat(write.merge()).isFalse();
        assertThat(write.delete()).isFalse();
        assertThat(JSON.readTree(write.itemJson())).isEqualTo(JSON.readTree(
                "{\"power\":12.000000000000000000001,\"device\":\"car1\",\"ts\":100.5}"));
    }

    @Test
    void equalNumbersAreOneKey() {
        var a = (ItemResolver.Write) resolver.resolve(keyed(Operation.INSERT, "car1", "1.50", "{}", null), DEVICE_TIME);
        var b = (ItemResolver.Write) resolver.resolve(keyed(Operation.INSERT, "car1", "1.5", "{}", null), DEVICE_TIME);

        assertThat(a.itemKey()).isEqualTo(b.itemKey());
    }

    @Test
    void anUpdateSetsOnlyThePayloadFieldAndMerges() {
        var write = (ItemResolver.Write) resolver.resolve(keyed(Operation.UPDATE, "car1", null, "{\"v\":1}", "state"),
                DEVICE);

        assertThat(write.merge()).isTrue();
        assertThat(JSON.readTree(write.itemJson())).isEqualTo(JSON.readTree("{\"state\":{\"v\":1},\"device\":\"car1\"}"));
    }

    @Test
    void aDeleteNamesTheItemOnly() {
        var write = (ItemResolver.Write) resolver.resolve(keyed(Operation.DELETE, "car1", "5", "{}", null), DEVICE_TIME);

        assertThat(write.delete()).isTrue();
        assertThat(write.itemKey()).isEqualTo("k:5");
    }

    @Test
    void keysThatDoNotFitTheSchemaAreRefusedWithTheReason() {
        assertThat(refusal(keyed(Operation.INSERT, "car1", null, "{}", null), DEVICE_TIME))
                .isEqualTo("missing sort key 'ts'");
        assertThat(refusal(keyed(Operation.INSERT, "car1", "noon", "{}", null), DEVICE_TIME))
                .isEqualTo("sort key 'ts' is of type N, the value is not a number");
        assertThat(refusal(keyed(Operation.INSERT, "car1", "5", "{}", null), DEVICE))
                .contains("has no sort key");
        assertThat(refusal(keyed(Operation.INSERT, "car1", null, "[1]", null), DEVICE))
                .contains("must be a JSON object");
        assertThat(refusal(new StorableItem("t", "car1", null, JSON.readTree("{}"), "m", 1, Operation.INSERT,
                "vehicle", KeyType.S, null, null, null), DEVICE)).contains("'device'", "'vehicle'");
        assertThat(refusal(new StorableItem("t", "car1", null, JSON.readTree("{}"), "m", 1, Operation.INSERT,
                "device", KeyType.N, null, null, null), DEVICE)).contains("of type S, the record says N");
        assertThat(refusal(keyed(Operation.INSERT, "car1", null, "{\"x\":\"" + "y".repeat(1000) + "\"}", null),
                DEVICE)).isEqualTo("item larger than 1000 bytes");
    }

    @Test
    void aRecordOfTheFirstContractAppendsToATimeSeriesAndIsAnInsertIntoAKeyedTable() {
        StorableItem old = StorableItem.appended("t", "car1", null, JSON.readTree("{\"n\":1}"), "trace/r/0", 1);

        var appended = (ItemResolver.Write) resolver.resolve(old, KeySchema.TIME_SERIES);
        assertThat(appended.itemKey()).isEqualTo("m:trace/r/0");
        assertThat(appended.itemJson()).isEqualTo("{\"n\":1}");

        var put = (ItemResolver.Write) resolver.resolve(old, DEVICE);
        assertThat(put.itemKey()).isEqualTo("k:");
        assertThat(refusal(keyed(Operation.INSERT, "car1", null, "{}", null), KeySchema.TIME_SERIES))
                .contains("has no key schema");
    }

    @Test
    void aDynamoDbV2RecordTakesItsKeyFromTheItemByTheTableSchema() {
        // the rules dynamoDBv2 action: partitionKey is only the source topic, the item's attributes hold the key
        StorableItem v2 = new StorableItem("t", "sensors/car1", null,
                JSON.readTree("{\"device\":\"car1\",\"ts\":1700000000123,\"speed\":130}"), "m", 1,
                Operation.INSERT, null, null, null, null, null, true);

        var put = (ItemResolver.Write) resolver.resolve(v2, DEVICE_TIME);
        assertThat(put.partitionKey()).isEqualTo("car1");
        assertThat(put.sortKey()).isEqualTo("1700000000123");
        assertThat(put.itemKey()).isEqualTo("k:1700000000123");
        assertThat(JSON.readTree(put.itemJson()).get("speed").asInt()).isEqualTo(130);

        StorableItem withoutSortKey = new StorableItem("t", "sensors/car1", null,
                JSON.readTree("{\"device\":\"car1\"}"), "m", 1, Operation.INSERT, null, null, null, null, null,
                true);
        assertThat(refusal(withoutSortKey, DEVICE_TIME)).isEqualTo("missing sort key 'ts' in the item");
        StorableItem wrongType = new StorableItem("t", "sensors/car1", null,
                JSON.readTree("{\"device\":\"car1\",\"ts\":\"noon\"}"), "m", 1, Operation.INSERT, null, null,
                null, null, null, true);
        assertThat(refusal(wrongType, DEVICE_TIME)).isEqualTo("sort key 'ts' is of type N, the value is not a number");
    }

    private String refusal(StorableItem item, KeySchema schema) {
        return ((ItemResolver.Refused) resolver.resolve(item, schema)).reason();
    }

    private static StorableItem keyed(Operation operation, String partitionKey, String sortKey, String item,
                                      String payloadField) {
        JsonNode node = JSON.readTree(item);
        return new StorableItem("t", partitionKey, sortKey, node, "m", 1, operation, null, null, null, null,
                payloadField);
    }
}
