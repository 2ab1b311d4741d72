package io.openiot.rules.engine;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.RecordPosition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

/**
 * The {@code iotMessages} function bound to {@code iot.messages} (group {@code rules-service}) in batch mode: rebuilds
 * each {@link IotMessage} from its record's key, value and headers and hands the poll's messages to the engine at once.
 *
 * <p>When some actions failed transiently it throws {@link TransientActionFailures}: the container's error handler
 * ({@link ConsumerRetryConfiguration}) pauses the partitions, waits with back-off while still polling (so the consumer
 * keeps its place in the group), and hands the same batch back; offsets are committed only once the batch returns
 * normally, that is when every record has its outcome. The thread's {@link AttemptMemory} keeps the actions that
 * already succeeded from being repeated.
 */
@Component("iotMessages")
class IotMessagesConsumer implements Consumer<Message<List<byte[]>>> {

    private static final Logger log = LoggerFactory.getLogger(IotMessagesConsumer.class);

    private final RulesEngine engine;
    private final EngineMetrics metrics;
    private final RetryProperties retry;
    private final Clock clock;
    /** Each consumer thread retries its own batch; the container gives a retried batch back to the same thread. */
    private final ThreadLocal<AttemptMemory> memories = ThreadLocal.withInitial(AttemptMemory::new);

    IotMessagesConsumer(RulesEngine engine, EngineMetrics metrics, RetryProperties retry, Clock clock) {
        this.engine = engine;
        this.metrics = metrics;
        this.retry = retry;
        this.clock = clock;
    }

    @Override
    public void accept(Message<List<byte[]>> batch) {
        List<byte[]> payloads = batch.getPayload();
        List<?> keys = list(batch.getHeaders().get(KafkaHeaders.RECEIVED_KEY));
        List<?> recordHeaders = list(batch.getHeaders().get(KafkaHeaders.BATCH_CONVERTED_HEADERS));
        List<IotMessage> messages = new ArrayList<>(payloads.size());
        StringBuilder identity = new StringBuilder();
        for (int i = 0; i < payloads.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, ?> headers = i < recordHeaders.size() && recordHeaders.get(i) instanceof Map<?, ?> map
                    ? (Map<String, ?>) map : Map.of();
            identity.append(element(batch, KafkaHeaders.RECEIVED_PARTITION, i)).append('@')
                    .append(element(batch, KafkaHeaders.OFFSET, i)).append(',');
            try {
                messages.add(IotMessage.fromRecord(i < keys.size() ? IotMessage.text(keys.get(i)) : null,
                        payloads.get(i), headers, new RecordPosition(KafkaTopics.MESSAGES,
                                (int) number(element(batch, KafkaHeaders.RECEIVED_PARTITION, i)),
                                number(element(batch, KafkaHeaders.OFFSET, i)))));
            } catch (IllegalArgumentException e) {
                // breaks the topic's contract; it stays on iot.messages, where partition and offset find it
                metrics.malformed();
                log.error("Skipping record {} of partition {} at offset {}: {}", i,
                        element(batch, KafkaHeaders.RECEIVED_PARTITION, i), element(batch, KafkaHeaders.OFFSET, i),
                        e.getMessage());
            }
        }
        process(messages, identity.toString());
    }

    private void process(List<IotMessage> messages, String identity) {
        AttemptMemory memory = memories.get();
        boolean wasFailing = memory.isFailing();
        memory.begin(identity);
        if (wasFailing && !memory.isFailing()) {
            // the batch that was failing was given up (rebalance, stop): this is another one
            metrics.retryWaitEnded();
        }
        long now = clock.millis();
        boolean giveUp = memory.isFailing() && !retry.retriesForever()
                && memory.failingForMillis(now) >= retry.maxDuration().toMillis();
        RulesEngine.Outcome outcome;
        try {
            outcome = engine.run(messages, memory, giveUp);
        } catch (RuntimeException e) {
            // a bug, not a failure of one action: the container retries the batch with back-off; say so loudly
            log.error("Running the rules on a batch of {} records failed; it is retried", messages.size(), e);
            throw e;
        }
        metrics.batchDone();
        if (outcome.transientFailures() > 0) {
            if (memory.failed(now)) {
                metrics.retryWaitStarted();
            }
            log.warn("{} sends of a batch of {} records failed transiently (attempt {}, failing for {} s; {} outputs "
                            + "already done are not repeated). Consumption of its partitions is paused and the batch "
                            + "is retried with back-off{}. First error: {}", outcome.transientFailures(),
                    messages.size(), memory.attempts(), memory.failingForMillis(now) / 1000, memory.doneCount(),
                    retry.retriesForever() ? " until it succeeds" : " for at most " + retry.maxDuration(),
                    outcome.firstTransientError());
            throw new TransientActionFailures(outcome.transientFailures() + " sends failed transiently: "
                    + outcome.firstTransientError());
        }
        if (memory.isFailing()) {
            metrics.retryWaitEnded();
            log.info("A batch of {} records is done after {} attempts, {} s after its first transient failure",
                    messages.size(), memory.attempts(), memory.failingForMillis(now) / 1000);
        }
        memory.clear();
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : -1;
    }

    private static Object element(Message<?> batch, String header, int index) {
        List<?> values = list(batch.getHeaders().get(header));
        return index < values.size() ? values.get(index) : null;
    }

    /** The binder gives one list per Kafka header, in the order of the payloads. */
    private static List<?> list(Object header) {
        return header instanceof List<?> list ? list : List.of();
    }
}
