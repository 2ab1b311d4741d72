package io.openiot.sink.ingest;

import io.openiot.contracts.SinkRecord.Operation;
import io.openiot.sink.table.KeySchema;
import io.openiot.sink.table.KeySchema.KeyType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decides what a record does to its table, as DynamoDB would: which item (its key) it touches, the attributes it
 * writes, or why it does not fit the table's key schema. Plain Java, so the rules are unit-tested without a database.
 */
final class ItemResolver {

    /** The attribute an UPDATE without a payload field sets (the IoT {@code dynamoDB} action's default). */
    static final String DEFAULT_PAYLOAD_FIELD = "payload";

    private final JsonMapper json;
    private final int maxItemBytes;

    ItemResolver(JsonMapper json, int maxItemBytes) {
        this.json = json;
        this.maxItemBytes = maxItemBytes;
    }

    /** What to write: the item's identity within its partition, its attributes and how they combine. */
    sealed interface Resolution permits Write, Refused {
    }

    /**
     * @param itemKey   identity within the partition ({@code k:<sort key>} or {@code m:<source message id>})
     * @param sortKeyNumber the sort key as a number when its type is N, else null
     * @param merge     true: the attributes are set on the stored item (UPDATE); false: they replace it
     */
    record Write(String partitionKey, String sortKey, BigDecimal sortKeyNumber, String itemKey, String itemJson,
                 boolean delete, boolean merge) implements Resolution {
    }

    record Refused(String reason) implements Resolution {
    }

    /** The key schema a table gets when this record creates it, or a reason it cannot create one. */
    static KeySchema schemaFor(StorableItem item) {
        if (item.operation() == null && item.partitionKeyName() == null) {
            return KeySchema.TIME_SERIES;
        }
        if (item.partitionKeyName() == null) {
            return null;
        }
        return new KeySchema(item.partitionKeyName(), item.partitionKeyType(),
                item.sortKeyName() == null && item.sortKey() != null ? null : item.sortKeyName(), item.sortKeyType());
    }

    Resolution resolve(StorableItem item, KeySchema schema) {
        if (item.keysFromItem() && schema.keyed()) {
            if (!(item.item() instanceof ObjectNode attributes)) {
                return new Refused("item must be a JSON object: its attributes give the key");
            }
            String partitionKey = keyAttribute(attributes, schema.partitionKeyName());
            if (partitionKey == null) {
                return new Refused("missing partition key '" + schema.partitionKeyName() + "' in the item");
            }
            String sortKey = null;
            if (schema.hasSortKey()) {
                sortKey = keyAttribute(attributes, schema.sortKeyName());
                if (sortKey == null) {
                    return new Refused("missing sort key '" + schema.sortKeyName() + "' in the item");
                }
            }
            return resolve(item.withKey(partitionKey, sortKey), schema);
        }
        if (!schema.keyed()) {
            if (item.operation() != null) {
                return new Refused("table '" + item.table() + "' has no key schema; " + item.operation()
                        + " needs one (write without an operation to append)");
            }
            String itemJson = json.writeValueAsString(item.item());
            if (tooLarge(itemJson)) {
                return tooLargeRefusal();
            }
            return new Write(item.partitionKey(), item.sortKey(), null, "m:" + item.sourceMessageId(), itemJson,
                    false, false);
        }
        String problem = keyProblem("partition", item.partitionKeyName(), item.partitionKeyType(),
                schema.partitionKeyName(), schema.partitionKeyType());
        if (problem == null && schema.hasSortKey()) {
            problem = keyProblem("sort", item.sortKeyName(), item.sortKeyType(), schema.sortKeyName(),
                    schema.sortKeyType());
        }
        if (problem != null) {
            return new Refused(problem);
        }
        String partitionKey;
        try {
            partitionKey = schema.partitionKeyType().canonical(item.partitionKey());
        } catch (IllegalArgumentException e) {
            return new Refused("partition key '" + schema.partitionKeyName() + "' is of type "
                    + schema.partitionKeyType() + ", the value is " + e.getMessage());
        }
        String sortKey = null;
        if (schema.hasSortKey()) {
            if (item.sortKey() == null) {
                return new Refused("missing sort key '" + schema.sortKeyName() + "'");
            }
            try {
                sortKey = schema.sortKeyType().canonical(item.sortKey());
            } catch (IllegalArgumentException e) {
                return new Refused("sort key '" + schema.sortKeyName() + "' is of type " + schema.sortKeyType()
                        + ", the value is " + e.getMessage());
            }
        } else if (item.sortKey() != null) {
            return new Refused("table '" + item.table() + "' has no sort key, the record gives one");
        }
        String itemKey = "k:" + (sortKey == null ? "" : sortKey);
        BigDecimal sortKeyNumber = sortKey != null && schema.sortKeyType() == KeyType.N ? new BigDecimal(sortKey) : null;
        Operation operation = item.operation() == null ? Operation.INSERT : item.operation();
        if (operation == Operation.DELETE) {
            return new Write(partitionKey, sortKey, sortKeyNumber, itemKey, "{}", true, false);
        }
        ObjectNode attributes;
        String payloadField = item.payloadField();
        if (payloadField == null && operation == Operation.UPDATE) {
            payloadField = DEFAULT_PAYLOAD_FIELD;
        }
        if (payloadField != null) {
            attributes = JsonNodeFactory.instance.objectNode();
            attributes.set(payloadField, item.item());
        } else if (item.item() instanceof ObjectNode object) {
            attributes = object.deepCopy();
        } else {
            return new Refused("item must be a JSON object when the record has no payloadField");
        }
        // the key is authoritative: an item always carries its key attributes, typed as the schema says
        attributes.set(schema.partitionKeyName(), keyValue(schema.partitionKeyType(), partitionKey));
        if (sortKey != null) {
            attributes.set(schema.sortKeyName(), keyValue(schema.sortKeyType(), sortKey));
        }
        String itemJson = json.writeValueAsString(attributes);
        if (tooLarge(itemJson)) {
            return tooLargeRefusal();
        }
        return new Write(partitionKey, sortKey, sortKeyNumber, itemKey, itemJson, false,
                operation == Operation.UPDATE);
    }

    /** A key attribute as text (a string, or a number's exact digits); null when absent or of another type. */
    private static String keyAttribute(ObjectNode attributes, String name) {
        JsonNode value = attributes.get(name);
        if (value == null || !(value.isString() || value.isNumber())) {
            return null;
        }
        return value.isString() ? value.asString() : value.decimalValue().toPlainString();
    }

    private static String keyProblem(String which, String recordName, KeyType recordType, String tableName,
                                     KeyType tableType) {
        if (recordName != null && !recordName.equals(tableName)) {
            return which + " key of the table is '" + tableName + "', the record names '" + recordName + "'";
        }
        if (recordType != null && recordType != tableType) {
            return which + " key '" + tableName + "' is of type " + tableType + ", the record says " + recordType;
        }
        return null;
    }

    private static JsonNode keyValue(KeyType type, String canonical) {
        return type == KeyType.N ? JsonNodeFactory.instance.numberNode(new BigDecimal(canonical))
                : JsonNodeFactory.instance.stringNode(canonical);
    }

    private boolean tooLarge(String itemJson) {
        return itemJson.getBytes(StandardCharsets.UTF_8).length > maxItemBytes;
    }

    private Refused tooLargeRefusal() {
        return new Refused("item larger than " + maxItemBytes + " bytes");
    }
}
