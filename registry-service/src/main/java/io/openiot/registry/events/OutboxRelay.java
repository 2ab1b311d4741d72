package io.openiot.registry.events;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageHeaders;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the outbox to Kafka in id order and stamps what Kafka acknowledged. A round runs in one database
 * transaction holding an advisory lock, so one relay among all replicas sends at a time and the order of the rows
 * is the order on Kafka. A crash between send and stamp sends those rows again (at least once); consumers
 * de-duplicate by event id. Nothing committed is lost: a row stays unstamped until Kafka has it.
 */
@Component
public class OutboxRelay implements SmartLifecycle {

    /** Advisory lock key of the relay (any constant; "outbox" in ASCII). */
    private static final long RELAY_LOCK = 0x6f7574626f78L;
    private static final String ORIGIN = "registry-service";

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    record Row(long id, String kafkaTopic, String key, String eventId, String payload, Timestamp createdAt) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final KafkaTemplate<String, byte[]> kafka;
    private final OutboxProperties properties;
    private final String registryEventsTopic;
    private ScheduledExecutorService executor;

    OutboxRelay(JdbcClient jdbc, TransactionTemplate transactions, KafkaTemplate<String, byte[]> outboxKafkaTemplate,
                OutboxProperties properties,
                @Value("${iot.registry.events.topic:" + KafkaTopics.REGISTRY_EVENTS + "}") String registryEventsTopic) {
        this.registryEventsTopic = registryEventsTopic;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.kafka = outboxKafkaTemplate;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "registry-outbox-relay"));
        executor.schedule(this::loop, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    @Override
    public boolean isAutoStartup() {
        return properties.enabled();
    }

    private void loop() {
        long pause = properties.pollInterval().toMillis();
        try {
            int sent = relayOnce();
            if (sent >= properties.batchSize()) {
                pause = 0; // more is waiting
            }
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            log.warn("outbox relay round failed, retrying: {}", e.toString());
            pause = Math.max(pause, 1000);
        }
        ScheduledExecutorService current = executor;
        if (current != null && !current.isShutdown()) {
            try {
                current.schedule(this::loop, pause, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // stopped in between
            }
        }
    }

    /** One round: sends up to a batch of unsent rows and stamps them; returns how many it sent. */
    public int relayOnce() {
        Integer sent = transactions.execute(status -> {
            if (!jdbc.sql("SELECT pg_try_advisory_xact_lock(?)").param(RELAY_LOCK).query(Boolean.class).single()) {
                return 0; // another replica's relay is sending
            }
            List<Row> rows = jdbc.sql("""
                            SELECT id, kafka_topic, aggregate_key, event_id, payload::text AS payload, created_at
                            FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT ?""")
                    .param(properties.batchSize())
                    .query((rs, n) -> new Row(rs.getLong("id"), rs.getString("kafka_topic"),
                            rs.getString("aggregate_key"), rs.getString("event_id"), rs.getString("payload"),
                            rs.getTimestamp("created_at")))
                    .list();
            if (rows.isEmpty()) {
                return 0;
            }
            List<CompletableFuture<SendResult<String, byte[]>>> acks = new ArrayList<>();
            for (Row row : rows) {
                acks.add(kafka.send(record(row)));
            }
            try {
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                        .get(properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("relay interrupted before Kafka acknowledged", e);
            } catch (Exception e) {
                throw new IllegalStateException("Kafka did not acknowledge the outbox batch", e);
            }
            Long[] ids = rows.stream().map(Row::id).toArray(Long[]::new);
            jdbc.sql("UPDATE outbox SET published_at = now() WHERE id = ANY(?)").param(ids).update();
            return rows.size();
        });
        return sent == null ? 0 : sent;
    }

    private ProducerRecord<String, byte[]> record(Row row) {
        byte[] payload = row.payload().getBytes(StandardCharsets.UTF_8);
        if (KafkaTopics.MESSAGES.equals(row.kafkaTopic())) {
            IotMessage message = IotMessage.republished(row.key(), payload, 1, ORIGIN, null,
                    row.createdAt().getTime(), row.eventId());
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(KafkaTopics.MESSAGES, message.topic(),
                    payload);
            for (Map.Entry<String, byte[]> header : message.headers().entrySet()) {
                record.headers().add(new RecordHeader(header.getKey(), header.getValue()));
            }
            return record;
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(registryEventsTopic, row.key(), payload);
        record.headers().add(new RecordHeader(MessageHeaders.MESSAGE_ID,
                row.eventId().getBytes(StandardCharsets.UTF_8)));
        return record;
    }
}
