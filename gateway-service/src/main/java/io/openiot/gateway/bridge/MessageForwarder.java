package io.openiot.gateway.bridge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageIds;
import io.openiot.gateway.mqtt.MqttProperties;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts messages that devices publish (over MQTT or HTTPS) on {@link KafkaTopics#MESSAGES}: key = MQTT topic, value =
 * payload bytes unchanged, headers from {@link IotMessage#headers()}.
 *
 * <p>{@code KafkaProducer.send} can block (up to {@code max.block.ms}) while metadata is missing or its buffer is full,
 * so it is called on one sender thread of this gateway, never on the caller's (a Netty event loop must keep serving
 * every other connection, PINGREQs included). One thread keeps the order in which publishes arrived, and {@code send}
 * itself only appends to the producer's buffer. Its queue is bounded: when it is full the publish fails at once,
 * like a publish that Kafka did not take.
 */
@Component
public class MessageForwarder implements DisposableBean {

    /** Sends waiting for the sender thread; the connections' own limits (max-pending-publishes) usually stop first. */
    static final int SENDER_QUEUE_CAPACITY = 10_000;
    private static final long MAX_SHUTDOWN_SECONDS = 5;

    private final KafkaTemplate<String, byte[]> kafka;
    private final ReplicaProperties replica;
    private final long ackTimeoutMillis;
    private final Clock clock;
    private final ThreadPoolExecutor sender;
    private final Counter[] forwarded;
    private final Counter[] failed;

    public MessageForwarder(KafkaTemplate<String, byte[]> messageKafkaTemplate, ReplicaProperties replica,
                            MqttProperties mqtt, Clock clock, MeterRegistry meters) {
        this.kafka = messageKafkaTemplate;
        this.replica = replica;
        this.ackTimeoutMillis = mqtt.kafkaAckTimeout().toMillis();
        this.clock = clock;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(SENDER_QUEUE_CAPACITY), runnable -> {
                    Thread thread = new Thread(runnable, "gateway-kafka-sender");
                    thread.setDaemon(true);
                    return thread;
                });
        this.forwarded = new Counter[2];
        this.failed = new Counter[2];
        for (int qos = 0; qos <= 1; qos++) {
            forwarded[qos] = Counter.builder("iot.gateway.publishes.forwarded")
                    .description("Device publishes that Kafka acknowledged").tag("qos", Integer.toString(qos))
                    .register(meters);
            failed[qos] = Counter.builder("iot.gateway.publishes.forward.failures")
                    .description("Device publishes that Kafka did not acknowledge in time (QoS 0: dropped;"
                            + " QoS 1: not acknowledged, the connection closed)")
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
     * Sends the record without waiting and without blocking the caller. The future completes when Kafka has
     * acknowledged it (acks=all); it fails when Kafka did not take it, or did not acknowledge it within
     * {@code kafka-ack-timeout} of this call ({@link java.util.concurrent.TimeoutException}). It never throws.
     */
    public CompletableFuture<Void> forward(IotMessage message) {
        List<Header> headers = new ArrayList<>();
        for (Map.Entry<String, byte[]> header : message.headers().entrySet()) {
            headers.add(new RecordHeader(header.getKey(), header.getValue()));
        }
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(KafkaTopics.MESSAGES, null, message.topic(), message.payload(), headers);
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        try {
            sender.execute(() -> send(record, acknowledged));
        } catch (RejectedExecutionException e) {
            acknowledged.completeExceptionally(e);
        }
        int qos = message.qos();
        // the timeout completes this same future, so a late acknowledgement from Kafka is ignored and counted once
        return acknowledged.orTimeout(ackTimeoutMillis, TimeUnit.MILLISECONDS).whenComplete((ignored, error) -> {
            if (error != null) {
                failed[qos].increment();
            } else {
                forwarded[qos].increment();
            }
        });
    }

    /** Runs on the sender thread. */
    private void send(ProducerRecord<String, byte[]> record, CompletableFuture<Void> acknowledged) {
        if (acknowledged.isDone()) {
            // timed out while queued: the device has been told nothing was stored, so storing it now would only
            // make a duplicate of the copy it resends
            return;
        }
        try {
            kafka.send(record).whenComplete((result, error) -> {
                if (error != null) {
                    acknowledged.completeExceptionally(error);
                } else {
                    acknowledged.complete(null);
                }
            });
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(e);
        }
    }

    /** Loads the topic's metadata so that the first device publish does not wait for it. */
    public void warmUp() {
        kafka.partitionsFor(KafkaTopics.MESSAGES);
    }

    /** Hands what is queued to the producer before it closes (this bean goes before the template it uses). */
    @Override
    public void destroy() throws InterruptedException {
        sender.shutdown();
        if (!sender.awaitTermination(MAX_SHUTDOWN_SECONDS, TimeUnit.SECONDS)) {
            sender.shutdownNow();
        }
    }
}
