package io.openiot.sink.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Counts what the sink does and logs it: every batch at DEBUG, a summary at INFO at most once per
 * {@link IngestProperties#summaryInterval()} (batches can arrive thousands of times a second).
 */
@Component
class IngestMetrics {

    private static final Logger log = LoggerFactory.getLogger(IngestMetrics.class);

    private final Counter stored;
    private final Counter duplicates;
    private final Counter malformed;
    private final Counter deadLettered;
    private final Clock clock;
    private final long summaryIntervalMillis;

    private final AtomicLong batchesSinceSummary = new AtomicLong();
    private final AtomicLong storedSinceSummary = new AtomicLong();
    private final AtomicLong duplicatesSinceSummary = new AtomicLong();
    private final AtomicLong malformedSinceSummary = new AtomicLong();
    private final AtomicLong lastSummary;

    IngestMetrics(MeterRegistry registry, Clock clock, IngestProperties properties) {
        this.stored = Counter.builder("sink.items.stored").description("Items inserted into a table")
                .register(registry);
        this.duplicates = Counter.builder("sink.items.duplicates")
                .description("Redelivered items skipped because their source message was already stored")
                .register(registry);
        this.malformed = Counter.builder("sink.records.malformed")
                .description("Records that could not be read as a storable SinkRecord").register(registry);
        this.deadLettered = Counter.builder("sink.records.dead-lettered")
                .description("Records the sink sent to its dead-letter topic itself").register(registry);
        this.clock = clock;
        this.summaryIntervalMillis = properties.summaryInterval().toMillis();
        this.lastSummary = new AtomicLong(clock.millis());
    }

    void malformed() {
        malformed.increment();
        malformedSinceSummary.incrementAndGet();
    }

    void deadLettered() {
        deadLettered.increment();
    }

    void batchWritten(int records, int storedItems, int duplicateItems) {
        stored.increment(storedItems);
        duplicates.increment(duplicateItems);
        batchesSinceSummary.incrementAndGet();
        storedSinceSummary.addAndGet(storedItems);
        duplicatesSinceSummary.addAndGet(duplicateItems);
        log.debug("Batch of {} records: {} items stored, {} duplicates skipped", records, storedItems, duplicateItems);
        summarizeIfDue();
    }

    private void summarizeIfDue() {
        long now = clock.millis();
        long last = lastSummary.get();
        // only one consumer thread wins the right to log a summary for this interval
        if (now - last < summaryIntervalMillis || !lastSummary.compareAndSet(last, now)) {
            return;
        }
        long batches = batchesSinceSummary.getAndSet(0);
        long storedItems = storedSinceSummary.getAndSet(0);
        long duplicateItems = duplicatesSinceSummary.getAndSet(0);
        long malformedRecords = malformedSinceSummary.getAndSet(0);
        log.info("Stored {} items in {} batches over the last {} s ({} duplicates skipped, {} malformed records)",
                storedItems, batches, (now - last) / 1000, duplicateItems, malformedRecords);
    }
}
