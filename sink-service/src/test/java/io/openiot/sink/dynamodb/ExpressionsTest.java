package io.openiot.sink.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ExpressionsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode NAMES = JSON.readTree("{\"#d\":\"device\",\"#ts\":\"timestamp\"}");
    private static final JsonNode VALUES = JSON.readTree(
            "{\":d\":{\"S\":\"car1\"},\":a\":{\"N\":\"1\"},\":b\":{\"N\":\"9\"}}");

    @Test
    void keyConditionsParseEveryComparatorBetweenAndBeginsWith() {
        assertThat(Expressions.keyCondition("#d = :d AND #ts BETWEEN :a AND :b", NAMES, VALUES)).containsExactly(
                new Expressions.Compare("device", Expressions.Comparator.EQ, VALUES.get(":d")),
                new Expressions.Between("timestamp", VALUES.get(":a"), VALUES.get(":b")));
        assertThat(Expressions.keyCondition("(device=:d)and(begins_with(sk,:d))", NAMES, VALUES)).containsExactly(
                new Expressions.Compare("device", Expressions.Comparator.EQ, VALUES.get(":d")),
                new Expressions.BeginsWith("sk", VALUES.get(":d")));
        for (String operator : new String[] {"<", "<=", ">", ">="}) {
            assertThat(Expressions.keyCondition("device = :d AND ts " + operator + " :a", NAMES, VALUES).get(1))
                    .isInstanceOf(Expressions.Compare.class);
        }
    }

    @Test
    void updateExpressionsParseSetAndRemoveClausesInAnyOrder() {
        Expressions.Update update = Expressions.update("REMOVE a, #ts SET b = :a, c = :b", NAMES, VALUES);

        assertThat(update.set()).containsOnlyKeys("b", "c");
        assertThat(update.remove()).containsExactly("a", "timestamp");
    }

    @Test
    void malformedOrUnsupportedExpressionsAreValidationErrorsSayingWhy() {
        assertThatThrownBy(() -> Expressions.keyCondition("device = :nope", NAMES, VALUES))
                .hasMessageContaining(":nope");
        assertThatThrownBy(() -> Expressions.keyCondition("#nope = :d", NAMES, VALUES)).hasMessageContaining("#nope");
        assertThatThrownBy(() -> Expressions.keyCondition("device = :d AND", NAMES, VALUES))
                .isInstanceOf(DynamoDbException.Validation.class);
        assertThatThrownBy(() -> Expressions.keyCondition("device <> :d", NAMES, VALUES)).hasMessageContaining("<>");
        assertThatThrownBy(() -> Expressions.keyCondition("contains(a, :d)", NAMES, VALUES))
                .hasMessageContaining("contains");
        assertThatThrownBy(() -> Expressions.keyCondition("device = :d OR x = :a", NAMES, VALUES))
                .hasMessageContaining("OR");
        assertThatThrownBy(() -> Expressions.update("SET a = :a + :b", NAMES, VALUES))
                .hasMessageContaining("arithmetic");
        assertThatThrownBy(() -> Expressions.update("SET a.b = :a", NAMES, VALUES)).hasMessageContaining("nested");
        assertThatThrownBy(() -> Expressions.update("SET a = :a REMOVE a", NAMES, VALUES))
                .hasMessageContaining("overlap");
        assertThatThrownBy(() -> Expressions.update("ADD a :a", NAMES, VALUES)).hasMessageContaining("ADD");
        assertThatThrownBy(() -> Expressions.update("  ", NAMES, VALUES)).hasMessageContaining("empty");
    }

    private static final JsonNode ITEM = JSON.readTree("""
            {"device": {"S": "car1"}, "speed": {"N": "42.50"}, "tags": {"SS": ["red", "fast"]},
             "log": {"L": [{"N": "1"}, {"S": "two"}]}, "on": {"BOOL": true}, "blob": {"B": "AQID"},
             "name": {"S": "é-car"}}""");

    private static boolean filter(String expression, String values) {
        return Expressions.filter(expression, NAMES, JSON.readTree(values)).test(ITEM);
    }

    @Test
    void filterComparatorsCompareOnlyValuesOfOneTypeNumbersByValue() {
        assertThat(filter("speed = :v", "{\":v\":{\"N\":\"42.5\"}}")).as("42.50 = 42.5").isTrue();
        assertThat(filter("speed > :v", "{\":v\":{\"N\":\"9\"}}")).as("numeric, not text order").isTrue();
        assertThat(filter("speed < :v", "{\":v\":{\"N\":\"100\"}}")).isTrue();
        assertThat(filter("speed >= :v", "{\":v\":{\"N\":\"42.5\"}}")).isTrue();
        assertThat(filter("speed <= :v", "{\":v\":{\"N\":\"42.4\"}}")).isFalse();
        assertThat(filter("speed <> :v", "{\":v\":{\"N\":\"1\"}}")).isTrue();
        assertThat(filter("speed = :v", "{\":v\":{\"S\":\"42.5\"}}")).as("another type").isFalse();
        assertThat(filter("speed < :v", "{\":v\":{\"S\":\"zzz\"}}")).as("another type").isFalse();
        assertThat(filter("missing = :v", "{\":v\":{\"N\":\"1\"}}")).isFalse();
        assertThat(filter("missing <> :v", "{\":v\":{\"N\":\"1\"}}")).isTrue();
        assertThat(filter("#d = :v", "{\":v\":{\"S\":\"car1\"}}")).as("#name placeholder").isTrue();
        assertThat(filter("name > :v", "{\":v\":{\"S\":\"z\"}}")).as("code point order: é after z").isTrue();
        assertThat(filter("on = :v", "{\":v\":{\"BOOL\":true}}")).isTrue();
        assertThat(filter("speed BETWEEN :a AND :b", "{\":a\":{\"N\":\"40\"},\":b\":{\"N\":\"42.5\"}}"))
                .isTrue();
        assertThat(filter("blob > :v", "{\":v\":{\"B\":\"AQI=\"}}")).as("binary, bytewise").isTrue();
    }

    @Test
    void filterFunctionsAndBooleanOperatorsWithTheirPrecedence() {
        assertThat(filter("attribute_exists(speed) AND attribute_not_exists(colour)", "{}")).isTrue();
        assertThat(filter("attribute_exists(colour)", "{}")).isFalse();
        assertThat(filter("begins_with(device, :p)", "{\":p\":{\"S\":\"car\"}}")).isTrue();
        assertThat(filter("begins_with(blob, :p)", "{\":p\":{\"B\":\"AQ==\"}}")).isTrue();
        assertThat(filter("contains(device, :p)", "{\":p\":{\"S\":\"ar1\"}}")).isTrue();
        assertThat(filter("contains(tags, :p)", "{\":p\":{\"S\":\"fast\"}}")).as("string set").isTrue();
        assertThat(filter("contains(log, :p)", "{\":p\":{\"S\":\"two\"}}")).as("list").isTrue();
        assertThat(filter("contains(log, :p)", "{\":p\":{\"S\":\"three\"}}")).isFalse();
        assertThat(filter("NOT attribute_exists(speed)", "{}")).isFalse();
        // AND binds tighter than OR: true OR (false AND false)
        assertThat(filter("attribute_exists(speed) OR attribute_exists(x) AND attribute_exists(y)", "{}")).isTrue();
        assertThat(filter("(attribute_exists(speed) OR attribute_exists(x)) AND attribute_exists(y)", "{}"))
                .isFalse();
        assertThat(filter("NOT (attribute_exists(x) OR speed BETWEEN :a AND :b) AND on = :t",
                "{\":a\":{\"N\":\"1\"},\":b\":{\"N\":\"2\"},\":t\":{\"BOOL\":true}}")).isTrue();
    }

    @Test
    void projectionsNameTopLevelAttributesAndBadFiltersAreValidationErrors() {
        assertThat(Expressions.projection("device, #ts ,speed, device", NAMES))
                .containsExactly("device", "timestamp", "speed");
        assertThatThrownBy(() -> Expressions.projection("a.b", NAMES)).hasMessageContaining("nested");
        assertThatThrownBy(() -> Expressions.projection("a,", NAMES)).isInstanceOf(DynamoDbException.Validation.class);
        assertThatThrownBy(() -> Expressions.filter("size(a) > :a", NAMES, VALUES)).hasMessageContaining("size");
        assertThatThrownBy(() -> Expressions.filter("a < :v", NAMES, JSON.readTree("{\":v\":{\"BOOL\":true}}")))
                .hasMessageContaining("Incorrect operand type");
        assertThatThrownBy(() -> Expressions.filter("a = :a AND", NAMES, VALUES))
                .isInstanceOf(DynamoDbException.Validation.class);
        assertThatThrownBy(() -> Expressions.filter("(a = :a", NAMES, VALUES))
                .isInstanceOf(DynamoDbException.Validation.class);
        assertThatThrownBy(() -> Expressions.filter("a = :nope", NAMES, VALUES)).hasMessageContaining(":nope");
    }
}
