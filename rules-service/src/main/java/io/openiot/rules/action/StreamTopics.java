package io.openiot.rules.action;

/**
 * Where the actions written for AWS streaming services land on the platform's Kafka. A rule written for Kinesis or
 * Firehose runs unchanged; its consumers read these topics instead.
 */
public final class StreamTopics {

    /** Topic of Kinesis data stream {@code streamName}. */
    public static final String KINESIS_PREFIX = "iot.kinesis.";
    /** Topic of Firehose delivery stream {@code deliveryStreamName}. */
    public static final String FIREHOSE_PREFIX = "iot.firehose.";

    private StreamTopics() {
    }

    public static String kinesis(String streamName) {
        return KINESIS_PREFIX + streamName;
    }

    public static String firehose(String deliveryStreamName) {
        return FIREHOSE_PREFIX + deliveryStreamName;
    }
}
