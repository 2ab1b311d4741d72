package io.openiot.contracts;

/**
 * Default names of the Kafka topics between the services. Each service can rename them by configuration;
 * these are the names the architecture contract promises. One page per topic lives in {@code docs/topics/}.
 */
public final class KafkaTopics {

    /** Every device and service message: key = MQTT topic, value = payload bytes, headers = {@link MessageHeaders}. */
    public static final String MESSAGES = "iot.messages";

    /** Registry changes: key = thing name, value = JSON event. */
    public static final String REGISTRY_EVENTS = "iot.registry-events";

    /** Certificate, policy and attachment changes: key = principal, value = JSON event. */
    public static final String SECURITY_EVENTS = "iot.security-events";

    /** Items for the storage sink: key = table and partition key, value = {@link SinkRecord} as JSON. */
    public static final String SINK_RECORDS = "iot.sink-records";

    /**
     * Records of {@link #MESSAGES} for which a rule's actions failed permanently and its error action could not take
     * them: the original record (key, value, headers) plus the {@link DeadLetterHeaders}, one record per rule.
     */
    public static final String RULES_DEAD_LETTERS = "iot.messages.rules-service.dlq";

    private KafkaTopics() {
    }
}
