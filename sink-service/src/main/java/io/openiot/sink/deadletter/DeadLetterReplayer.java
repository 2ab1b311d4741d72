package io.openiot.sink.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Moves dead letters back onto the sink's input topic, oldest first per partition. The consumer group
 * {@link DeadLetterProperties#replayGroup()} remembers how far replays got: its offsets are committed only after
 * Kafka acknowledged every copy, so a replay cut short by a crash sends some records again on the next request, and
 * that is harmless because the sink stores a record once per table and {@code sourceMessageId}.
 *
 * <p>Only records that were on the topic when the request started are moved: a record that fails again and comes
 * back to the dead-letter topic waits for the next request instead of looping.
 */
@Service
class DeadLetterReplayer {

    /** Header on a replayed copy: where on the dead-letter topic it came from ({@code topic-partition@offset}). */
    static final String REPLAYED_FROM = "iot_replayed_from";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplayer.class);

    private final DeadLetterProperties properties;

    DeadLetterReplayer(DeadLetterProperties properties) {
        this.properties = properties;
    }

    /** Dead letters not replayed yet. */
    DeadLetterSummary summary() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer);
            return new DeadLetterSummary(properties.topic(), pending(consumer, partitions));
        } catch (KafkaException e) {
            throw unavailable(e);
        }
    }

    /** Replays up to {@code limit} dead letters; one replay at a time per instance, so two never send the same. */
    synchronized ReplayResult replay(int limit) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer();
             KafkaProducer<byte[], byte[]> producer = producer()) {
            List<TopicPartition> partitions = partitions(consumer);
            if (partitions.isEmpty()) {
                return new ReplayResult(0, 0);
            }
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions), timeout());
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = committed.get(partition);
                if (offset == null) {
                    consumer.seekToBeginning(List.of(partition));
                } else {
                    consumer.seek(partition, offset.offset());
                }
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout());
            Map<TopicPartition, OffsetAndMetadata> replayedUpTo = new HashMap<>();
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            long deadline = System.nanoTime() + properties.timeout().toNanos();
            while (sends.size() < limit && !caughtUp(consumer, partitions, end)) {
                if (System.nanoTime() > deadline) {
                    throw new DeadLettersUnavailableException("dead letters could not be read within "
                            + properties.timeout() + "; nothing was committed, repeat the request");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (sends.size() >= limit || record.offset() >= end.get(partition)) {
                        continue;
                    }
                    ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(properties.replayTopic(), null,
                            record.key(), record.value());
                    copy.headers().add(REPLAYED_FROM, (record.topic() + "-" + record.partition() + "@"
                            + record.offset()).getBytes(StandardCharsets.UTF_8));
                    sends.add(producer.send(copy));
                    replayedUpTo.put(partition, new OffsetAndMetadata(record.offset() + 1));
                }
                // positions past the limit are not committed: the records after it stay for the next request
            }
            producer.flush();
            for (Future<RecordMetadata> send : sends) {
                send.get(properties.timeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            if (!replayedUpTo.isEmpty()) {
                consumer.commitSync(replayedUpTo, timeout());
            }
            long remaining = 0;
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata upTo = replayedUpTo.getOrDefault(partition, committed.get(partition));
                long from = upTo != null ? upTo.offset() : consumer.beginningOffsets(List.of(partition), timeout())
                        .get(partition);
                remaining += Math.max(0, end.get(partition) - from);
            }
            log.info("Replayed {} dead letters onto {}; {} left", sends.size(), properties.replayTopic(), remaining);
            return new ReplayResult(sends.size(), remaining);
        } catch (KafkaException | ExecutionException | TimeoutException e) {
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        }
    }

    private boolean caughtUp(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions,
                             Map<TopicPartition, Long> end) {
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition, timeout()) < end.get(partition)) {
                return false;
            }
        }
        return true;
    }

    private long pending(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions), timeout());
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, timeout());
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout());
        long pending = 0;
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            long from = Math.max(beginning.get(partition), offset == null ? 0 : offset.offset());
            pending += Math.max(0, end.get(partition) - from);
        }
        return pending;
    }

    private List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer) {
        List<PartitionInfo> infos = consumer.listTopics(timeout()).get(properties.topic());
        return infos == null ? List.of()
                : infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, properties.replayGroup(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) properties.timeout().toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(properties.timeout().toMillis() / 2, 30_000),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, properties.timeout().toMillis()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private Duration timeout() {
        return properties.timeout();
    }

    private static DeadLettersUnavailableException unavailable(Exception e) {
        log.warn("Dead letters not reachable: {}", e.toString());
        return new DeadLettersUnavailableException("Kafka did not answer: " + e.getClass().getSimpleName()
                + "; nothing was committed, repeat the request");
    }
}
