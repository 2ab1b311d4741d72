package io.openiot.gateway.mqtt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.openiot.contracts.IotMessage;
import io.openiot.contracts.MessageHeaders;
import io.openiot.gateway.bridge.ReplicaProperties;
import io.openiot.gateway.bridge.domain.TopicNameValidator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

/**
 * The {@code deliverToDevices} binding: hands records from {@code iot.messages} to this replica's MQTT subscribers,
 * except those this replica produced itself (Moquette has already routed them locally). It takes the records a poll
 * returned as one batch: per-record function invocation cost more CPU than the delivery itself.
 */
@Component("deliverToDevices")
class DeviceDelivery implements Consumer<Message<List<byte[]>>> {

    private final MqttBroker broker;
    private final byte[] ownOrigin;
    private final Counter delivered;
    private final Counter skipped;

    DeviceDelivery(MqttBroker broker, ReplicaProperties replica, MeterRegistry meters) {
        this.broker = broker;
        this.ownOrigin = replica.origin().getBytes(StandardCharsets.UTF_8);
        this.delivered = Counter.builder("iot.gateway.messages.delivered")
                .description("Messages from Kafka handed to this replica's subscribers").register(meters);
        this.skipped = Counter.builder("iot.gateway.messages.undeliverable")
                .description("Records on the message topic without a valid MQTT topic").register(meters);
    }

    @Override
    public void accept(Message<List<byte[]>> batch) {
        List<byte[]> payloads = batch.getPayload();
        List<?> keys = batch.getHeaders().get(KafkaHeaders.RECEIVED_KEY) instanceof List<?> list ? list : List.of();
        List<?> headers = batch.getHeaders().get(KafkaHeaders.BATCH_CONVERTED_HEADERS) instanceof List<?> list
                ? list : List.of();
        for (int i = 0; i < payloads.size(); i++) {
            deliver(i < keys.size() ? bytes(keys.get(i)) : null, payloads.get(i),
                    i < headers.size() && headers.get(i) instanceof Map<?, ?> map ? map : Map.of());
        }
    }

    private void deliver(byte[] key, byte[] payload, Map<?, ?> recordHeaders) {
        // most records on a busy replica are its own devices' publishes: skip them before decoding anything
        if (Arrays.equals(ownOrigin, bytes(recordHeaders.get(MessageHeaders.ORIGIN)))) {
            return;
        }
        Map<String, byte[]> headers = new HashMap<>();
        recordHeaders.forEach((name, value) -> {
            byte[] raw = bytes(value);
            if (raw != null) {
                headers.put(name.toString(), raw);
            }
        });
        IotMessage message;
        try {
            message = IotMessage.fromRecord(key == null ? null : new String(key, StandardCharsets.UTF_8), payload,
                    headers);
        } catch (IllegalArgumentException e) {
            skipped.increment();
            return;
        }
        if (TopicNameValidator.violation(message.topic()).isPresent()) {
            skipped.increment();
            return;
        }
        // No retry on failure: subscribers that already got the message would get it twice.
        if (broker.publishLocally(message)) {
            delivered.increment();
        }
    }

    /** Kafka header values arrive as byte[]; other producers may leave strings. */
    private static byte[] bytes(Object value) {
        if (value instanceof byte[] raw) {
            return raw;
        }
        if (value instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        return null;
    }
}
