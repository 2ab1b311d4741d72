package io.openiot.rules.action;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.testsupport.EmbeddedKafkaServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test helpers: device records onto {@code iot.messages}, and what lands on an output topic. */
final class KafkaRecords implements AutoCloseable {

    static final long T0 = 1_714_564_800_000L;
    static final Duration WAIT = Duration.ofSeconds(60);

    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    private final List<KafkaConsumer<String, byte[]>> consumers = new ArrayList<>();

    /** Puts a device message on {@code iot.messages}, as the gateway would. */
    IotMessage send(String topic, String payload, String id) {
        IotMessage message = new IotMessage(topic, payload.getBytes(UTF_8), 0, false, "sensor-1", null, null, T0, id,
                id, "gateway/test", 0);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(KafkaTopics.MESSAGES, topic, message.payload());
        message.headers().forEach((name, value) -> record.headers().add(name, value));
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not produce a test record", e);
        }
        return message;
    }

    IotMessage send(String topic, String payload) {
        return send(topic, payload, UUID.randomUUID().toString());
    }

    /** A consumer of a topic from its start; the topic may not exist yet (metadata is refreshed every 500 ms). */
    Reader reader(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "rules-action-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        consumers.add(consumer);
        return new Reader(consumer);
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumers.forEach(consumer -> consumer.close(Duration.ofSeconds(5)));
    }

    static final class Reader {
        private final KafkaConsumer<String, byte[]> consumer;
        final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

        Reader(KafkaConsumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        /** Waits until at least {@code count} records have arrived; returns all so far. */
        List<ConsumerRecord<String, byte[]>> await(int count, Duration atMost) {
            org.awaitility.Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
                poll(Duration.ofMillis(200));
                return records.size() >= count;
            });
            return records;
        }

        List<ConsumerRecord<String, byte[]>> await(int count) {
            return await(count, WAIT);
        }

        void poll(Duration duration) {
            consumer.poll(duration).forEach(records::add);
        }
    }
}
