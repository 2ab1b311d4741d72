package io.openiot.rules.sql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Converts between JSON and {@link Value}s. Numbers keep their precision: integers as Int, the rest as Decimal. */
public final class JsonValues {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // 100 / 2.0 is 5E+1 as a BigDecimal; JSON readers expect 50
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonValues() {
    }

    /** The payload as a value, or {@code null} when it is not a single JSON document. */
    public static Value parse(byte[] json) {
        if (json.length == 0) {
            return null;
        }
        try {
            return fromJson(MAPPER.readTree(json));
        } catch (JacksonException | IllegalArgumentException e) {
            return null;
        }
    }

    public static Value fromJson(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return Value.UNDEFINED;
        }
        if (node.isNull()) {
            return Value.NULL;
        }
        if (node.isBoolean()) {
            return Value.of(node.booleanValue());
        }
        if (node.isIntegralNumber()) {
            return new Value.Int(node.bigIntegerValue());
        }
        if (node.isNumber()) {
            return decimal(node.decimalValue());
        }
        if (node.isString()) {
            return new Value.Str(node.stringValue());
        }
        if (node.isArray()) {
            List<Value> elements = new ArrayList<>(node.size());
            node.values().forEach(element -> elements.add(fromJson(element)));
            return new Value.Array(elements);
        }
        if (node.isObject()) {
            Map<String, Value> fields = new LinkedHashMap<>();
            node.properties().forEach(entry -> fields.put(entry.getKey(), fromJson(entry.getValue())));
            return new Value.Obj(fields);
        }
        // binary or POJO nodes do not come out of a parser
        return new Value.Str(node.asString());
    }

    /** The value as JSON; Undefined members of objects are left out, an Undefined value on its own becomes null. */
    public static JsonNode toJson(Value value) {
        if (value instanceof Value.Int i) {
            return NODES.numberNode(i.value());
        }
        if (value instanceof Value.Decimal d) {
            return NODES.numberNode(d.value());
        }
        if (value instanceof Value.Str s) {
            return NODES.stringNode(s.value());
        }
        if (value instanceof Value.Bool b) {
            return NODES.booleanNode(b.value());
        }
        if (value instanceof Value.Array a) {
            ArrayNode array = NODES.arrayNode();
            a.elements().forEach(element -> array.add(toJson(element)));
            return array;
        }
        if (value instanceof Value.Obj o) {
            ObjectNode object = NODES.objectNode();
            o.fields().forEach((key, member) -> {
                if (!member.isUndefined()) {
                    object.set(key, toJson(member));
                }
            });
            return object;
        }
        return NODES.nullNode();
    }

    static byte[] toBytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    /** JSON text of a value; what templates and string concatenation show for non-strings. */
    static String toText(Value value) {
        return MAPPER.writeValueAsString(toJson(value));
    }

    private static Value decimal(BigDecimal decimal) {
        return new Value.Decimal(decimal);
    }
}
