package io.openiot.rules.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.JsonToken;
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
    /** Streams without a mapper's per-parser set-up, which cost more than the parse of a small payload. */
    private static final JsonFactory STREAMS = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private JsonValues() {
    }

    /** The payload as a value, or {@code null} when it is not a single JSON document. */
    public static Value parse(byte[] json) {
        if (json.length == 0) {
            return null;
        }
        // streamed straight into Values: no JsonNode tree in between, once per message and rule
        try (JsonParser parser = STREAMS.createParser(ObjectReadContext.empty(), json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            Value value = read(parser, first);
            return parser.nextToken() == null ? value : null;
        } catch (JacksonException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Value read(JsonParser parser, JsonToken token) {
        switch (token) {
            case START_OBJECT: {
                Map<String, Value> fields = new LinkedHashMap<>();
                for (String name = parser.nextName(); name != null; name = parser.nextName()) {
                    fields.put(name, read(parser, parser.nextToken()));
                }
                return new Value.Obj(fields);
            }
            case START_ARRAY: {
                List<Value> elements = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    elements.add(read(parser, t));
                }
                return new Value.Array(elements);
            }
            case VALUE_STRING:
                return new Value.Str(parser.getString());
            case VALUE_NUMBER_INT:
                return new Value.Int(parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getBigIntegerValue() : BigInteger.valueOf(parser.getLongValue()));
            case VALUE_NUMBER_FLOAT:
                return decimal(parser.getDecimalValue());
            case VALUE_TRUE:
                return Value.TRUE;
            case VALUE_FALSE:
                return Value.FALSE;
            case VALUE_NULL:
                return Value.NULL;
            default:
                throw new IllegalArgumentException("unexpected JSON token " + token);
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

    /** The value as JSON bytes, written straight from the Value (Undefined members left out). */
    static byte[] toBytes(Value value) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
        try (JsonGenerator generator = STREAMS.createGenerator(ObjectWriteContext.empty(), out)) {
            write(generator, value);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, Value value) {
        if (value instanceof Value.Str s) {
            g.writeString(s.value());
        } else if (value instanceof Value.Int i) {
            g.writeNumber(i.value());
        } else if (value instanceof Value.Decimal d) {
            g.writeNumber(d.value());
        } else if (value instanceof Value.Bool b) {
            g.writeBoolean(b.value());
        } else if (value instanceof Value.Obj o) {
            g.writeStartObject();
            for (Map.Entry<String, Value> member : o.fields().entrySet()) {
                if (!member.getValue().isUndefined()) {
                    g.writeName(member.getKey());
                    write(g, member.getValue());
                }
            }
            g.writeEndObject();
        } else if (value instanceof Value.Array a) {
            g.writeStartArray();
            for (Value element : a.elements()) {
                write(g, element);
            }
            g.writeEndArray();
        } else {
            g.writeNull();
        }
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
