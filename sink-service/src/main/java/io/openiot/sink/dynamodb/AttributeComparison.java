package io.openiot.sink.dynamodb;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Base64;
import tools.jackson.databind.JsonNode;

/**
 * DynamoDB's comparison rules for filter conditions on attribute values ({@code {"N": "1.5"}}): only values of one type
 * compare; numbers by value, strings by code point (the order of their UTF-8 bytes), binaries by unsigned bytes. A
 * missing attribute or one of another type makes a comparison false, except {@code <>}, which is the negation of
 * {@code =}.
 */
final class AttributeComparison {

    private AttributeComparison() {
    }

    /** The type of an attribute value ({@code S}, {@code N}, ...), or null when it is not one. */
    static String type(JsonNode value) {
        if (value == null || !value.isObject() || value.size() != 1) {
            return null;
        }
        return value.propertyNames().iterator().next();
    }

    static boolean holds(Expressions.KeyCondition term, JsonNode attribute) {
        if (term instanceof Expressions.Exists exists) {
            return (attribute != null) == exists.exists();
        }
        if (term instanceof Expressions.Compare compare) {
            JsonNode value = compare.value();
            return switch (compare.comparator()) {
                case EQ -> equal(attribute, value);
                case NE -> !equal(attribute, value);
                case LT -> comparable(attribute, value) && order(attribute, value) < 0;
                case LE -> comparable(attribute, value) && order(attribute, value) <= 0;
                case GT -> comparable(attribute, value) && order(attribute, value) > 0;
                case GE -> comparable(attribute, value) && order(attribute, value) >= 0;
            };
        }
        if (term instanceof Expressions.Between between) {
            return comparable(attribute, between.low()) && comparable(attribute, between.high())
                    && order(attribute, between.low()) >= 0 && order(attribute, between.high()) <= 0;
        }
        if (term instanceof Expressions.BeginsWith beginsWith) {
            return beginsWith(attribute, beginsWith.prefix());
        }
        return contains(attribute, ((Expressions.Contains) term).operand());
    }

    private static boolean equal(JsonNode attribute, JsonNode value) {
        String type = type(attribute);
        if (type == null || !type.equals(type(value))) {
            return false;
        }
        return comparable(attribute, value) ? order(attribute, value) == 0 : attribute.equals(value);
    }

    /** Whether both are of one ordered type (N, S, B). */
    private static boolean comparable(JsonNode attribute, JsonNode value) {
        String type = type(attribute);
        return type != null && type.equals(type(value)) && (type.equals("N") || type.equals("S") || type.equals("B"));
    }

    /** The order of two values of one ordered type (callers check {@link #comparable} first). */
    private static int order(JsonNode attribute, JsonNode value) {
        String type = type(attribute);
        String a = attribute.get(type).asString();
        String b = value.get(type).asString();
        if (type.equals("N")) {
            return new BigDecimal(a).compareTo(new BigDecimal(b));
        }
        if (type.equals("S")) {
            return Integer.signum(compareCodePoints(a, b));
        }
        return Integer.signum(Arrays.compareUnsigned(Base64.getDecoder().decode(a), Base64.getDecoder().decode(b)));
    }

    private static int compareCodePoints(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    private static boolean beginsWith(JsonNode attribute, JsonNode prefix) {
        String type = type(attribute);
        if (type == null || !type.equals(type(prefix))) {
            return false;
        }
        if (type.equals("S")) {
            return attribute.get("S").asString().startsWith(prefix.get("S").asString());
        }
        if (type.equals("B")) {
            byte[] value = Base64.getDecoder().decode(attribute.get("B").asString());
            byte[] start = Base64.getDecoder().decode(prefix.get("B").asString());
            return value.length >= start.length && Arrays.equals(value, 0, start.length, start, 0, start.length);
        }
        return false;
    }

    private static boolean contains(JsonNode attribute, JsonNode operand) {
        String type = type(attribute);
        if (type == null) {
            return false;
        }
        return switch (type) {
            case "S" -> "S".equals(type(operand))
                    && attribute.get("S").asString().contains(operand.get("S").asString());
            case "L" -> {
                for (JsonNode element : attribute.get("L")) {
                    if (equal(element, operand)) {
                        yield true;
                    }
                }
                yield false;
            }
            case "SS", "NS", "BS" -> {
                String elementType = type.substring(0, 1);
                for (JsonNode element : attribute.get(type)) {
                    JsonNode wrapped = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                            .put(elementType, element.asString());
                    if (equal(wrapped, operand)) {
                        yield true;
                    }
                }
                yield false;
            }
            default -> false;
        };
    }
}
