package io.openiot.sink.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.NonTransientDataAccessException;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code sinkRecords} function: one call per Kafka poll (batch mode). Stores the well-formed records of the batch
 * in one transaction and sends each malformed one to the dead-letter topic, so that a poison record never holds up
 * the rest. A batch that still fails after {@link IngestProperties#writeAttempts()} is thrown back to the binder,
 * which dead-letters the whole batch; replaying it is safe because writes are idempotent.
 */
@Component("sinkRecords")
class SinkRecordsConsumer implements Consumer<Message<List<byte[]>>> {

    private static final Logger log = LoggerFactory.getLogger(SinkRecordsConsumer.class);

    private final SinkRecordParser parser;
    private final ItemWriter writer;
    private final DeadLetterPublisher deadLetters;
    private final IngestMetrics metrics;
    private final IngestProperties properties;

    SinkRecordsConsumer(JsonMapper json, ItemWriter writer, DeadLetterPublisher deadLetters, IngestMetrics metrics,
                        IngestProperties properties) {
        this.parser = new SinkRecordParser(json, properties.maxItemBytes());
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.properties = properties;
    }

    @Override
    public void accept(Message<List<byte[]>> batch) {
        List<IncomingRecord> records = records(batch);
        List<IncomingRecord> accepted = new ArrayList<>(records.size());
        List<StorableItem> items = new ArrayList<>(records.size());
        for (IncomingRecord record : records) {
            SinkRecordParser.Result result = parser.parse(record.value());
            if (result instanceof SinkRecordParser.Valid valid) {
                accepted.add(record);
                items.add(valid.item());
            } else {
                String reason = ((SinkRecordParser.Malformed) result).reason();
                metrics.malformed();
                log.warn("Malformed sink record {} ({} bytes): {}; sent to the dead-letter topic", record.position(),
                        record.value() == null ? 0 : record.value().length, reason);
                deadLetter(record, "malformed sink record: " + reason);
            }
        }
        ItemWriter.Outcome outcome = writeWithRetries(accepted, items);
        metrics.batchWritten(records.size(), outcome.stored(), outcome.duplicates());
    }

    private ItemWriter.Outcome writeWithRetries(List<IncomingRecord> records, List<StorableItem> items) {
        long backoff = properties.retryBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return writer.write(items);
            } catch (DataAccessException e) {
                if (isCausedByData(e)) {
                    log.warn("Batch of {} items rejected by the database ({}); writing them one by one", items.size(),
                            e.getClass().getSimpleName());
                    return writeOneByOne(records, items);
                }
                if (attempt >= properties.writeAttempts()) {
                    log.error("Batch of {} items not written after {} attempts; the binder dead-letters it",
                            items.size(), attempt);
                    throw e;
                }
                log.warn("Writing a batch of {} items failed (attempt {} of {}): {}", items.size(), attempt,
                        properties.writeAttempts(), e.getMostSpecificCause().getMessage());
                pause(backoff);
                backoff *= 2;
            }
        }
    }

    /** Finds the items the database refuses, so that only they are dead-lettered. */
    private ItemWriter.Outcome writeOneByOne(List<IncomingRecord> records, List<StorableItem> items) {
        int stored = 0;
        int duplicates = 0;
        for (int i = 0; i < items.size(); i++) {
            try {
                ItemWriter.Outcome outcome = writer.write(List.of(items.get(i)));
                stored += outcome.stored();
                duplicates += outcome.duplicates();
            } catch (DataAccessException e) {
                if (!isCausedByData(e)) {
                    throw e;
                }
                metrics.malformed();
                log.warn("Sink record {} rejected by the database ({}); sent to the dead-letter topic",
                        records.get(i).position(), e.getClass().getSimpleName());
                deadLetter(records.get(i), "rejected by the database: " + e.getClass().getSimpleName());
            }
        }
        return new ItemWriter.Outcome(stored, duplicates);
    }

    /** A data problem fails the same way on every attempt; a lost connection may not. */
    private static boolean isCausedByData(DataAccessException e) {
        return e instanceof NonTransientDataAccessException && !(e instanceof DataAccessResourceFailureException);
    }

    private void deadLetter(IncomingRecord record, String reason) {
        deadLetters.publish(record, reason);
        metrics.deadLettered();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a batch", e);
        }
    }

    /** The binder gives one list per Kafka header, in the order of the payloads. */
    private static List<IncomingRecord> records(Message<List<byte[]>> batch) {
        List<byte[]> values = batch.getPayload();
        MessageHeaders headers = batch.getHeaders();
        List<?> keys = list(headers, KafkaHeaders.RECEIVED_KEY);
        List<?> topics = list(headers, KafkaHeaders.RECEIVED_TOPIC);
        List<?> partitions = list(headers, KafkaHeaders.RECEIVED_PARTITION);
        List<?> offsets = list(headers, KafkaHeaders.OFFSET);
        List<IncomingRecord> records = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            Object key = element(keys, i);
            Object topic = element(topics, i);
            Object partition = element(partitions, i);
            Object offset = element(offsets, i);
            records.add(new IncomingRecord(
                    key instanceof byte[] bytes ? bytes : key == null ? null : key.toString().getBytes(UTF_8),
                    values.get(i),
                    topic == null ? null : topic.toString(),
                    partition instanceof Number n ? n.intValue() : -1,
                    offset instanceof Number n ? n.longValue() : -1));
        }
        return records;
    }

    private static List<?> list(MessageHeaders headers, String name) {
        return headers.get(name) instanceof List<?> list ? list : List.of();
    }

    private static Object element(List<?> list, int index) {
        return index < list.size() ? list.get(index) : null;
    }
}
