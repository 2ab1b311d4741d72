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
}
