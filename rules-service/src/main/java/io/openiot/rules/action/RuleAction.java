package io.openiot.rules.action;

import io.openiot.rules.sql.SubstitutionTemplate;

/** One action of a topic rule, validated and with its templates parsed. */
public sealed interface RuleAction {

    /** The AWS name of the action type, as it appears in the rule JSON. */
    String type();

    /** {@code republish}: the SELECT result goes back onto the message bus under a new topic. */
    record Republish(SubstitutionTemplate topic, int qos) implements RuleAction {
        @Override
        public String type() {
            return ActionParser.REPUBLISH;
        }
    }

    /**
     * {@code dynamoDB}: the SELECT result becomes an item of a sink table. Key values are templates; a NUMBER key type
     * stores a numeric key as a JSON number.
     */
    record DynamoDb(String tableName, String hashKeyField, SubstitutionTemplate hashKeyValue, String hashKeyType,
                    String rangeKeyField, SubstitutionTemplate rangeKeyValue, String rangeKeyType,
                    String payloadField) implements RuleAction {
        @Override
        public String type() {
            return ActionParser.DYNAMO_DB;
        }
    }
}
