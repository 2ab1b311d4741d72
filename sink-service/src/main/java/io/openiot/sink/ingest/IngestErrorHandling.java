package io.openiot.sink.ingest;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.PublishSubscribeChannel;
import org.springframework.integration.context.IntegrationContextUtils;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * What the listener container does with a batch the listener threw back, which it does only when the database did
 * not take the batch (bad records are dead-lettered by the listener itself, one by one).
 *
 * <p>Why a container error handler and not waits inside the listener: a listener that sleeps through an outage
 * stops polling, and after {@code max.poll.interval.ms} the broker throws the consumer out of its group and hands
 * its partitions to another, which then stalls on the same database. Spring Kafka's {@link DefaultErrorHandler}
 * (for a batch listener, its fallback batch handling) instead pauses the consumer's partitions, keeps calling
 * {@code poll()} while it waits (so the group keeps it, and fetches nothing new), and then calls the listener again
 * with the same records. Offsets move only once the listener returned, so nothing is skipped; the writes are
 * idempotent, so items a failed attempt may already have stored are not stored twice.
 *
 * <p>The binder's own dead-lettering is off ({@code enable-dlq: false}): it would send the whole batch.
 */
@Configuration(proxyBeanMethods = false)
class IngestErrorHandling {

    /** Named in {@code sink-service.yml} ({@code common-error-handler-bean-name}). */
    static final String BEAN_NAME = "sinkRecordsErrorHandler";

    private static final Logger log = LoggerFactory.getLogger(IngestErrorHandling.class);

    /**
     * The application's own {@code errorChannel}, so that Spring Integration does not attach its logger to it: the
     * binder copies every failed batch there, and the logger would print a full stack trace on each retry of an
     * outage. The failures are still thrown to the container (the binder's handler rethrows them) and logged once
     * per attempt, briefly, by {@link IngestStatus}.
     */
    @Bean(IntegrationContextUtils.ERROR_CHANNEL_BEAN_NAME)
    PublishSubscribeChannel errorChannel() {
        return new PublishSubscribeChannel();
    }

    @Bean(BEAN_NAME)
    DefaultErrorHandler sinkRecordsErrorHandler(IngestProperties properties, IngestStatus status,
                                                DeadLetterPublisher deadLetters, IngestMetrics metrics) {
        ExponentialBackOff backOff = new ExponentialBackOff(properties.retryBackoff().toMillis(), 2.0);
        backOff.setMaxInterval(properties.retryMaxBackoff().toMillis());
        if (!properties.retriesForever()) {
            backOff.setMaxElapsedTime(properties.retryMaxElapsed().toMillis());
        }
        DefaultErrorHandler handler = new DefaultErrorHandler(giveUp(properties, deadLetters, metrics), backOff);
        handler.setRetryListeners(new RetryListener() {
            @Override
            public void failedDelivery(ConsumerRecord<?, ?> record, Exception failure, int attempt) {
                failedBatch(1, failure, attempt);
            }

            @Override
            public void failedDelivery(ConsumerRecords<?, ?> records, Exception failure, int attempt) {
                failedBatch(records.count(), failure, attempt);
            }

            private void failedBatch(int records, Exception failure, int attempt) {
                StorageUnavailableException storage = find(failure);
                if (storage != null) {
                    status.retrying(storage, records, attempt);
                } else {
                    // not the database: the dead-letter topic did not take a record; the batch is retried all the same
                    log.warn("Batch of {} records failed (attempt {}) and is retried: {}", records, attempt,
                            failure.toString());
                }
            }
        });
        return handler;
    }

    /**
     * Only reached when {@code retry-max-elapsed} is set and has passed: the operator chose to move the records aside
     * (from where {@code POST /dead-letters/replay} brings them back) rather than hold up the partition longer.
     */
    private static ConsumerRecordRecoverer giveUp(IngestProperties properties, DeadLetterPublisher deadLetters,
                                                  IngestMetrics metrics) {
        return (record, failure) -> {
            IncomingRecord incoming = new IncomingRecord(bytes(record.key()), bytes(record.value()), record.topic(),
                    record.partition(), record.offset());
            log.error("Sink record {} not written within {}; sent to the dead-letter topic", incoming.position(),
                    properties.retryMaxElapsed());
            StorageUnavailableException storage = find(failure);
            deadLetters.publish(incoming, "not written within " + properties.retryMaxElapsed() + ": "
                    + (storage != null ? storage.getMessage() : failure.toString()));
            metrics.deadLettered();
        };
    }

    private static StorageUnavailableException find(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StorageUnavailableException storage) {
                return storage;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    private static byte[] bytes(Object value) {
        return value == null ? null
                : value instanceof byte[] bytes ? bytes : value.toString().getBytes(StandardCharsets.UTF_8);
    }
}
