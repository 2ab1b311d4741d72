package io.openiot.contracts;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One message on {@link KafkaTopics#MESSAGES}, independent of the Kafka client: the record key is {@link #topic()},
 * the value is {@link #payload()} unchanged, and the rest travels as headers named in {@link MessageHeaders}.
 *
 * @param topic     MQTT topic name (no wildcards)
 * @param payload   payload bytes exactly as published
 * @param qos       0 or 1
 * @param retain    MQTT RETAIN flag
 * @param clientId  publishing client, or {@code null} when a service publishes
 * @param principal authenticated principal, or {@code null}
 * @param thingName thing bound to the connection, or {@code null}
 * @param timestamp epoch milliseconds at which the platform accepted the message
 * @param messageId id of this record: fixed where a device message enters the platform, derived (see
 *                  {@link MessageIds}) for what a service makes from another message; never random on a retry
 * @param traceId   id of the device message this one started from; follows it through republishes
 * @param origin    producer of the record: {@code gateway/<replica>} or a service name
 * @param hopCount  number of service republishes this message went through
 */
public record IotMessage(String topic, byte[] payload, int qos, boolean retain, String clientId, String principal,
                         String thingName, long timestamp, String messageId, String traceId, String origin,
                         int hopCount) {

    public IotMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(origin, "origin");
        payload = payload == null ? new byte[0] : payload;
        if (qos < 0 || qos > 1) {
            throw new IllegalArgumentException("qos must be 0 or 1, was " + qos);
        }
    }

    /**
     * A new message that a service (not a device) publishes. It keeps the trace of {@code cause} and counts one hop
     * more; its id is given by the caller, derived from what caused it ({@link MessageIds#derived}).
     *
     * @param cause the message this one is made from, or {@code null} when a service publishes on its own
     */
    public static IotMessage republished(String topic, byte[] payload, int qos, String origin, IotMessage cause,
                                         long timestamp, String messageId) {
        return new IotMessage(topic, payload, qos, false, null, null, null, timestamp, messageId,
                cause == null ? messageId : cause.traceId(), origin, cause == null ? 1 : cause.hopCount() + 1);
    }

    /** Headers to put on the Kafka record, in a stable order; absent optional values are left out. */
    public Map<String, byte[]> headers() {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        put(headers, MessageHeaders.MQTT_TOPIC, topic);
        put(headers, MessageHeaders.QOS, Integer.toString(qos));
        put(headers, MessageHeaders.RETAIN, Boolean.toString(retain));
        put(headers, MessageHeaders.CLIENT_ID, clientId);
        put(headers, MessageHeaders.PRINCIPAL, principal);
        put(headers, MessageHeaders.THING_NAME, thingName);
        put(headers, MessageHeaders.TIMESTAMP, Long.toString(timestamp));
        put(headers, MessageHeaders.MESSAGE_ID, messageId);
        put(headers, MessageHeaders.TRACE_ID, traceId);
        put(headers, MessageHeaders.ORIGIN, origin);
        put(headers, MessageHeaders.HOP_COUNT, Integer.toString(hopCount));
        return headers;
    }

    /**
     * Rebuilds a message from a record's key, value and headers. Missing or malformed optional headers fall back to
     * safe defaults (QoS 0, no retain, hop count 0) so that a record written by a foreign producer is still usable.
     *
     * @param key     record key (the MQTT topic); used when the topic header is missing
     * @param value   record value
     * A record without a message id header gets the id of its position in Kafka ({@link
     * MessageIds#ofRecordPosition}), never a random one, so that every retry and every reader sees the same id.
     *
     * @param headers  header name to value, as {@code byte[]} (raw Kafka) or {@code String} (as a header mapper may
     *                 leave it); only the last value of a repeated header is used
     * @param position where the record sits in Kafka
     */
    public static IotMessage fromRecord(String key, byte[] value, Map<String, ?> headers, RecordPosition position) {
        String topic = text(headers, MessageHeaders.MQTT_TOPIC);
        if (topic == null) {
            topic = key;
        }
        if (topic == null) {
            throw new IllegalArgumentException("record has neither a key nor a " + MessageHeaders.MQTT_TOPIC + " header");
        }
        String messageId = text(headers, MessageHeaders.MESSAGE_ID);
        if (messageId == null) {
            messageId = position.derivedMessageId();
        }
        String traceId = text(headers, MessageHeaders.TRACE_ID);
        String origin = text(headers, MessageHeaders.ORIGIN);
        return new IotMessage(topic, value,
                (int) Math.min(1, Math.max(0, number(headers, MessageHeaders.QOS, 0))),
                Boolean.parseBoolean(text(headers, MessageHeaders.RETAIN)),
                text(headers, MessageHeaders.CLIENT_ID),
                text(headers, MessageHeaders.PRINCIPAL),
                text(headers, MessageHeaders.THING_NAME),
                number(headers, MessageHeaders.TIMESTAMP, System.currentTimeMillis()),
                messageId,
                traceId == null ? messageId : traceId,
                origin == null ? "unknown" : origin,
                (int) number(headers, MessageHeaders.HOP_COUNT, 0));
    }

    private static void put(Map<String, byte[]> headers, String name, String value) {
        if (value != null) {
            headers.put(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String text(Map<String, ?> headers, String name) {
        return text(headers.get(name));
    }

    /** A record key or header value as text: UTF-8 bytes as Kafka stores them, or a string; anything else is null. */
    public static String text(Object keyOrHeaderValue) {
        if (keyOrHeaderValue instanceof byte[] raw) {
            return new String(raw, StandardCharsets.UTF_8);
        }
        return keyOrHeaderValue instanceof String text ? text : null;
    }

    private static long number(Map<String, ?> headers, String name, long fallback) {
        String text = text(headers, name);
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IotMessage m && qos == m.qos && retain == m.retain && timestamp == m.timestamp
                && hopCount == m.hopCount && topic.equals(m.topic) && java.util.Arrays.equals(payload, m.payload)
                && Objects.equals(clientId, m.clientId) && Objects.equals(principal, m.principal)
                && Objects.equals(thingName, m.thingName) && messageId.equals(m.messageId) && traceId.equals(m.traceId)
                && origin.equals(m.origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, java.util.Arrays.hashCode(payload), qos, retain, clientId, messageId);
    }

    @Override
    public String toString() {
        return "IotMessage[topic=" + topic + ", bytes=" + payload.length + ", qos=" + qos + ", clientId=" + clientId
                + ", messageId=" + messageId + ", traceId=" + traceId + ", origin=" + origin + ", hopCount=" + hopCount
                + "]";
    }
}
