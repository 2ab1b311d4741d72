package io.openiot.sink.dynamodb;

import io.openiot.sink.table.KeySchema;
import io.openiot.sink.table.KeySchema.KeyType;
import io.openiot.sink.table.TableCatalog;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The DynamoDB operations the sink serves, on its own tables and items. */
@Service
class DynamoDbOperations {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    /** DynamoDB's item size limit. */
    static final int MAX_ITEM_BYTES = 400 * 1024;

    /** Request members of features the sink does not have, and how the answer names them. */
    private static final Map<String, String> UNSUPPORTED_MEMBERS = Map.ofEntries(
            Map.entry("GlobalSecondaryIndexes", "secondary indexes"),
            Map.entry("LocalSecondaryIndexes", "secondary indexes"),
            Map.entry("IndexName", "secondary indexes"),
            Map.entry("StreamSpecification", "streams"),
            Map.entry("ConditionExpression", "conditional writes"),
            Map.entry("Expected", "conditional writes"),
            Map.entry("ConditionalOperator", "conditional writes"),
            Map.entry("AttributeUpdates", "AttributeUpdates (use UpdateExpression)"),
            Map.entry("KeyConditions", "KeyConditions (use KeyConditionExpression)"),
            Map.entry("ScanFilter", "ScanFilter (use FilterExpression)"),
            Map.entry("QueryFilter", "QueryFilter (use FilterExpression)"));
    private static final Map<String, String> UNSUPPORTED_READ_MEMBERS = Map.of(
            "AttributesToGet", "AttributesToGet (use ProjectionExpression)",
            "Segment", "parallel scans",
            "TotalSegments", "parallel scans");
    /** DynamoDB's batch limits. */
    static final int MAX_BATCH_WRITE = 25;
    static final int MAX_BATCH_GET = 100;
    private static final Set<String> TRANSACTIONS = Set.of("TransactWriteItems", "TransactGetItems",
            "ExecuteTransaction");

    private final TableCatalog catalog;
    private final ItemStore items;
    private final JsonMapper json;

    DynamoDbOperations(TableCatalog catalog, ItemStore items, JsonMapper json) {
        this.catalog = catalog;
        this.items = items;
        // stored numbers keep every digit on the way back out (doubles would round them)
        this.json = json.rebuild().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    }

    @Transactional
    ObjectNode execute(String operation, JsonNode request) {
        if (TRANSACTIONS.contains(operation)) {
            throw new DynamoDbException.Validation("Transactions are not supported by this service (" + operation
                    + ")");
        }
        for (Map.Entry<String, String> member : UNSUPPORTED_MEMBERS.entrySet()) {
            JsonNode value = request.get(member.getKey());
            if (value != null && !value.isNull()) {
                throw new DynamoDbException.Validation("Not supported by this service: " + member.getValue()
                        + " (" + member.getKey() + ")");
            }
        }
        for (Map.Entry<String, String> member : UNSUPPORTED_READ_MEMBERS.entrySet()) {
            JsonNode value = request.get(member.getKey());
            if (value != null && !value.isNull()) {
                throw new DynamoDbException.Validation("Not supported by this service: " + member.getValue()
                        + " (" + member.getKey() + ")");
            }
        }
        if ((request.hasNonNull("FilterExpression") || request.hasNonNull("Select"))
                && !operation.equals("Query") && !operation.equals("Scan")) {
            throw new DynamoDbException.Validation("FilterExpression and Select are parameters of Query and Scan");
        }
        return switch (operation) {
            case "CreateTable" -> createTable(request);
            case "DescribeTable" -> wrap("Table", describe(existing(request)));
            case "ListTables" -> listTables(request);
            case "DeleteTable" -> deleteTable(request);
            case "PutItem" -> putItem(request);
            case "GetItem" -> getItem(request);
            case "DeleteItem" -> deleteItem(request);
            case "UpdateItem" -> updateItem(request);
            case "BatchWriteItem" -> batchWriteItem(request);
            case "BatchGetItem" -> batchGetItem(request);
            case "Query" -> query(request);
            case "Scan" -> scan(request);
            default -> throw new DynamoDbException.UnknownOperation(operation);
        };
    }

    private ObjectNode createTable(JsonNode request) {
        String name = tableName(request);
        JsonNode keySchema = request.get("KeySchema");
        JsonNode definitions = request.get("AttributeDefinitions");
        if (keySchema == null || !keySchema.isArray() || keySchema.isEmpty() || keySchema.size() > 2) {
            throw new DynamoDbException.Validation("KeySchema must have one HASH and at most one RANGE element");
        }
        String hash = null;
        String range = null;
        for (JsonNode element : keySchema) {
            String attribute = text(element, "AttributeName");
            String type = text(element, "KeyType");
            if ("HASH".equals(type) && hash == null) {
                hash = attribute;
            } else if ("RANGE".equals(type) && range == null) {
                range = attribute;
            } else {
                throw new DynamoDbException.Validation("Invalid KeySchema: one HASH and at most one RANGE element");
            }
        }
        if (hash == null) {
            throw new DynamoDbException.Validation("Invalid KeySchema: no HASH key");
        }
        KeySchema schema = new KeySchema(hash, definedType(definitions, hash), range,
                range == null ? null : definedType(definitions, range));
        if (definitions.size() != (range == null ? 1 : 2)) {
            throw new DynamoDbException.Validation("One or more parameter values were invalid: Number of attributes "
                    + "in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        }
        if (!catalog.create(name, schema, null, null, null, List.of())) {
            throw new DynamoDbException.ResourceInUse(name);
        }
        return wrap("TableDescription", describe(catalog.table(name).orElseThrow()));
    }

    private ObjectNode listTables(JsonNode request) {
        int limit = request.hasNonNull("Limit") ? request.get("Limit").asInt() : 100;
        if (limit < 1 || limit > 100) {
            throw new DynamoDbException.Validation("Limit must be between 1 and 100");
        }
        String after = request.hasNonNull("ExclusiveStartTableName")
                ? request.get("ExclusiveStartTableName").asString() : null;
        List<String> names = catalog.names(after, limit + 1);
        ObjectNode response = NODES.objectNode();
        ArrayNode tableNames = response.putArray("TableNames");
        names.stream().limit(limit).forEach(tableNames::add);
        if (names.size() > limit) {
            response.put("LastEvaluatedTableName", names.get(limit - 1));
        }
        return response;
    }

    private ObjectNode deleteTable(JsonNode request) {
        TableCatalog.TableInfo table = existing(request);
        ObjectNode description = describe(table);
        description.put("TableStatus", "DELETING");
        catalog.delete(table.name());
        return wrap("TableDescription", description);
    }

    private ObjectNode putItem(JsonNode request) {
        TableCatalog.TableInfo table = keyedTable(request);
        noReturnValues(request);
        JsonNode item = request.get("Item");
        ItemKey key = ItemKey.of(table.keySchema(), item, false);
        store(table, key, AttributeValues.toPlain(item, "Item"));
        return NODES.objectNode();
    }

    private ObjectNode getItem(JsonNode request) {
        TableCatalog.TableInfo table = keyedTable(request);
        ItemKey key = ItemKey.of(table.keySchema(), request.get("Key"), true);
        ObjectNode response = NODES.objectNode();
        List<String> projection = projection(request);
        items.get(table.name(), key).ifPresent(stored -> response.set("Item",
                project(AttributeValues.toAttributes(json.readTree(stored)), projection)));
        return response;
    }

    private ObjectNode deleteItem(JsonNode request) {
        TableCatalog.TableInfo table = keyedTable(request);
        noReturnValues(request);
        items.delete(table.name(), ItemKey.of(table.keySchema(), request.get("Key"), true));
        return NODES.objectNode();
    }

    private ObjectNode updateItem(JsonNode request) {
        TableCatalog.TableInfo table = keyedTable(request);
        noReturnValues(request);
        JsonNode keyAttributes = request.get("Key");
        KeySchema schema = table.keySchema();
        ItemKey key = ItemKey.of(schema, keyAttributes, true);
        if (!request.hasNonNull("UpdateExpression")) {
            throw new DynamoDbException.Validation("UpdateExpression is required");
        }
        Expressions.Update update = Expressions.update(request.get("UpdateExpression").asString(),
                request.get("ExpressionAttributeNames"), request.get("ExpressionAttributeValues"));
        for (String attribute : update.set().keySet()) {
            requireNotKey(schema, attribute);
        }
        update.remove().forEach(attribute -> requireNotKey(schema, attribute));
        // one item, read under a row lock, changed and written back: UpdateItem creates the item if it is missing
        ObjectNode item = items.getForUpdate(table.name(), key)
                .map(stored -> (ObjectNode) json.readTree(stored))
                .orElseGet(() -> AttributeValues.toPlain(keyAttributes, "Key"));
        update.set().forEach((attribute, value) -> item.set(attribute, AttributeValues.toPlainValue(value, attribute)));
        update.remove().forEach(item::remove);
        store(table, key, item);
        return NODES.objectNode();
    }

    private ObjectNode batchWriteItem(JsonNode request) {
        JsonNode requestItems = request.get("RequestItems");
        if (requestItems == null || !requestItems.isObject() || requestItems.isEmpty()) {
            throw new DynamoDbException.Validation("RequestItems must name at least one table");
        }
        int count = 0;
        for (Map.Entry<String, JsonNode> entry : requestItems.properties()) {
            count += entry.getValue().size();
        }
        if (count > MAX_BATCH_WRITE) {
            throw new DynamoDbException.Validation("Too many items requested for the BatchWriteItem call");
        }
        for (Map.Entry<String, JsonNode> entry : requestItems.properties()) {
            TableCatalog.TableInfo table = keyedTable(entry.getKey());
            for (JsonNode write : entry.getValue()) {
                if (write.hasNonNull("PutRequest")) {
                    JsonNode item = write.get("PutRequest").get("Item");
                    store(table, ItemKey.of(table.keySchema(), item, false), AttributeValues.toPlain(item, "Item"));
                } else if (write.hasNonNull("DeleteRequest")) {
                    items.delete(table.name(), ItemKey.of(table.keySchema(), write.get("DeleteRequest").get("Key"),
                            true));
                } else {
                    throw new DynamoDbException.Validation("A write request needs a PutRequest or a DeleteRequest");
                }
            }
        }
        ObjectNode response = NODES.objectNode();
        response.putObject("UnprocessedItems");
        return response;
    }

    private ObjectNode batchGetItem(JsonNode request) {
        JsonNode requestItems = request.get("RequestItems");
        if (requestItems == null || !requestItems.isObject() || requestItems.isEmpty()) {
            throw new DynamoDbException.Validation("RequestItems must name at least one table");
        }
        int count = 0;
        for (Map.Entry<String, JsonNode> entry : requestItems.properties()) {
            JsonNode keys = entry.getValue().get("Keys");
            if (keys == null || !keys.isArray() || keys.isEmpty()) {
                throw new DynamoDbException.Validation("Keys of table " + entry.getKey() + " must not be empty");
            }
            if (entry.getValue().hasNonNull("ProjectionExpression")) {
                throw new DynamoDbException.Validation("Not supported by this service: projection expressions");
            }
            count += keys.size();
        }
        if (count > MAX_BATCH_GET) {
            throw new DynamoDbException.Validation("Too many items requested for the BatchGetItem call");
        }
        ObjectNode response = NODES.objectNode();
        ObjectNode responses = response.putObject("Responses");
        for (Map.Entry<String, JsonNode> entry : requestItems.properties()) {
            TableCatalog.TableInfo table = keyedTable(entry.getKey());
            ArrayNode found = responses.putArray(entry.getKey());
            for (JsonNode keyAttributes : entry.getValue().get("Keys")) {
                items.get(table.name(), ItemKey.of(table.keySchema(), keyAttributes, true))
                        .ifPresent(stored -> found.add(AttributeValues.toAttributes(json.readTree(stored))));
            }
        }
        response.putObject("UnprocessedKeys");
        return response;
    }

    private ObjectNode query(JsonNode request) {
        TableCatalog.TableInfo table = keyedTable(request);
        KeySchema schema = table.keySchema();
        if (!request.hasNonNull("KeyConditionExpression")) {
            throw new DynamoDbException.Validation("KeyConditionExpression is required");
        }
        List<Expressions.KeyCondition> conditions = Expressions.keyCondition(
                request.get("KeyConditionExpression").asString(), request.get("ExpressionAttributeNames"),
                request.get("ExpressionAttributeValues"));
        String partitionKey = null;
        Expressions.KeyCondition sortCondition = null;
        for (Expressions.KeyCondition condition : conditions) {
            if (condition.attribute().equals(schema.partitionKeyName())) {
                if (partitionKey != null || !(condition instanceof Expressions.Compare compare)
                        || compare.comparator() != Expressions.Comparator.EQ) {
                    throw new DynamoDbException.Validation("Query key condition not supported: the partition key "
                            + "needs exactly one equality condition");
                }
                partitionKey = keyValue(schema.partitionKeyName(), schema.partitionKeyType(), compare.value());
            } else if (schema.hasSortKey() && condition.attribute().equals(schema.sortKeyName())
                    && sortCondition == null) {
                sortCondition = condition;
            } else {
                throw new DynamoDbException.Validation("Query key condition not supported: condition on "
                        + condition.attribute() + " is not one on the table's key");
            }
        }
        if (partitionKey == null) {
            throw new DynamoDbException.Validation("Query condition missed key schema element: "
                    + schema.partitionKeyName());
        }
        boolean numeric = schema.hasSortKey() && schema.sortKeyType() == KeyType.N;
        ItemStore.SortCondition sql = sortCondition == null ? null : sortSql(schema, sortCondition);
        boolean forward = !request.hasNonNull("ScanIndexForward") || request.get("ScanIndexForward").asBoolean();
        int limit = limit(request);
        Object exclusiveStart = null;
        if (request.hasNonNull("ExclusiveStartKey")) {
            ItemKey start = ItemKey.of(schema, request.get("ExclusiveStartKey"), true);
            if (!start.partitionKey().equals(partitionKey)) {
                throw new DynamoDbException.Validation("The provided starting key is invalid: it is not in the "
                        + "queried partition");
            }
            exclusiveStart = !schema.hasSortKey() ? null : numeric ? start.sortKeyNumber()
                    : schema.sortKeyType() == KeyType.B ? java.util.Base64.getDecoder().decode(start.sortKey())
                    : start.sortKey();
            if (!schema.hasSortKey()) {
                return page(List.of(), schema, false);
            }
        }
        List<ItemStore.Stored> rows = items.query(table.name(), partitionKey, schema.sortKeyType(), sql, forward,
                exclusiveStart,
                limit + 1);
        return page(rows, schema, rows.size() > limit, limit, Read.of(request));
    }

    private ObjectNode scan(JsonNode request) {
        TableCatalog.TableInfo table = keyedTable(request);
        int limit = limit(request);
        ItemKey after = request.hasNonNull("ExclusiveStartKey")
                ? ItemKey.of(table.keySchema(), request.get("ExclusiveStartKey"), true) : null;
        List<ItemStore.Stored> rows = items.scan(table.name(), after, limit + 1);
        return page(rows, table.keySchema(), rows.size() > limit, limit, Read.of(request));
    }

    private ObjectNode page(List<ItemStore.Stored> rows, KeySchema schema, boolean more) {
        return page(rows, schema, more, rows.size(), new Read(null, null, false));
    }

    /**
     * What a Query or Scan returns of the items it read: those its filter keeps ({@code null}: all), with the
     * projected attributes ({@code null}: all), or only their number ({@code Select: COUNT}).
     */
    record Read(Expressions.Condition filter, List<String> projection, boolean countOnly) {

        static Read of(JsonNode request) {
            String select = request.hasNonNull("Select") ? request.get("Select").asString() : null;
            List<String> projection = DynamoDbOperations.projection(request);
            if (select != null && !Set.of("ALL_ATTRIBUTES", "COUNT", "SPECIFIC_ATTRIBUTES").contains(select)) {
                throw new DynamoDbException.Validation("Not supported by this service: Select " + select
                        + " (secondary indexes)");
            }
            if (projection != null && select != null && !select.equals("SPECIFIC_ATTRIBUTES")) {
                throw new DynamoDbException.Validation("Cannot specify the AttributesToGet or ProjectionExpression "
                        + "when choosing to get " + select);
            }
            if ("SPECIFIC_ATTRIBUTES".equals(select) && projection == null) {
                throw new DynamoDbException.Validation("Select SPECIFIC_ATTRIBUTES needs a ProjectionExpression");
            }
            Expressions.Condition filter = request.hasNonNull("FilterExpression")
                    ? Expressions.filter(request.get("FilterExpression").asString(),
                            request.get("ExpressionAttributeNames"), request.get("ExpressionAttributeValues"))
                    : null;
            return new Read(filter, projection, "COUNT".equals(select));
        }
    }

    /**
     * Items, Count, ScannedCount and, when more rows exist, the key of the last item read as LastEvaluatedKey. As in
     * DynamoDB, the limit counts the items read, before the filter: ScannedCount is their number, Count that of the
     * items the filter kept.
     */
    private ObjectNode page(List<ItemStore.Stored> rows, KeySchema schema, boolean more, int limit, Read read) {
        List<ItemStore.Stored> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        ObjectNode response = NODES.objectNode();
        ArrayNode found = read.countOnly() ? null : response.putArray("Items");
        int count = 0;
        for (ItemStore.Stored row : page) {
            ObjectNode attributes = AttributeValues.toAttributes(json.readTree(row.itemJson()));
            if (read.filter() != null && !read.filter().test(attributes)) {
                continue;
            }
            count++;
            if (found != null) {
                found.add(project(attributes, read.projection()));
            }
        }
        response.put("Count", count);
        response.put("ScannedCount", page.size());
        if (more && !page.isEmpty()) {
            ItemStore.Stored last = page.get(page.size() - 1);
            ObjectNode key = response.putObject("LastEvaluatedKey");
            key.putObject(schema.partitionKeyName()).put(schema.partitionKeyType().name(), last.partitionKey());
            if (schema.hasSortKey()) {
                key.putObject(schema.sortKeyName()).put(schema.sortKeyType().name(), last.sortKey());
            }
        }
        return response;
    }

    /** The attributes a request's ProjectionExpression names, or null without one. */
    private static List<String> projection(JsonNode request) {
        return request.hasNonNull("ProjectionExpression")
                ? Expressions.projection(request.get("ProjectionExpression").asString(),
                        request.get("ExpressionAttributeNames"))
                : null;
    }

    /** Only the named attributes of an item (those it has); all of them without a projection. */
    private static ObjectNode project(ObjectNode attributes, List<String> projection) {
        if (projection == null) {
            return attributes;
        }
        ObjectNode projected = NODES.objectNode();
        for (String name : projection) {
            if (attributes.has(name)) {
                projected.set(name, attributes.get(name));
            }
        }
        return projected;
    }

    private static ItemStore.SortCondition sortSql(KeySchema schema, Expressions.KeyCondition condition) {
        String name = schema.sortKeyName();
        KeyType type = schema.sortKeyType();
        if (condition instanceof Expressions.Compare compare) {
            String operator = switch (compare.comparator()) {
                case EQ -> "=";
                case LT -> "<";
                case LE -> "<=";
                case GT -> ">";
                case GE -> ">=";
                case NE -> throw new DynamoDbException.Validation("Invalid KeyConditionExpression: <> is not "
                        + "allowed in a key condition");
            };
            return new ItemStore.SortCondition("$column " + operator + " ?",
                    List.of(sortParameter(name, type, compare.value())));
        }
        if (condition instanceof Expressions.Between between) {
            return new ItemStore.SortCondition("$column BETWEEN ? AND ?",
                    List.of(sortParameter(name, type, between.low()), sortParameter(name, type, between.high())));
        }
        Expressions.BeginsWith beginsWith = (Expressions.BeginsWith) condition;
        if (type == KeyType.N) {
            throw new DynamoDbException.Validation("Invalid KeyConditionExpression: Incorrect operand type "
                    + "for operator or function; operator or function: begins_with, operand type: N");
        }
        if (type == KeyType.B) {
            byte[] prefix = (byte[]) sortParameter(name, type, beginsWith.prefix());
            return new ItemStore.SortCondition("substring($column FROM 1 FOR ?) = ?", List.of(prefix.length, prefix));
        }
        // within one partition: the partition's index range bounds the rows looked at
        return new ItemStore.SortCondition("starts_with(sort_key, ?)",
                List.of(keyValue(name, type, beginsWith.prefix())));
    }

    private static Object sortParameter(String name, KeyType type, JsonNode value) {
        String canonical = keyValue(name, type, value);
        return type == KeyType.N ? new java.math.BigDecimal(canonical)
                : type == KeyType.B ? java.util.Base64.getDecoder().decode(canonical) : canonical;
    }

    /** The canonical text of a key value given as an attribute value, or DynamoDB's type-mismatch error. */
    private static String keyValue(String name, KeyType type, JsonNode value) {
        ObjectNode key = NODES.objectNode();
        key.set(name, value);
        return ItemKey.of(new KeySchema(name, type, null, null), key, true).partitionKey();
    }

    private static int limit(JsonNode request) {
        if (!request.hasNonNull("Limit")) {
            return 1000;
        }
        int limit = request.get("Limit").asInt();
        if (limit < 1) {
            throw new DynamoDbException.Validation("Limit must be at least 1");
        }
        return Math.min(limit, 1000);
    }

    private static void requireNotKey(KeySchema schema, String attribute) {
        if (attribute.equals(schema.partitionKeyName()) || attribute.equals(schema.sortKeyName())) {
            throw new DynamoDbException.Validation("One or more parameter values were invalid: Cannot update "
                    + "attribute " + attribute + ". This attribute is part of the key");
        }
    }

    private void store(TableCatalog.TableInfo table, ItemKey key, ObjectNode plain) {
        String itemJson = json.writeValueAsString(plain);
        if (itemJson.getBytes(StandardCharsets.UTF_8).length > MAX_ITEM_BYTES) {
            throw new DynamoDbException.Validation("Item size has exceeded the maximum allowed size");
        }
        items.put(table.name(), key, itemJson);
    }

    private TableCatalog.TableInfo keyedTable(String name) {
        ObjectNode request = NODES.objectNode();
        request.put("TableName", name);
        return keyedTable(request);
    }

    private static void noReturnValues(JsonNode request) {
        if (request.hasNonNull("ReturnValues") && !"NONE".equals(request.get("ReturnValues").asString())) {
            throw new DynamoDbException.Validation("Not supported by this service: ReturnValues other than NONE");
        }
    }

    private TableCatalog.TableInfo keyedTable(JsonNode request) {
        TableCatalog.TableInfo table = existing(request);
        if (!table.keySchema().keyed()) {
            throw new DynamoDbException.Validation("Table " + table.name() + " has no key schema (a time series "
                    + "written by rules); read it with GET /tables/" + table.name() + "/items");
        }
        return table;
    }

    private TableCatalog.TableInfo existing(JsonNode request) {
        String name = tableName(request);
        return catalog.table(name).orElseThrow(() -> new DynamoDbException.ResourceNotFound(name));
    }

    private ObjectNode describe(TableCatalog.TableInfo table) {
        ObjectNode description = NODES.objectNode();
        description.put("TableName", table.name());
        description.put("TableArn", "arn:aws:dynamodb:local:000000000000:table/" + table.name());
        description.put("TableStatus", "ACTIVE");
        description.put("CreationDateTime", table.createdAt().toEpochMilli() / 1000.0);
        description.put("ItemCount", catalog.itemCount(table.name()));
        KeySchema schema = table.keySchema();
        ArrayNode keys = description.putArray("KeySchema");
        ArrayNode definitions = description.putArray("AttributeDefinitions");
        if (schema.keyed()) {
            key(keys, definitions, schema.partitionKeyName(), "HASH", schema.partitionKeyType());
            if (schema.hasSortKey()) {
                key(keys, definitions, schema.sortKeyName(), "RANGE", schema.sortKeyType());
            }
        }
        description.putObject("BillingModeSummary").put("BillingMode", "PAY_PER_REQUEST");
        return description;
    }

    private static void key(ArrayNode keys, ArrayNode definitions, String name, String keyType, KeyType type) {
        keys.addObject().put("AttributeName", name).put("KeyType", keyType);
        definitions.addObject().put("AttributeName", name).put("AttributeType", type.name());
    }

    private static KeyType definedType(JsonNode definitions, String attribute) {
        if (definitions == null || !definitions.isArray()) {
            throw new DynamoDbException.Validation("AttributeDefinitions are required");
        }
        for (JsonNode definition : definitions) {
            if (attribute.equals(text(definition, "AttributeName"))) {
                String type = text(definition, "AttributeType");
                if (!Set.of("S", "N", "B").contains(type)) {
                    throw new DynamoDbException.Validation("Member must satisfy enum value set: [B, N, S]");
                }
                return KeyType.valueOf(type);
            }
        }
        throw new DynamoDbException.Validation("One or more parameter values were invalid: Some index key "
                + "attributes are not defined in AttributeDefinitions. Keys: [" + attribute + "]");
    }

    private static String tableName(JsonNode request) {
        String name = request.hasNonNull("TableName") ? request.get("TableName").asString() : null;
        if (name == null || !TABLE_NAME.matcher(name).matches()) {
            throw new DynamoDbException.Validation("TableName must be 3-255 characters of A-Z a-z 0-9 _ . -");
        }
        return name;
    }

    private static String text(JsonNode node, String member) {
        JsonNode value = node == null ? null : node.get(member);
        if (value == null || !value.isString()) {
            throw new DynamoDbException.Validation(member + " is required");
        }
        return value.asString();
    }

    private static ObjectNode wrap(String member, ObjectNode value) {
        ObjectNode response = NODES.objectNode();
        response.set(member, value);
        return response;
    }
}
