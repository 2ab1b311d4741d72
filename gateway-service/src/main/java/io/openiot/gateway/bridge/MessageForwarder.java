package io.openiot.gateway.bridge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageIds;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts messages that devices publish (over MQTT or HTTPS) on {@link KafkaTopics#MESSAGES}: key = MQTT topic, value =
 * payload bytes unchanged, headers from {@link IotMessage#headers()}.
 */
@Component
public class MessageForwarder {

    private final KafkaTemplate<String, byte[]> kafka;
    private final ReplicaProperties replica;
    private final Clock clock;
    private final Counter[] forwarded;
    private final Counter[] failed;

    public MessageForwarder(KafkaTemplate<String, byte[]> messageKafkaTemplate, ReplicaProperties replica, Clock clock,
                            MeterRegistry meters) {
        this.kafka = messageKafkaTemplate;
        this.replica = replica;
        this.clock = clock;
        this.forwarded = new Counter[2];
        this.failed = new Counter[2];
        for (int qos = 0; qos <= 1; qos++) {
            forwarded[qos] = Counter.builder("iot.gateway.publishes.forwarded")
                    .description("Device publishes that Kafka acknowledged").tag("qos", Integer.toString(qos))
                    .register(meters);
            failed[qos] = Counter.builder("iot.gateway.publishes.forward.failures")
                    .description("Device publishes that could not be written to Kafka (QoS 0: dropped)")
                    .tag("qos", Integer.toString(qos)).register(meters);
        }
    }

    /**
     * A message a device has just published on this replica: it enters the platform here, so it gets its id here,
     * once (the trace starts with it); hop count 0.
     */
    public IotMessage deviceMessage(String topic, byte[] payload, int qos, boolean retain, String clientId,
                                    String principal) {
        String id = MessageIds.newEntryId();
        return new IotMessage(topic, payload, qos, retain, clientId, principal, null, clock.millis(), id, id,
                replica.origin(), 0);
    }

    /**
     * Sends the record without waiting. The future completes when Kafka has acknowledged it (acks=all) and fails when
     * it could not be written; it never throws.
     */
    public CompletableFuture<Void> forward(IotMessage message) {
        List<Header> headers = new ArrayList<>();
        for (Map.Entry<String, byte[]> header : message.headers().entrySet()) {
            headers.add(new RecordHeader(header.getKey(), header.getValue()));
        }
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(KafkaTopics.MESSAGES, null, message.topic(), message.payload(), headers);
        CompletableFuture<?> sent;
        try {
            sent = kafka.send(record);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        int qos = message.qos();
        return sent.handle((result, error) -> {
            if (error != null) {
                failed[qos].increment();
                throw error instanceof RuntimeException runtime ? runtime : new IllegalStateException(error);
            }
            forwarded[qos].increment();
            return null;
        });
    }

    /** Loads the topic's metadata so that the first device publish does not wait for it on an event loop. */
    public void warmUp() {
        kafka.partitionsFor(KafkaTopics.MESSAGES);
    }
}
