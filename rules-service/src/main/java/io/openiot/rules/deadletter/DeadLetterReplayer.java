package io.openiot.rules.deadletter;

import io.openiot.contracts.DeadLetterHeaders;
import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.RecordPosition;
import io.openiot.rules.engine.RulesEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Service;

/**
 * Moves dead-lettered records back through their rule after the cause was fixed: reads
 * {@link KafkaTopics#RULES_DEAD_LETTERS} from its start to its end as it is when the replay begins, and for each record
 * not replayed before runs the rule named in its {@link DeadLetterHeaders#RULE} header once more on the original
 * message. The record keeps its message id, so every output gets the same derived id as the first time and
 * de-duplication downstream drops what had already succeeded; the {@code dead_letter_replay} table makes a second
 * replay skip what the first one handled.
 */
@Service
class DeadLetterReplayer {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplayer.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final RulesEngine engine;
    private final ReplayRepository replays;
    private final KafkaProperties kafka;
    private final Clock clock;

    DeadLetterReplayer(RulesEngine engine, ReplayRepository replays, KafkaProperties kafka, Clock clock) {
        this.engine = engine;
        this.replays = replays;
        this.kafka = kafka;
        this.clock = clock;
    }

    /**
     * Replays at most {@code limit} records (those skipped as already replayed do not count).
     *
     * @param ruleName only records of this rule, or all when null
     */
    synchronized ReplayReport replay(String ruleName, int limit) {
        Counts counts = new Counts();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(KafkaTopics.RULES_DEAD_LETTERS, Duration.ofSeconds(10))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            end.values().removeIf(offset -> offset == 0);
            while (!end.isEmpty() && counts.handled() < limit) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    Long stop = end.get(partition);
                    if (stop == null || record.offset() >= stop || counts.handled() >= limit) {
                        continue;
                    }
                    replayOne(record, ruleName, counts);
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
        ReplayReport report = counts.report();
        log.info("Replayed dead letters{}: {}", ruleName == null ? "" : " of rule " + ruleName, report);
        return report;
    }

    private void replayOne(ConsumerRecord<String, byte[]> record, String wantedRule, Counts counts) {
        String ruleName = header(record, DeadLetterHeaders.RULE);
        if (ruleName == null || (wantedRule != null && !wantedRule.equals(ruleName))) {
            return;
        }
        counts.examined++;
        if (!replays.claim(record.partition(), record.offset(), ruleName, clock.instant())) {
            counts.alreadyReplayed++;
            return;
        }
        RulesEngine.ReplayResult result;
        try {
            Map<String, byte[]> headers = new HashMap<>();
            for (Header header : record.headers()) {
                headers.put(header.key(), header.value());
            }
            IotMessage message = IotMessage.fromRecord(record.key(), record.value(), headers,
                    new RecordPosition(record.topic(), record.partition(), record.offset()));
            result = engine.replay(message, ruleName);
        } catch (RuntimeException e) {
            replays.release(record.partition(), record.offset());
            throw e;
        }
        switch (result) {
            case REPLAYED -> counts.replayed++;
            case FAILED_AGAIN -> counts.failedAgain++;
            case NOT_MATCHED -> counts.notMatched++;
            case RULE_MISSING -> counts.ruleMissing++;
            case RETRY_LATER -> counts.retryLater++;
        }
        if (result == RulesEngine.ReplayResult.RULE_MISSING || result == RulesEngine.ReplayResult.RETRY_LATER) {
            replays.release(record.partition(), record.offset());
        } else {
            replays.finish(record.partition(), record.offset(), result.name());
        }
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return IotMessage.text(record.headers().lastHeader(name) == null ? null
                : record.headers().lastHeader(name).value());
    }

    private static final class Counts {
        int examined;
        int replayed;
        int failedAgain;
        int notMatched;
        int ruleMissing;
        int alreadyReplayed;
        int retryLater;

        /** Records this replay took on (counted against the limit). */
        int handled() {
            return replayed + failedAgain + notMatched + ruleMissing + retryLater;
        }

        ReplayReport report() {
            return new ReplayReport(examined, replayed, failedAgain, notMatched, ruleMissing, alreadyReplayed,
                    retryLater);
        }
    }
}
