package io.openiot.gateway.mqtt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageHeaders;
import io.openiot.contracts.RecordPosition;
import io.openiot.gateway.bridge.ReplicaProperties;
import io.openiot.contracts.TopicNameValidator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

/**
 * The {@code deliverToDevices} binding: hands records from {@code iot.messages} to this replica's MQTT subscribers,
 * except those this replica produced itself (Moquette has already routed them locally). It takes the records a poll
 * returned as one batch: per-record function invocation cost more CPU than the delivery itself.
 *
 * <p>Offsets: the container commits a batch's offsets only after {@link #accept} returns (batch acknowledgement,
 * nothing commits earlier). Before returning, it waits until Moquette has routed every record to its sessions and
 * then commits Moquette's store, so a copy queued for an offline persistent session is on disk before Kafka forgets
 * it. A kill before that replays the batch from the committed offset: subscribers may get a copy twice (allowed at
 * QoS 1), never zero times.
 */
@Component("deliverToDevices")
class DeviceDelivery implements Consumer<Message<List<byte[]>>> {

    private static final Logger log = LoggerFactory.getLogger(DeviceDelivery.class);

    private final MqttBroker broker;
    private final byte[] ownOrigin;
    private final String ownOriginText;
    private final Counter delivered;
    private final Counter skipped;
    /** How long a batch waits for Moquette's session loops before its offsets are committed anyway. */
    private static final long ROUTING_WAIT_SECONDS = 10;

    DeviceDelivery(MqttBroker broker, ReplicaProperties replica, MeterRegistry meters) {
        this.broker = broker;
        this.ownOriginText = replica.origin();
        this.ownOrigin = ownOriginText.getBytes(StandardCharsets.UTF_8);
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
        List<?> partitions = batch.getHeaders().get(KafkaHeaders.RECEIVED_PARTITION) instanceof List<?> list
                ? list : List.of();
        List<?> offsets = batch.getHeaders().get(KafkaHeaders.OFFSET) instanceof List<?> list ? list : List.of();
        List<CompletableFuture<Void>> routed = new ArrayList<>(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, ?> recordHeaders = i < headers.size() && headers.get(i) instanceof Map<?, ?> map
                    ? (Map<String, ?>) map : Map.of();
            try {
                deliver(i < keys.size() ? IotMessage.text(keys.get(i)) : null, payloads.get(i), recordHeaders,
                        new RecordPosition(KafkaTopics.MESSAGES, (int) number(partitions, i), number(offsets, i)),
                        routed);
            } catch (RuntimeException e) {
                // never fail the batch: the container would redeliver it, and subscribers that already got its
                // earlier messages would get them again
                skipped.increment();
                log.warn("Could not deliver record {} of a batch to local subscribers: {}", i, e.toString());
            }
        }
        awaitRouting(routed);
        broker.flushStore();
    }

    private static void awaitRouting(List<CompletableFuture<Void>> routed) {
        if (routed.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.allOf(routed.toArray(CompletableFuture[]::new))
                    .get(ROUTING_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // a session that failed to take a copy is Moquette's (a full queue drops it there too); not a reason
            // to hold back every other record's offset
            log.warn("Not every local subscriber took a batch from Kafka: {}", e.toString());
        }
    }

    private static long number(List<?> values, int index) {
        return index < values.size() && values.get(index) instanceof Number n ? n.longValue() : -1;
    }

    private void deliver(String key, byte[] payload, Map<String, ?> recordHeaders, RecordPosition position,
                         List<CompletableFuture<Void>> routed) {
        // most records on a busy replica are its own devices' publishes: skip them before decoding anything
        if (isOwn(recordHeaders.get(MessageHeaders.ORIGIN))) {
            return;
        }
        // Basic Ingest messages reach only the rules engine, never a subscriber (AWS)
        if (PublishForwarder.isBasicIngest(key)) {
            return;
        }
        IotMessage message;
        try {
            message = IotMessage.fromRecord(key, payload, recordHeaders, position);
        } catch (IllegalArgumentException e) {
            skipped.increment();
            return;
        }
        if (TopicNameValidator.violation(message.topic()).isPresent()) {
            skipped.increment();
            return;
        }
        broker.publishLocally(message).ifPresent(routing -> {
            routed.add(routing);
            delivered.increment();
        });
    }

    private boolean isOwn(Object origin) {
        return origin instanceof byte[] raw ? Arrays.equals(ownOrigin, raw) : ownOriginText.equals(origin);
    }
}
