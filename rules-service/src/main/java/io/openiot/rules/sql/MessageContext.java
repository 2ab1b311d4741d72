package io.openiot.rules.sql;

import java.util.Objects;

/**
 * What an expression can see of one message: its payload and the facts the SQL functions return.
 *
 * @param topic     MQTT topic the message was published to
 * @param clientId  publishing client, or {@code null} when a service published it
 * @param principal authenticated principal, or {@code null}
 * @param traceId   the message's trace id, or {@code null}
 * @param now       epoch milliseconds at the rules engine ({@code timestamp()})
 * @param payload   the payload
 */
public record MessageContext(String topic, String clientId, String principal, String traceId, long now,
                             Payload payload) {

    public MessageContext {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
    }

    /** A context for a JSON or raw payload given as bytes. */
    public static MessageContext of(String topic, String clientId, String traceId, long now, byte[] payload) {
        return new MessageContext(topic, clientId, null, traceId, now, new Payload(payload));
    }
}
