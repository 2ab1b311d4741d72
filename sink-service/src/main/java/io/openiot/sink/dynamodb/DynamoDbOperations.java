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
    private static final Map<String, String> UNSUPPORTED_MEMBERS = Map.of(
            "GlobalSecondaryIndexes", "secondary indexes",
            "LocalSecondaryIndexes", "secondary indexes",
            "IndexName", "secondary indexes",
            "StreamSpecification", "streams",
            "ConditionExpression", "conditional writes",
            "Expected", "conditional writes",
            "ConditionalOperator", "conditional writes");
    private static final Set<String> TRANSACTIONS = Set.of("TransactWriteItems", "TransactGetItems",
            "ExecuteTransaction");

    private final TableCatalog catalog;
    private final ItemStore items;
    private final JsonMapper json;

    DynamoDbOperations(TableCatalog catalog, ItemStore items, JsonMapper json) {
        this.catalog = catalog;
        this.items = items;
        this.json = json;
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
        return switch (operation) {
            case "CreateTable" -> createTable(request);
            case "DescribeTable" -> wrap("Table", describe(existing(request)));
            case "ListTables" -> listTables(request);
            case "DeleteTable" -> deleteTable(request);
            case "PutItem" -> putItem(request);
            case "GetItem" -> getItem(request);
            case "DeleteItem" -> deleteItem(request);
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
        if (!catalog.create(name, schema, null, null, null)) {
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
        ObjectNode plain = AttributeValues.toPlain(item, "Item");
        String itemJson = json.writeValueAsString(plain);
        if (itemJson.getBytes(StandardCharsets.UTF_8).length > MAX_ITEM_BYTES) {
            throw new DynamoDbException.Validation("Item size has exceeded the maximum allowed size");
        }
        items.put(table.name(), key, itemJson);
        return NODES.objectNode();
    }

    private ObjectNode getItem(JsonNode request) {
        TableCatalog.TableInfo table = keyedTable(request);
        ItemKey key = ItemKey.of(table.keySchema(), request.get("Key"), true);
        ObjectNode response = NODES.objectNode();
        items.get(table.name(), key).ifPresent(stored -> response.set("Item",
                AttributeValues.toAttributes(json.readTree(stored))));
        return response;
    }

    private ObjectNode deleteItem(JsonNode request) {
        TableCatalog.TableInfo table = keyedTable(request);
        noReturnValues(request);
        items.delete(table.name(), ItemKey.of(table.keySchema(), request.get("Key"), true));
        return NODES.objectNode();
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
