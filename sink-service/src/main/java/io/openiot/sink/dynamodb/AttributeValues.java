package io.openiot.sink.dynamodb;

import java.math.BigDecimal;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * DynamoDB's attribute-value JSON ({@code {"S": "car1"}}) to the plain JSON the sink stores, and back. Stored items
 * are plain JSON so that SQL, the REST reads and the rules all read them alike; the price: {@code B} is stored as its
 * base64 text and the sets {@code SS}/{@code NS}/{@code BS} as arrays, so they read back as {@code S} and {@code L}.
 */
final class AttributeValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AttributeValues() {
    }

    /** An attribute map ({@code {"name": {"S": ...}}}) as a plain JSON object. */
    static ObjectNode toPlain(JsonNode attributes, String what) {
        if (attributes == null || !attributes.isObject()) {
            throw new DynamoDbException.Validation(what + " must be a map of attribute values");
        }
        ObjectNode plain = NODES.objectNode();
        for (Map.Entry<String, JsonNode> attribute : attributes.properties()) {
            plain.set(attribute.getKey(), toPlainValue(attribute.getValue(), attribute.getKey()));
        }
        return plain;
    }

    static JsonNode toPlainValue(JsonNode value, String name) {
        if (value == null || !value.isObject() || value.size() != 1) {
            throw new DynamoDbException.Validation("Supplied AttributeValue of '" + name
                    + "' has not exactly one data type set");
        }
        Map.Entry<String, JsonNode> typed = value.properties().iterator().next();
        JsonNode data = typed.getValue();
        return switch (typed.getKey()) {
            case "S", "B" -> {
                requireString(data, name);
                yield NODES.stringNode(data.asString());
            }
            case "N" -> {
                requireString(data, name);
                yield NODES.numberNode(number(data.asString(), name));
            }
            case "BOOL" -> {
                if (!data.isBoolean()) {
                    throw invalid(name, "BOOL");
                }
                yield NODES.booleanNode(data.booleanValue());
            }
            case "NULL" -> NODES.nullNode();
            case "M" -> toPlain(data, "M of '" + name + "'");
            case "L" -> {
                if (!data.isArray()) {
                    throw invalid(name, "L");
                }
                ArrayNode list = NODES.arrayNode();
                for (JsonNode element : data) {
                    list.add(toPlainValue(element, name));
                }
                yield list;
            }
            case "SS", "BS", "NS" -> {
                if (!data.isArray() || data.isEmpty()) {
                    throw new DynamoDbException.Validation("An string set, number set or binary set of '" + name
                            + "' may not be empty");
                }
                ArrayNode set = NODES.arrayNode();
                for (JsonNode element : data) {
                    requireString(element, name);
                    set.add(typed.getKey().equals("NS") ? NODES.numberNode(number(element.asString(), name))
                            : NODES.stringNode(element.asString()));
                }
                yield set;
            }
            default -> throw new DynamoDbException.Validation("Unknown attribute value type '" + typed.getKey()
                    + "' of '" + name + "'");
        };
    }

    /** A stored plain JSON object as an attribute map. */
    static ObjectNode toAttributes(JsonNode plain) {
        ObjectNode attributes = NODES.objectNode();
        for (Map.Entry<String, JsonNode> field : plain.properties()) {
            attributes.set(field.getKey(), toAttributeValue(field.getValue()));
        }
        return attributes;
    }

    static ObjectNode toAttributeValue(JsonNode value) {
        ObjectNode typed = NODES.objectNode();
        if (value.isString()) {
            typed.put("S", value.asString());
        } else if (value.isNumber()) {
            typed.put("N", value.decimalValue().toPlainString());
        } else if (value.isBoolean()) {
            typed.put("BOOL", value.booleanValue());
        } else if (value.isNull()) {
            typed.put("NULL", true);
        } else if (value.isArray()) {
            ArrayNode list = typed.putArray("L");
            for (JsonNode element : value) {
                list.add(toAttributeValue(element));
            }
        } else {
            typed.set("M", toAttributes(value));
        }
        return typed;
    }

    private static BigDecimal number(String text, String name) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new DynamoDbException.Validation("The parameter cannot be converted to a numeric value: "
                    + "attribute '" + name + "'");
        }
    }

    private static void requireString(JsonNode data, String name) {
        if (data == null || !data.isString()) {
            throw new DynamoDbException.Validation("Attribute value of '" + name + "' must be a string");
        }
    }

    private static DynamoDbException.Validation invalid(String name, String type) {
        return new DynamoDbException.Validation("Attribute value of '" + name + "' is not a valid " + type);
    }
}
