package io.openiot.sink.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openiot.sink.SinkServiceTestBase;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** The sink's DynamoDB API, driven by the AWS SDK for Java v2 DynamoDbClient against the real service. */
@Timeout(180)
class DynamoDbApiTest extends SinkServiceTestBase {

    private DynamoDbClient dynamo;

    @BeforeEach
    void client() {
        dynamo = DynamoDbClient.builder()
                .endpointOverride(URI.create("http://localhost:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterEach
    void close() {
        dynamo.close();
    }

    @Test
    void tablesAreCreatedDescribedListedAndDeleted() {
        String table = newTable();
        TableDescription created = createDeviceTimeTable(table).tableDescription();
        assertThat(created.tableName()).isEqualTo(table);
        assertThat(created.tableStatus()).isEqualTo(TableStatus.ACTIVE);

        TableDescription described = dynamo.describeTable(r -> r.tableName(table)).table();
        assertThat(described.keySchema()).containsExactly(
                KeySchemaElement.builder().attributeName("device").keyType(KeyType.HASH).build(),
                KeySchemaElement.builder().attributeName("ts").keyType(KeyType.RANGE).build());
        assertThat(described.attributeDefinitions()).contains(AttributeDefinition.builder().attributeName("ts")
                .attributeType(ScalarAttributeType.N).build());
        assertThat(described.itemCount()).isZero();
        assertThat(dynamo.listTablesPaginator(r -> r.limit(2)).tableNames()).contains(table);
        assertThat(getJson("/tables/" + table).get("sortKeyType").asString()).as("the same table over REST")
                .isEqualTo("N");

        dynamo.deleteTable(r -> r.tableName(table));
        assertThatThrownBy(() -> dynamo.describeTable(r -> r.tableName(table)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void putItemReplacesTheItemWithItsKeyGetItemReadsItBackAndDeleteItemRemovesIt() {
        String table = newTable();
        createDeviceTimeTable(table);
        Map<String, AttributeValue> key = Map.of("device", s("car1"), "ts", n("1714564800000"));
        dynamo.putItem(r -> r.tableName(table).item(Map.of("device", s("car1"), "ts", n("1714564800000"),
                "power", n("1"), "colour", s("red"))));
        dynamo.putItem(r -> r.tableName(table).item(Map.of("device", s("car1"), "ts", n("1714564800000"),
                "power", n("12345678901234567890.123456789"), "on", AttributeValue.fromBool(true),
                "gone", AttributeValue.fromNul(true),
                "tags", AttributeValue.fromL(List.of(s("a"), n("2"))),
                "where", AttributeValue.fromM(Map.of("city", s("Oslo"))))));

        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key)).item();
        assertThat(item).containsOnlyKeys("device", "ts", "power", "on", "gone", "tags", "where");
        assertThat(item.get("power").n()).isEqualTo("12345678901234567890.123456789");
        assertThat(item.get("on").bool()).isTrue();
        assertThat(item.get("gone").nul()).isTrue();
        assertThat(item.get("tags").l()).containsExactly(s("a"), n("2"));
        assertThat(item.get("where").m()).containsEntry("city", s("Oslo"));
        assertThat(dynamo.describeTable(r -> r.tableName(table)).table().itemCount()).isEqualTo(1);
        assertThat(getJson("/tables/" + table + "/items/car1/1714564800000").at("/item/where/city").asString())
                .as("the same item over REST").isEqualTo("Oslo");

        dynamo.deleteItem(r -> r.tableName(table).key(key));
        assertThat(dynamo.getItem(r -> r.tableName(table).key(key)).hasItem()).isFalse();
    }

    @Test
    void updateItemSetsAndRemovesTopLevelAttributesAndKeepsTheOthers() {
        String table = newTable();
        createDeviceTimeTable(table);
        Map<String, AttributeValue> key = Map.of("device", s("car1"), "ts", n("5"));
        dynamo.putItem(r -> r.tableName(table).item(Map.of("device", s("car1"), "ts", n("5"), "power", n("1"),
                "colour", s("red"), "old", s("x"))));

        dynamo.updateItem(r -> r.tableName(table).key(key).updateExpression("SET #p = :p, speed = :s REMOVE old")
                .expressionAttributeNames(Map.of("#p", "power"))
                .expressionAttributeValues(Map.of(":p", n("2"), ":s", n("30"))));

        assertThat(dynamo.getItem(r -> r.tableName(table).key(key)).item()).isEqualTo(Map.of("device", s("car1"),
                "ts", n("5"), "power", n("2"), "colour", s("red"), "speed", n("30")));
        Map<String, AttributeValue> newKey = Map.of("device", s("car2"), "ts", n("5"));
        dynamo.updateItem(r -> r.tableName(table).key(newKey).updateExpression("SET power = :p")
                .expressionAttributeValues(Map.of(":p", n("7"))));
        assertThat(dynamo.getItem(r -> r.tableName(table).key(newKey)).item()).as("created by the update")
                .isEqualTo(Map.of("device", s("car2"), "ts", n("5"), "power", n("7")));
        assertThatThrownBy(() -> dynamo.updateItem(r -> r.tableName(table).key(key).updateExpression("SET ts = :t")
                .expressionAttributeValues(Map.of(":t", n("1")))))
                .satisfies(DynamoDbApiTest::isValidationException).hasMessageContaining("part of the key");
        assertThatThrownBy(() -> dynamo.updateItem(r -> r.tableName(table).key(key).updateExpression("SET = :t")
                .expressionAttributeValues(Map.of(":t", n("1")))))
                .satisfies(DynamoDbApiTest::isValidationException).hasMessageContaining("Invalid expression");
    }

    @Test
    void queryReadsOnePartitionInSortKeyOrderWithKeyConditionsAndPages() {
        String table = newTable();
        createDeviceTimeTable(table);
        // numeric sort keys whose text order differs from their numeric order
        for (int ts : new int[] {1, 2, 9, 10, 11, 100}) {
            dynamo.putItem(r -> r.tableName(table).item(Map.of("device", s("car1"), "ts", n(String.valueOf(ts)))));
        }
        dynamo.putItem(r -> r.tableName(table).item(Map.of("device", s("car2"), "ts", n("5"))));

        assertThat(sortKeys(table, "#d = :d", Map.of(":d", s("car1")), true)).containsExactly(1, 2, 9, 10, 11, 100);
        assertThat(sortKeys(table, "#d = :d AND ts > :t", Map.of(":d", s("car1"), ":t", n("9")), true))
                .containsExactly(10, 11, 100);
        assertThat(sortKeys(table, "#d = :d AND ts <= :t", Map.of(":d", s("car1"), ":t", n("9")), false))
                .containsExactly(9, 2, 1);
        assertThat(sortKeys(table, "#d = :d AND ts BETWEEN :a AND :b",
                Map.of(":d", s("car1"), ":a", n("2"), ":b", n("10")), true)).containsExactly(2, 9, 10);
        assertThat(sortKeys(table, "(#d = :d) AND ts >= :t", Map.of(":d", s("car1"), ":t", n("100")), true))
                .containsExactly(100);

        // pages of two, through LastEvaluatedKey, and the SDK's paginator
        var first = dynamo.query(r -> r.tableName(table).keyConditionExpression("device = :d")
                .expressionAttributeValues(Map.of(":d", s("car1"))).limit(2));
        assertThat(first.count()).isEqualTo(2);
        assertThat(first.lastEvaluatedKey()).isEqualTo(Map.of("device", s("car1"), "ts", n("2")));
        assertThat(dynamo.queryPaginator(r -> r.tableName(table).keyConditionExpression("device = :d")
                .expressionAttributeValues(Map.of(":d", s("car1"))).limit(4)).items().stream()
                .map(item -> Integer.parseInt(item.get("ts").n())).toList()).containsExactly(1, 2, 9, 10, 11, 100);

        assertThatThrownBy(() -> dynamo.query(r -> r.tableName(table).keyConditionExpression("ts = :t")
                .expressionAttributeValues(Map.of(":t", n("1")))))
                .satisfies(DynamoDbApiTest::isValidationException).hasMessageContaining("device");
        assertThatThrownBy(() -> dynamo.query(r -> r.tableName(table).keyConditionExpression("device = :d")
                .expressionAttributeValues(Map.of(":d", n("1")))))
                .satisfies(DynamoDbApiTest::isValidationException).hasMessageContaining("Type mismatch");
        assertThatThrownBy(() -> dynamo.query(r -> r.tableName(table).indexName("byColour")
                .keyConditionExpression("device = :d").expressionAttributeValues(Map.of(":d", s("car1")))))
                .satisfies(DynamoDbApiTest::isValidationException).hasMessageContaining("secondary indexes");
    }

    @Test
    void beginsWithSelectsStringSortKeysByPrefix() {
        String table = newTable();
        dynamo.createTable(r -> r.tableName(table)
                .keySchema(KeySchemaElement.builder().attributeName("site").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sensor").keyType(KeyType.RANGE).build())
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("site").attributeType(ScalarAttributeType.S)
                                .build(),
                        AttributeDefinition.builder().attributeName("sensor").attributeType(ScalarAttributeType.S)
                                .build()));
        for (String sensor : List.of("temp#1", "temp#2", "hum#1", "Temp#3")) {
            dynamo.putItem(r -> r.tableName(table).item(Map.of("site", s("oslo"), "sensor", s(sensor))));
        }

        var items = dynamo.query(r -> r.tableName(table)
                .keyConditionExpression("site = :s AND begins_with(sensor, :p)")
                .expressionAttributeValues(Map.of(":s", s("oslo"), ":p", s("temp#")))).items();

        assertThat(items).extracting(item -> item.get("sensor").s()).containsExactly("temp#1", "temp#2");
    }

    @Test
    void batchWritesBatchGetsAndScansPageThroughATable() {
        String table = newTable();
        createDeviceTimeTable(table);
        dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, java.util.stream.IntStream.range(0, 5)
                .mapToObj(i -> WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of(
                        "device", s("car" + i), "ts", n("1"), "n", n(String.valueOf(i)))).build()).build())
                .toList())));
        dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, List.of(WriteRequest.builder()
                .deleteRequest(DeleteRequest.builder().key(Map.of("device", s("car4"), "ts", n("1"))).build())
                .build()))));

        var got = dynamo.batchGetItem(r -> r.requestItems(Map.of(table, KeysAndAttributes.builder().keys(
                Map.of("device", s("car0"), "ts", n("1")), Map.of("device", s("car4"), "ts", n("1")),
                Map.of("device", s("car3"), "ts", n("1"))).build())));
        assertThat(got.responses().get(table)).extracting(item -> item.get("device").s())
                .containsExactlyInAnyOrder("car0", "car3");
        assertThat(got.unprocessedKeys()).isEmpty();

        var firstPage = dynamo.scan(r -> r.tableName(table).limit(3));
        assertThat(firstPage.count()).isEqualTo(3);
        assertThat(firstPage.hasLastEvaluatedKey()).isTrue();
        assertThat(dynamo.scanPaginator(r -> r.tableName(table).limit(3)).items().stream()
                .map(item -> item.get("device").s()).toList()).containsExactly("car0", "car1", "car2", "car3");
    }

    @Test
    void scanFiltersQueryProjectsAndCountsAndBinaryKeysWork() {
        String table = newTable();
        createDeviceTimeTable(table);
        for (int i = 0; i < 6; i++) {
            int ts = i;
            dynamo.putItem(r -> r.tableName(table).item(Map.of("device", s("car1"), "ts", n(String.valueOf(ts)),
                    "speed", n(String.valueOf(ts * 10)), "colour", s(ts % 2 == 0 ? "red" : "blue"))));
        }
        var scanned = dynamo.scan(r -> r.tableName(table).limit(4)
                .filterExpression("speed >= :min AND (colour = :c OR NOT attribute_exists(#c2))")
                .expressionAttributeNames(Map.of("#c2", "colour"))
                .expressionAttributeValues(Map.of(":min", n("15"), ":c", s("red"))));
        assertThat(scanned.items()).extracting(item -> item.get("ts").n()).containsExactly("2");
        assertThat(scanned.count()).isEqualTo(1);
        assertThat(scanned.scannedCount()).as("the limit counts items read, before the filter").isEqualTo(4);
        assertThat(dynamo.scanPaginator(r -> r.tableName(table).limit(4).filterExpression("begins_with(colour, :b)")
                .expressionAttributeValues(Map.of(":b", s("bl")))).items().stream()
                .map(item -> item.get("ts").n()).toList()).containsExactly("1", "3", "5");

        var projected = dynamo.query(r -> r.tableName(table).keyConditionExpression("device = :d AND ts < :t")
                .projectionExpression("ts, #s").expressionAttributeNames(Map.of("#s", "speed"))
                .expressionAttributeValues(Map.of(":d", s("car1"), ":t", n("2"))));
        assertThat(projected.items()).containsExactly(Map.of("ts", n("0"), "speed", n("0")),
                Map.of("ts", n("1"), "speed", n("10")));
        var counted = dynamo.query(r -> r.tableName(table).keyConditionExpression("device = :d")
                .select(Select.COUNT).expressionAttributeValues(Map.of(":d", s("car1"))));
        assertThat(counted.count()).isEqualTo(6);
        assertThat(counted.items()).isEmpty();
        assertThat(dynamo.getItem(r -> r.tableName(table).key(Map.of("device", s("car1"), "ts", n("3")))
                .projectionExpression("colour")).item()).isEqualTo(Map.of("colour", s("blue")));
        assertThatThrownBy(() -> dynamo.query(r -> r.tableName(table).keyConditionExpression("device = :d")
                .select(Select.COUNT).projectionExpression("ts").expressionAttributeValues(Map.of(":d", s("car1")))))
                .satisfies(DynamoDbApiTest::isValidationException);
        assertThatThrownBy(() -> dynamo.scan(r -> r.tableName(table).filterExpression("size(colour) > :n")
                .expressionAttributeValues(Map.of(":n", n("1"))))).satisfies(DynamoDbApiTest::isValidationException);

        // a binary partition and sort key: created, put, read by key and by prefix of the sort key
        String binary = newTable();
        dynamo.createTable(r -> r.tableName(binary)
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("part").keyType(KeyType.RANGE).build())
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.B).build(),
                        AttributeDefinition.builder().attributeName("part").attributeType(ScalarAttributeType.B)
                                .build()));
        AttributeValue id = AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2, 3}));
        for (byte[] part : new byte[][] {{9, 1}, {9, 2}, {10}}) {
            dynamo.putItem(r -> r.tableName(binary).item(Map.of("id", id, "part",
                    AttributeValue.fromB(SdkBytes.fromByteArray(part)), "v", n(String.valueOf(part.length)))));
        }
        assertThat(dynamo.getItem(r -> r.tableName(binary).key(Map.of("id", id, "part",
                AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {10}))))).item().get("v").n()).isEqualTo("1");
        assertThat(dynamo.query(r -> r.tableName(binary).keyConditionExpression("id = :id AND begins_with(part, :p)")
                .expressionAttributeValues(Map.of(":id", id, ":p",
                        AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {9}))))).count()).isEqualTo(2);
        assertThat(dynamo.describeTable(r -> r.tableName(binary)).table().attributeDefinitions())
                .extracting(d -> d.attributeTypeAsString()).containsExactly("B", "B");
    }

    @Test
    void badRequestsGetDynamoDbsErrorTypes() {
        String table = newTable();
        createDeviceTimeTable(table);

        assertThatThrownBy(() -> createDeviceTimeTable(table)).isInstanceOf(ResourceInUseException.class);
        assertThatThrownBy(() -> dynamo.getItem(r -> r.tableName("no_such_table").key(Map.of("device", s("x")))))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(table).item(Map.of("device", s("car1"),
                "ts", s("noon"))))).satisfies(DynamoDbApiTest::isValidationException).hasMessageContaining("Type mismatch");
        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(table).item(Map.of("device", s("car1")))))
                .satisfies(DynamoDbApiTest::isValidationException).hasMessageContaining("ts");
        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(table).item(Map.of("device", s("car1"),
                "ts", n("1"), "blob", s("x".repeat(410_000))))))
                .satisfies(DynamoDbApiTest::isValidationException).hasMessageContaining("maximum allowed size");
        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(table).item(Map.of("device", s("car1"),
                "ts", n("1"))).conditionExpression("attribute_not_exists(device)")))
                .satisfies(DynamoDbApiTest::isValidationException).hasMessageContaining("conditional writes");
        assertThatThrownBy(() -> dynamo.createTable(CreateTableRequest.builder().tableName(newTable())
                .keySchema(KeySchemaElement.builder().attributeName("device").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("device")
                        .attributeType(ScalarAttributeType.S).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byColour")
                        .keySchema(KeySchemaElement.builder().attributeName("device").keyType(KeyType.HASH).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                .build())).satisfies(DynamoDbApiTest::isValidationException).hasMessageContaining("secondary indexes");
        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(List.of())))
                .satisfies(DynamoDbApiTest::isValidationException).hasMessageContaining("Transactions are not supported");
    }

    /** The SDK has no class for ValidationException: it is a DynamoDbException with that error code. */
    private static void isValidationException(Throwable e) {
        assertThat(e).isInstanceOf(DynamoDbException.class);
        assertThat(((DynamoDbException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(((DynamoDbException) e).statusCode()).isEqualTo(400);
    }

    private List<Integer> sortKeys(String table, String condition, Map<String, AttributeValue> values,
                                   boolean forward) {
        return dynamo.query(r -> r.tableName(table).keyConditionExpression(condition)
                        .expressionAttributeNames(condition.contains("#d") ? Map.of("#d", "device") : null)
                        .expressionAttributeValues(values).scanIndexForward(forward)).items().stream()
                .map(item -> Integer.parseInt(item.get("ts").n())).toList();
    }

    private software.amazon.awssdk.services.dynamodb.model.CreateTableResponse createDeviceTimeTable(String table) {
        return dynamo.createTable(r -> r.tableName(table)
                .keySchema(KeySchemaElement.builder().attributeName("device").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("ts").keyType(KeyType.RANGE).build())
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("device").attributeType(ScalarAttributeType.S)
                                .build(),
                        AttributeDefinition.builder().attributeName("ts").attributeType(ScalarAttributeType.N)
                                .build()));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(String value) {
        return AttributeValue.fromN(value);
    }
}
