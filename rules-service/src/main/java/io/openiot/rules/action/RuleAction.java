package io.openiot.rules.action;

import io.openiot.contracts.KafkaTopics;
import io.openiot.rules.sql.SubstitutionTemplate;

/** One action of a topic rule, validated and with its templates parsed. */
public sealed interface RuleAction {

    /** The AWS name of the action type, as it appears in the rule JSON. */
    String type();

    /**
     * What the action writes to, as written in the rule (a topic template, a table name). With {@link #type()} it
     * makes the action's key, which derived ids are computed from: it does not change when actions are reordered.
     */
    String target();

    /** The name AWS gives the action in an error action's {@code failures[].failedAction}. */
    String failedActionName();

    /** The Kafka topic this action's records go to. */
    String kafkaTopic();

    /** The stable key of the action within its rule, before any occurrence number ({@link ActionKeys}). */
    default String baseKey() {
        return type() + ":" + target();
    }

    /** {@code republish}: the SELECT result goes back onto the message bus under a new topic. */
    record Republish(SubstitutionTemplate topic, int qos) implements RuleAction {
        @Override
        public String type() {
            return ActionParser.REPUBLISH;
        }

        @Override
        public String target() {
            return topic.toString();
        }

        @Override
        public String failedActionName() {
            return "RepublishAction";
        }

        @Override
        public String kafkaTopic() {
            return KafkaTopics.MESSAGES;
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

        @Override
        public String target() {
            return tableName;
        }

        @Override
        public String failedActionName() {
            return "DynamoAction";
        }

        @Override
        public String kafkaTopic() {
            return KafkaTopics.SINK_RECORDS;
        }
    }
}
