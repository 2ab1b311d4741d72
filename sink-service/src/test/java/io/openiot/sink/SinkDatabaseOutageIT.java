package io.openiot.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.SinkRecord;
import io.openiot.testsupport.EmbeddedKafkaServer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.cloud.stream.binder.kafka.KafkaBindingRebalanceListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 6, scenario 2: the sink's PostgreSQL stops for 20 s while sink records keep arriving at a steady rate, then
 * starts again on the same data directory and port. Every record must be stored exactly once, none dead-lettered.
 * The sink has a PostgreSQL server of its own here ({@link SinkWithOwnDatabase}), not the shared test server.
 */
@Timeout(600)
class SinkDatabaseOutageIT {

    private static final int RATE_PER_SECOND = 250;
    private static final int TOTAL = 10_000;
    private static final Duration OUTAGE_AFTER = Duration.ofSeconds(6);
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(180);
    private static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(10);
    private static final String TABLE = "outage";

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aTwentySecondDatabaseOutageUnderLoadLosesDuplicatesAndDeadLettersNothing() throws Exception {
        long deadLettersBefore = SinkWithOwnDatabase.deadLettersEver();
        RebalanceWatch rebalances = new RebalanceWatch();
        KafkaProducer<String, byte[]> producer = null;
        // a poll interval of 10 s, half the outage: a consumer that stopped polling while it waits would be evicted
        try (SinkWithOwnDatabase sink = SinkWithOwnDatabase.start(
                context -> context.getBeanFactory().registerSingleton("rebalanceWatch", rebalances),
                "--spring.cloud.stream.kafka.bindings.sinkRecords-in-0.consumer.configuration.max.poll.interval.ms="
                        + MAX_POLL_INTERVAL.toMillis())) {
            String brokers = EmbeddedKafkaServer.bootstrapServers();
            MeterRegistry meters = sink.application().getBean(MeterRegistry.class);

            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer());
            AtomicInteger acknowledged = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            AtomicInteger produced = new AtomicInteger();
            KafkaProducer<String, byte[]> load = producer;
            Thread loadThread = new Thread(() -> {
                long start = System.nanoTime();
                for (int i = 0; i < TOTAL; i++) {
                    long due = start + TimeUnit.SECONDS.toNanos(1) * i / RATE_PER_SECOND;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                    SinkRecord record = new SinkRecord(TABLE, "device-" + (i % 50), null,
                            json.readTree("{\"n\":" + i + "}"), id(i), 1_714_564_800_000L + i);
                    load.send(new ProducerRecord<>(KafkaTopics.SINK_RECORDS, record.kafkaKey(),
                            json.writeValueAsBytes(record)), (metadata, error) -> {
                        if (error == null) {
                            acknowledged.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    });
                    produced.incrementAndGet();
                }
            }, "sink-load");
            loadThread.start();

            // the outage starts once the sink demonstrably stores (its consumer has its partitions) and some time on
            long loadStarted = System.nanoTime();
            while (sink.countStored(TABLE).total() == 0 || System.nanoTime() - loadStarted < OUTAGE_AFTER.toNanos()) {
                assertThat(System.nanoTime() - loadStarted).as("time until the sink stores")
                        .isLessThan(TimeUnit.SECONDS.toNanos(60));
                Thread.sleep(100);
            }
            long storedBeforeOutage = sink.countStored(TABLE).total();
            int producedAtStop = produced.get();
            sink.stopDatabase();
            long stoppedAt = System.nanoTime();
            System.out.printf("PostgreSQL stopped with %d records produced, %d stored%n", produced.get(),
                    storedBeforeOutage);
            Thread.sleep(OUTAGE.toMillis());
            int producedDuringOutage = produced.get();
            sink.startDatabase();
            long backAt = System.nanoTime();
            int producedAtRestart = produced.get();
            System.out.printf("PostgreSQL started again after %d ms with %d records produced%n",
                    TimeUnit.NANOSECONDS.toMillis(backAt - stoppedAt), producedAtRestart);

            long backlogDrainedAt = 0;
            long allStoredAt = 0;
            long deadline = backAt + CATCH_UP_LIMIT.toNanos();
            SinkWithOwnDatabase.Stored stored = new SinkWithOwnDatabase.Stored(0, 0);
            while (System.nanoTime() < deadline) {
                stored = sink.countStored(TABLE);
                if (backlogDrainedAt == 0 && stored.total() >= producedAtRestart) {
                    backlogDrainedAt = System.nanoTime();
                }
                if (stored.total() >= TOTAL) {
                    allStoredAt = System.nanoTime();
                    break;
                }
                Thread.sleep(100);
            }
            loadThread.join(TimeUnit.SECONDS.toMillis(60));
            producer.flush();

            Set<String> ids = sink.storedIds(TABLE);
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < TOTAL; i++) {
                expected.add(id(i));
            }
            Set<String> lost = new HashSet<>(expected);
            lost.removeAll(ids);
            long deadLettered = SinkWithOwnDatabase.deadLettersEver() - deadLettersBefore;
            long rebalancesSinceOutage = rebalances.since(stoppedAt);
            double retries = meters.find("sink.write.retries").tag("cause", "unavailable").counter().count();

            System.out.printf("""
                    Sink database outage (%d s under %d records/s):
                      produced      %d (acknowledged by Kafka %d, failed %d)
                      stored        %d distinct ids, %d rows
                      lost          %d
                      duplicated    %d
                      dead-lettered %d
                      failed write attempts while the database was away: %.0f
                      partition revocations or assignments since the outage began: %d (max.poll.interval.ms %d)
                      database back -> backlog of %d records stored: %s ms
                      database back -> all %d records stored: %s ms
                    """, OUTAGE.toSeconds(), RATE_PER_SECOND, produced.get(), acknowledged.get(), failed.get(),
                    stored.distinct(), stored.total(), lost.size(), stored.total() - stored.distinct(), deadLettered,
                    retries, rebalancesSinceOutage, MAX_POLL_INTERVAL.toMillis(), producedAtRestart, millisSince(backAt, backlogDrainedAt), TOTAL,
                    millisSince(backAt, allStoredAt));

            assertThat(failed.get()).as("records Kafka did not take").isZero();
            assertThat(acknowledged.get()).isEqualTo(TOTAL);
            assertThat(storedBeforeOutage).as("the sink was storing before the outage").isPositive();
            assertThat(producedDuringOutage).as("records kept arriving while the database was away")
                    .isGreaterThan(producedAtStop + RATE_PER_SECOND * 10);
            assertThat(retries).as("the sink noticed the outage").isPositive();
            assertThat(rebalances.since(Long.MIN_VALUE)).as("the watch saw the first assignment").isPositive();
            assertThat(rebalancesSinceOutage).as("the consumer kept its partitions while it waited").isZero();
            assertThat(lost).as("lost ids").isEmpty();
            assertThat(stored.total()).as("rows, so no id twice").isEqualTo(TOTAL);
            assertThat(ids).isEqualTo(expected);
            assertThat(deadLettered).as("dead-lettered records").isZero();
        } finally {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
        }
    }

    /** When the sink's consumer lost or got partitions. */
    static final class RebalanceWatch implements KafkaBindingRebalanceListener {

        private final List<Long> events = new CopyOnWriteArrayList<>();

        @Override
        public void onPartitionsRevokedBeforeCommit(String bindingName, Consumer<?, ?> consumer,
                                                    Collection<TopicPartition> partitions) {
            events.add(System.nanoTime());
        }

        @Override
        public void onPartitionsAssigned(String bindingName, Consumer<?, ?> consumer,
                                         Collection<TopicPartition> partitions, boolean initial) {
            events.add(System.nanoTime());
        }

        long since(long nanoTime) {
            return events.stream().filter(event -> event >= nanoTime).count();
        }
    }

    private static String id(int i) {
        return "outage-msg-" + i;
    }

    private static String millisSince(long from, long to) {
        return to == 0 ? "not reached" : Long.toString(TimeUnit.NANOSECONDS.toMillis(to - from));
    }
}
