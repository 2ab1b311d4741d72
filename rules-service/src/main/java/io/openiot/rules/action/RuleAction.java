package io.openiot.rules.action;

import io.openiot.contracts.KafkaTopics;
import io.openiot.rules.sql.SubstitutionTemplate;
import java.util.List;

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

    /**
     * {@code republish}: the SELECT result goes back onto the message bus under a new topic, with the MQTT 5
     * properties of AWS's {@code headers} (each a template; null when the rule sets none).
     */
    record Republish(SubstitutionTemplate topic, int qos, MqttHeaders headers) implements RuleAction {
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
     * stores a numeric key as a JSON number. {@code operation} (a template rendering INSERT, UPDATE or DELETE) makes
     * the item keyed, as in DynamoDB; without it each message appends an item.
     */
    record DynamoDb(String tableName, String hashKeyField, SubstitutionTemplate hashKeyValue, String hashKeyType,
                    String rangeKeyField, SubstitutionTemplate rangeKeyValue, String rangeKeyType,
                    String payloadField, SubstitutionTemplate operation) implements RuleAction {
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

    /**
     * AWS's {@code MqttHeaders} of a republish action: every member is a template, absent ones are null, and
     * {@code userProperties} is empty when there are none.
     */
    record MqttHeaders(SubstitutionTemplate payloadFormatIndicator, SubstitutionTemplate contentType,
                       SubstitutionTemplate responseTopic, SubstitutionTemplate correlationData,
                       SubstitutionTemplate messageExpiry, List<HeaderTemplate> userProperties) {
    }

    /** A header an action adds to what it sends; key and value are templates. */
    record HeaderTemplate(SubstitutionTemplate key, SubstitutionTemplate value) {
    }

    /**
     * {@code kafka}: the SELECT result as one record on a topic of the platform's own Kafka ({@code destinationArn}
     * and {@code clientProperties} are accepted and not used: there is no other cluster to reach).
     *
     * @param partition a template rendering a partition number, or null for Kafka's partitioner
     */
    record Kafka(SubstitutionTemplate topic, SubstitutionTemplate key, SubstitutionTemplate partition,
                 List<HeaderTemplate> headers) implements RuleAction {
        @Override
        public String type() {
            return ActionParser.KAFKA;
        }

        @Override
        public String target() {
            return topic.toString();
        }

        @Override
        public String failedActionName() {
            return "KafkaAction";
        }

        @Override
        public String kafkaTopic() {
            return topic.toString();
        }
    }

    /** {@code kinesis}: the stream is the Kafka topic {@link StreamTopics#kinesis}, the partition key its key. */
    record Kinesis(String streamName, SubstitutionTemplate partitionKey) implements RuleAction {
        @Override
        public String type() {
            return ActionParser.KINESIS;
        }

        @Override
        public String target() {
            return streamName;
        }

        @Override
        public String failedActionName() {
            return "KinesisAction";
        }

        @Override
        public String kafkaTopic() {
            return StreamTopics.kinesis(streamName);
        }
    }

    /**
     * {@code firehose}: the delivery stream is the Kafka topic {@link StreamTopics#firehose}; {@code separator} is
     * appended to each record; with {@code batchMode} a JSON-array result becomes one record per element.
     */
    record Firehose(String deliveryStreamName, String separator, boolean batchMode) implements RuleAction {
        @Override
        public String type() {
            return ActionParser.FIREHOSE;
        }

        @Override
        public String target() {
            return deliveryStreamName;
        }

        @Override
        public String failedActionName() {
            return "FirehoseAction";
        }

        @Override
        public String kafkaTopic() {
            return StreamTopics.firehose(deliveryStreamName);
        }
    }

    /**
     * {@code dynamoDBv2}: every top-level field of the SELECT result becomes an attribute of an item of the sink
     * table; the table's key schema (in the sink) says which attributes are its key.
     */
    record DynamoDbV2(String tableName) implements RuleAction {
        @Override
        public String type() {
            return ActionParser.DYNAMO_DB_V2;
        }

        @Override
        public String target() {
            return tableName;
        }

        @Override
        public String failedActionName() {
            return "DynamoDBv2Action";
        }

        @Override
        public String kafkaTopic() {
            return KafkaTopics.SINK_RECORDS;
        }
    }

    /**
     * {@code http}: POSTs the SELECT result to {@code url}, which must lie under the ENABLED topic rule destination
     * whose confirmation URL is {@code confirmationUrl} (by default the url itself, as in AWS).
     */
    record Http(SubstitutionTemplate url, String confirmationUrl, List<HeaderTemplate> headers)
            implements RuleAction {
        @Override
        public String type() {
            return ActionParser.HTTP;
        }

        @Override
        public String target() {
            return url.toString();
        }

        @Override
        public String failedActionName() {
            return "HttpAction";
        }

        /** Not a Kafka topic: the destination, so that a full queue is skipped for the rest of an attempt. */
        @Override
        public String kafkaTopic() {
            return "http:" + confirmationUrl;
        }
    }
}
