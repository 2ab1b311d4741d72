package io.openiot.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class RestartableKafkaBrokerTest {

    @Test
    void recordsWrittenBeforeAStopAreReadableAfterTheRestartAndTheSameProducerCarriesOn() throws Exception {
        try (RestartableKafkaBroker broker = new RestartableKafkaBroker(1)) {
            broker.start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("restart-probe", 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000), new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>("restart-probe", "k", "before")).get(30, TimeUnit.SECONDS);

                broker.stop();
                assertThat(broker.isRunning()).isFalse();
                // send may block (metadata goes with the broker), so it runs on a thread of its own
                ExecutorService sender = Executors.newSingleThreadExecutor();
                Future<?> whileAway = sender.submit(() -> producer.send(
                        new ProducerRecord<>("restart-probe", "k", "while-away")).get(90, TimeUnit.SECONDS));
                Thread.sleep(2000);
                assertThat(whileAway).isNotDone();
                broker.start();

                // held by the producer while the broker was away, delivered once it is back
                whileAway.get(90, TimeUnit.SECONDS);
                sender.shutdown();
                producer.send(new ProducerRecord<>("restart-probe", "k", "after")).get(30, TimeUnit.SECONDS);
            }
            assertThat(readAll(broker, "restart-probe")).containsExactly("before", "while-away", "after");
        }
    }

    @Test
    void aStoppedBrokerRefusesClients() throws Exception {
        try (RestartableKafkaBroker broker = new RestartableKafkaBroker(1)) {
            broker.start();
            broker.stop();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers(), AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1500,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000))) {
                assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class);
            }
        }
    }

    private static List<String> readAll(RestartableKafkaBroker broker, String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<String> values = new ArrayList<>();
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    values.add(record.value());
                }
            }
            return values;
        }
    }
}
