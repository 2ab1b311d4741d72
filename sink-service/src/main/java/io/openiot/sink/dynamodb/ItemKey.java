package io.openiot.sink.dynamodb;

import io.openiot.sink.table.KeySchema;
import io.openiot.sink.table.KeySchema.KeyType;
import java.math.BigDecimal;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The key of one item in the sink's columns: canonical partition and sort key text, as the ingest writes them. */
record ItemKey(String partitionKey, String sortKey, BigDecimal sortKeyNumber) {

    String itemKey() {
        return "k:" + (sortKey == null ? "" : sortKey);
    }

    /** The key attributes of a DynamoDB {@code Key} or {@code Item} (attribute-value JSON), checked against the schema. */
    static ItemKey of(KeySchema schema, JsonNode attributes, boolean exactlyTheKey) {
        if (attributes == null || !attributes.isObject()) {
            throw new DynamoDbException.Validation("The provided key element does not match the schema");
        }
        if (exactlyTheKey) {
            for (Map.Entry<String, JsonNode> attribute : attributes.properties()) {
                if (!attribute.getKey().equals(schema.partitionKeyName())
                        && !attribute.getKey().equals(schema.sortKeyName())) {
                    throw new DynamoDbException.Validation("The provided key element does not match the schema");
                }
            }
        }
        String partitionKey = value(attributes, schema.partitionKeyName(), schema.partitionKeyType());
        String sortKey = schema.hasSortKey() ? value(attributes, schema.sortKeyName(), schema.sortKeyType()) : null;
        return new ItemKey(partitionKey, sortKey,
                sortKey != null && schema.sortKeyType() == KeyType.N ? new BigDecimal(sortKey) : null);
    }

    private static String value(JsonNode attributes, String name, KeyType type) {
        JsonNode value = attributes.get(name);
        if (value == null) {
            throw new DynamoDbException.Validation("One of the required keys was not given a value: " + name);
        }
        JsonNode typed = value.isObject() && value.size() == 1 ? value.get(type.name()) : null;
        if (typed == null || !typed.isString()) {
            throw new DynamoDbException.Validation("One or more parameter values were invalid: Type mismatch for key "
                    + name + " expected: " + type + " actual: " + (value.isObject() && value.size() == 1
                    ? value.properties().iterator().next().getKey() : "invalid"));
        }
        try {
            return type.canonical(typed.asString());
        } catch (IllegalArgumentException e) {
            throw new DynamoDbException.Validation("One or more parameter values were invalid: key " + name + " is "
                    + e.getMessage());
        }
    }
}
