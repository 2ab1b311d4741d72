package io.openiot.sink.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code sinkRecords} function: one call per Kafka poll (batch mode). Stores the well-formed records of the batch
 * in one transaction and sends each record that is itself bad (malformed, or refused by the database for its data) to
 * the dead-letter topic, alone, with the reason. When the database does not take the batch for any other reason
 * (unreachable, misconfigured) the batch is thrown back whole and the container retries it ({@link IngestErrorHandling});
 * nothing is dead-lettered for that. Writes are idempotent, so a retried or replayed record is stored once.
 */
@Component("sinkRecords")
class SinkRecordsConsumer implements Consumer<Message<List<byte[]>>> {

    private static final Logger log = LoggerFactory.getLogger(SinkRecordsConsumer.class);

    private final SinkRecordParser parser;
    private final ItemWriter writer;
    private final DeadLetterPublisher deadLetters;
    private final IngestMetrics metrics;
    private final IngestStatus status;

    SinkRecordsConsumer(JsonMapper json, ItemWriter writer, DeadLetterPublisher deadLetters, IngestMetrics metrics,
                        IngestStatus status, IngestProperties properties) {
        this.parser = new SinkRecordParser(json, properties.maxItemBytes());
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.status = status;
    }

    /** A record that will go to the dead-letter topic, and why. */
    private record Rejected(IncomingRecord record, String reason) {
    }

    @Override
    public void accept(Message<List<byte[]>> batch) {
        List<IncomingRecord> records = records(batch);
        List<IncomingRecord> accepted = new ArrayList<>(records.size());
        List<StorableItem> items = new ArrayList<>(records.size());
        List<Rejected> rejected = new ArrayList<>();
        for (IncomingRecord record : records) {
            SinkRecordParser.Result result = parser.parse(record.value());
            if (result instanceof SinkRecordParser.Valid valid) {
                accepted.add(record);
                items.add(valid.item());
            } else {
                rejected.add(new Rejected(record,
                        "malformed sink record: " + ((SinkRecordParser.Malformed) result).reason()));
            }
        }
        // write first, dead-letter after: a batch retried for the database's sake then logs, counts and sends its
        // bad records once, not once per attempt
        ItemWriter.Outcome outcome = write(accepted, items, rejected);
        status.written();
        for (Rejected bad : rejected) {
            IncomingRecord record = bad.record();
            metrics.malformed();
            log.warn("Sink record {} ({} bytes) not stored: {}; sent to the dead-letter topic", record.position(),
                    record.value() == null ? 0 : record.value().length, bad.reason());
            deadLetters.publish(record, bad.reason());
            metrics.deadLettered();
        }
        metrics.batchWritten(records.size(), outcome.stored(), outcome.duplicates());
    }

    private ItemWriter.Outcome write(List<IncomingRecord> records, List<StorableItem> items, List<Rejected> rejected) {
        try {
            return refusedToRejected(writer.write(items), records, rejected, 0);
        } catch (RuntimeException e) {
            WriteFailure failure = WriteFailure.of(e);
            if (failure != WriteFailure.BAD_DATA) {
                throw new StorageUnavailableException(failure, items.size(), e);
            }
            if (items.size() == 1) {
                rejected.add(refused(records.get(0), e));
                return new ItemWriter.Outcome(0, 0, List.of());
            }
            log.warn("Batch of {} items refused by the database (SQL state {}); writing them one by one", items.size(),
                    WriteFailure.sqlState(e));
            return writeOneByOne(records, items, rejected);
        }
    }

    /** Finds the items the database refuses, so that only they are dead-lettered. */
    private ItemWriter.Outcome writeOneByOne(List<IncomingRecord> records, List<StorableItem> items,
                                             List<Rejected> rejected) {
        int stored = 0;
        int duplicates = 0;
        for (int i = 0; i < items.size(); i++) {
            try {
                ItemWriter.Outcome outcome = refusedToRejected(writer.write(List.of(items.get(i))), records,
                        rejected, i);
                stored += outcome.stored();
                duplicates += outcome.duplicates();
            } catch (RuntimeException e) {
                WriteFailure failure = WriteFailure.of(e);
                if (failure != WriteFailure.BAD_DATA) {
                    // the items written so far are skipped as duplicates when the container retries the batch
                    throw new StorageUnavailableException(failure, items.size(), e);
                }
                rejected.add(refused(records.get(i), e));
            }
        }
        return new ItemWriter.Outcome(stored, duplicates, List.of());
    }

    /** Records that do not fit their table are bad records: they join the rejected ones. */
    private static ItemWriter.Outcome refusedToRejected(ItemWriter.Outcome outcome, List<IncomingRecord> records,
                                                        List<Rejected> rejected, int offset) {
        for (ItemWriter.Refusal refusal : outcome.refused()) {
            rejected.add(new Rejected(records.get(offset + refusal.index()), "bad sink record: " + refusal.reason()));
        }
        return outcome;
    }

    private static Rejected refused(IncomingRecord record, RuntimeException e) {
        return new Rejected(record, "refused by the database: " + WriteFailure.describe(e));
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
