package io.openiot.rules.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ActionKeysTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String REPUBLISH = """
            {"republish": {"topic": "alerts/${topic(3)}", "qos": 1}}""";
    private static final String DYNAMO = """
            {"dynamoDB": {"tableName": "speeding", "hashKeyField": "car", "hashKeyValue": "${topic(3)}"}}""";
    private static final String OTHER_DYNAMO = """
            {"dynamoDB": {"tableName": "speeding", "hashKeyField": "id", "hashKeyValue": "${id}"}}""";

    private static List<String> keys(String... actions) {
        return ActionKeys.of(ActionParser.parseAll(JSON.readTree("[" + String.join(",", actions) + "]")));
    }

    @Test
    void anActionsKeyIsItsTypeAndTarget() {
        assertThat(keys(REPUBLISH, DYNAMO)).containsExactly("republish:alerts/${topic(3)}", "dynamoDB:speeding");
    }

    @Test
    void reorderingActionsKeepsEachActionsKey() {
        assertThat(keys(DYNAMO, REPUBLISH)).containsExactly("dynamoDB:speeding", "republish:alerts/${topic(3)}");
    }

    @Test
    void onlyActionsWithTheSameTypeAndTargetGetAnOccurrenceNumber() {
        assertThat(keys(DYNAMO, REPUBLISH, OTHER_DYNAMO))
                .containsExactly("dynamoDB:speeding", "republish:alerts/${topic(3)}", "dynamoDB:speeding#2");
    }

    @Test
    void theErrorActionsKeyCannotCollideWithAnAction() {
        assertThat(ActionKeys.ofErrorAction(ActionParser.parse(JSON.readTree(REPUBLISH), "errorAction")))
                .isEqualTo("errorAction:republish:alerts/${topic(3)}");
    }
}
