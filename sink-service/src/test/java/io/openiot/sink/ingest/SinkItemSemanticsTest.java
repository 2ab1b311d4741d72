package io.openiot.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openiot.contracts.SinkRecord;
import io.openiot.contracts.SinkRecord.Operation;
import io.openiot.sink.SinkServiceTestBase;
import io.openiot.sink.table.TableCatalog;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Records with an operation act on the item with their key, as DynamoDB's PutItem, UpdateItem and DeleteItem. */
@Timeout(180)
class SinkItemSemanticsTest extends SinkServiceTestBase {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long T0 = 1_714_564_800_000L;
    /** Reads numbers as BigDecimal, so the test sends and compares every digit. */
    private static final JsonMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    TableCatalog catalog;

    @Autowired
    IngestProperties ingestProperties;

    @Test
    void aSecondPutWithTheSameKeyReplacesTheItemAnUpdateKeepsTheOtherAttributesAndADeleteRemovesIt() {
        String table = newTable();
        SinkRecord first = keyed(table, Operation.INSERT, "car1", "100", "{\"power\":1,\"colour\":\"red\"}", null);
        send(first);
        send(keyed(table, Operation.INSERT, "car1", "100", "{\"power\":2,\"speed\":12345678901234567890.5}", null));
        send(keyed(table, Operation.UPDATE, "car1", "100", "\"parked\"", "state"));
        SinkRecord marker = keyed(table, Operation.INSERT, "car1", "200", "{\"power\":9}", null);
        send(marker);
        await().atMost(WAIT).until(() -> get("/tables/" + table + "/items/car1/200").getStatusCode().value() == 200);

        JsonNode item = EXACT.readTree(get("/tables/" + table + "/items/car1/100").getBody()).get("item");
        assertThat(item).isEqualTo(EXACT.readTree(
                "{\"device\":\"car1\",\"ts\":100,\"power\":2,\"speed\":12345678901234567890.5,\"state\":\"parked\"}"));
        assertThat(count(table)).as("one item per key").isEqualTo(2);
        JsonNode description = getJson("/tables/" + table);
        assertThat(description.get("partitionKeyName").asString()).isEqualTo("device");
        assertThat(description.get("sortKeyName").asString()).isEqualTo("ts");
        assertThat(description.get("sortKeyType").asString()).isEqualTo("N");

        // the first INSERT replayed after the UPDATE: skipped, the item keeps its later state
        send(first);
        send(keyed(table, Operation.DELETE, "car1", "200.0", "{}", null));
        await().atMost(WAIT).until(() -> get("/tables/" + table + "/items/car1/200").getStatusCode().value() == 404);
        assertThat(getJson("/tables/" + table + "/items/car1/100").at("/item/state").asString()).isEqualTo("parked");
        assertThat(count(table)).isEqualTo(1);
    }

    @Test
    void aKeyOfTheWrongTypeOrAMissingSortKeyIsDeadLetteredWithTheReasonAndNothingIsStored() {
        String table = newTable();
        send(keyed(table, Operation.INSERT, "car1", "1", "{}", null));
        SinkRecord wrongType = keyed(table, Operation.INSERT, "car1", "noon", "{\"n\":1}", null);
        SinkRecord noSortKey = keyed(table, Operation.INSERT, "car1", null, "{\"n\":2}", null);
        send(wrongType);
        send(noSortKey);

        await().atMost(WAIT).until(() -> deadLetters().stream()
                .filter(letter -> letter.value() != null && (letter.value().contains(wrongType.sourceMessageId())
                        || letter.value().contains(noSortKey.sourceMessageId()))).count() == 2);
        List<String> reasons = deadLetters().stream().filter(letter -> letter.value() != null
                        && (letter.value().contains(wrongType.sourceMessageId())
                        || letter.value().contains(noSortKey.sourceMessageId())))
                .map(letter -> letter.headers().get("x-exception-message")).toList();
        assertThat(reasons).anyMatch(reason -> reason.contains("sort key 'ts' is of type N"))
                .anyMatch(reason -> reason.contains("missing sort key 'ts'"));
        assertThat(count(table)).isEqualTo(1);
    }

    @Test
    void withoutAutoCreationARecordForAnUnknownTableIsRefusedAndAnExistingTableIsWritten() {
        ItemWriter strict = new ItemWriter(jdbc, transaction, catalog, json, ingestProperties,
                new SinkProperties(false, Duration.ofDays(7), Duration.ofHours(1)));
        String unknown = newTable();
        StorableItem item = StorableItem.appended(unknown, "car1", null, json.readTree("{}"), "m-" + unknown, T0);

        ItemWriter.Outcome outcome = strict.write(List.of(item));

        assertThat(outcome.refused()).singleElement().satisfies(refusal ->
                assertThat(refusal.reason()).contains("no table '" + unknown + "'", "auto-create-tables is off"));
        assertThat(count(unknown)).isZero();
        assertThat(get("/tables/" + unknown).getStatusCode().value()).isEqualTo(404);
    }

    private long count(String table) {
        return jdbc.queryForObject("SELECT count(*) FROM item WHERE table_name = ?", Long.class, table);
    }

    private SinkRecord keyed(String table, Operation operation, String device, String ts, String item,
                             String payloadField) {
        return new SinkRecord(table, device, ts, EXACT.readTree(item), UUID.randomUUID().toString(), T0, operation,
                "device", "STRING", "ts", "NUMBER", payloadField);
    }
}
