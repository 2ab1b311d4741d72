package io.openiot.contracts;

/**
 * Kafka header names on {@link KafkaTopics#MESSAGES}. Every value is a UTF-8 string; numbers and booleans are
 * written in their decimal / {@code true|false} text form so that any client can read them.
 */
public final class MessageHeaders {

    /** MQTT topic name the message was published to (also the record key). */
    public static final String MQTT_TOPIC = "iot_mqtt_topic";
    /** MQTT QoS the message was published with: {@code 0} or {@code 1}. */
    public static final String QOS = "iot_qos";
    /** MQTT RETAIN flag: {@code true} or {@code false}. */
    public static final String RETAIN = "iot_retain";
    /** MQTT client id of the publisher; absent for messages a service publishes. */
    public static final String CLIENT_ID = "iot_client_id";
    /** Authenticated principal of the publisher (certificate id, or user name for development credentials). */
    public static final String PRINCIPAL = "iot_principal";
    /** Thing name the connection is bound to, when known. */
    public static final String THING_NAME = "iot_thing_name";
    /** Epoch milliseconds at which the platform accepted the message. */
    public static final String TIMESTAMP = "iot_timestamp";
    /**
     * Id of this record, fixed where a device message enters the platform and derived ({@link MessageIds}) for every
     * record a service makes from another; what downstream de-duplication goes by.
     */
    public static final String MESSAGE_ID = "iot_message_id";
    /** Id of the device message a record started from; republished copies keep it (AWS's {@code traceid()}). */
    public static final String TRACE_ID = "iot_trace_id";
    /** Who put the record on Kafka: {@code gateway/<replica>} or the name of a service. */
    public static final String ORIGIN = "iot_origin";
    /** How many times services have re-published this message: 0 for a device message, +1 per republish. */
    public static final String HOP_COUNT = "iot_hop_count";
    /**
     * MQTT 5 properties a rule's {@code republish} action sets ({@code headers} in AWS's RepublishAction); absent
     * otherwise. Payload format indicator: {@code UNSPECIFIED_BYTES} or {@code UTF8_DATA}.
     */
    public static final String MQTT5_PAYLOAD_FORMAT_INDICATOR = "iot_mqtt5_payload_format_indicator";
    /** MQTT 5 content type. */
    public static final String MQTT5_CONTENT_TYPE = "iot_mqtt5_content_type";
    /** MQTT 5 response topic. */
    public static final String MQTT5_RESPONSE_TOPIC = "iot_mqtt5_response_topic";
    /** MQTT 5 correlation data, base64-encoded as AWS takes it. */
    public static final String MQTT5_CORRELATION_DATA = "iot_mqtt5_correlation_data";
    /** MQTT 5 message expiry interval in seconds, decimal. */
    public static final String MQTT5_MESSAGE_EXPIRY = "iot_mqtt5_message_expiry";
    /**
     * One MQTT 5 user property per header of this name (repeated, in order): the JSON object
     * {@code {"key": ..., "value": ...}}.
     */
    public static final String MQTT5_USER_PROPERTY = "iot_mqtt5_user_property";

    private MessageHeaders() {
    }
}
