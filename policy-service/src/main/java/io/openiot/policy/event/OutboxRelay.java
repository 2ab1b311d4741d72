package io.openiot.policy.event;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.MessageIds;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the outbox to {@code iot.security-events} in id order, one record at a time and synchronously (the binding
 * is {@code sync}), stamping each row once Kafka acknowledged it. One relay works at a time across instances (a
 * transaction-scoped advisory lock), so the order per key is the commit order of the ids. A crash between the
 * acknowledgement and the stamp sends that one event again: consumers deduplicate by event id.
 */
@Component
public class OutboxRelay implements SmartLifecycle {

    static final String BINDING = "securityEvents";
    static final String MESSAGES_BINDING = "iotMessages";
    private static final long RELAY_LOCK = 0x0CA0_0002L;
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final StreamBridge streamBridge;
    private final OutboxProperties properties;
    private final Clock clock;
    private ScheduledExecutorService executor;

    OutboxRelay(JdbcClient jdbc, TransactionTemplate tx, StreamBridge streamBridge, OutboxProperties properties,
            Clock clock) {
        this.clock = clock;
        this.jdbc = jdbc;
        this.tx = tx;
        this.streamBridge = streamBridge;
        this.properties = properties;
    }

    private record Pending(long id, String key, String type, String payload) {
    }

    /** Sends one batch; returns how many were sent. */
    int relayOnce() {
        Integer sent = tx.execute(status -> {
            Boolean locked = jdbc.sql("SELECT pg_try_advisory_xact_lock(:lock)").param("lock", RELAY_LOCK)
                    .query(Boolean.class).single();
            if (!Boolean.TRUE.equals(locked)) {
                return 0;
            }
            List<Pending> batch = jdbc.sql("SELECT id, aggregate_key, event_type, payload::text FROM outbox "
                            + "WHERE published_at IS NULL ORDER BY id LIMIT :limit")
                    .param("limit", properties.batchSize())
                    .query((rs, row) -> new Pending(rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getString(4))).list();
            for (Pending pending : batch) {
                boolean ok = SecurityEventOutbox.MQTT_MESSAGE.equals(pending.type()) ? sendMqtt(pending)
                        : streamBridge.send(BINDING, MessageBuilder
                                .withPayload(pending.payload().getBytes(StandardCharsets.UTF_8))
                                .setHeader(KafkaHeaders.KEY, pending.key().getBytes(StandardCharsets.UTF_8))
                                .setHeader("contentType", "application/json").build());
                if (!ok) {
                    throw new IllegalStateException("security event " + pending.id() + " was not sent");
                }
                // stamped in the same transaction: a failure later in the batch keeps the order intact
                jdbc.sql("UPDATE outbox SET published_at = now() WHERE id = :id").param("id", pending.id()).update();
            }
            return batch.size();
        });
        return sent == null ? 0 : sent;
    }

    /** As an {@link IotMessage}: key = MQTT topic, the contract's headers, an id stable across re-sends. */
    private boolean sendMqtt(Pending pending) {
        IotMessage message = IotMessage.republished(pending.key(), pending.payload().getBytes(StandardCharsets.UTF_8),
                1, "policy-service", null, clock.millis(), MessageIds.derived("policy-outbox-" + pending.id(),
                        "policy-service", "mqtt"));
        MessageBuilder<byte[]> builder = MessageBuilder.withPayload(message.payload())
                .setHeader(KafkaHeaders.KEY, message.topic().getBytes(StandardCharsets.UTF_8))
                .setHeader("contentType", "application/octet-stream");
        message.headers().forEach(builder::setHeader);
        return streamBridge.send(MESSAGES_BINDING, builder.build());
    }

    private void loop() {
        try {
            while (relayOnce() == properties.batchSize()) {
                // more waiting: go on at once
            }
        } catch (RuntimeException e) {
            log.warn("security events not relayed yet, retrying: {}", e.toString());
        }
    }

    @Override
    public synchronized void start() {
        if (executor == null) {
            executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "security-event-relay"));
            executor.scheduleWithFixedDelay(this::loop, 0, properties.relayInterval().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
