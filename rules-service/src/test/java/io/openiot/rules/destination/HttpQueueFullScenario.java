package io.openiot.rules.destination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.rules.RulesServiceTestBase;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * A destination whose endpoint is slower than the messages that reach it, with a queue of 2 and one request in flight,
 * so that most of a burst finds the queue full; next to it, a rule on the same messages that republishes. The two
 * subclasses run it with {@code iot.rules.destinations.queue-full-transient} false (the default) and true.
 *
 * <p>Each subclass is its own application context (the setting differs), with its own database and its own consumer
 * group on {@code iot.messages}, so that it sees every record while the shared test context skips them (it has no
 * rule for these topics); it is closed after its class.
 */
@TestPropertySource(properties = {"iot.rules.destinations.queue-capacity=2", "iot.rules.destinations.concurrency=1",
        "iot.rules.engine.retry.max-interval=1s"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class HttpQueueFullScenario extends RulesServiceTestBase {

    static final int BURST = 12;
    /** How long the endpoint takes per request: the burst needs BURST times this to get through one lane. */
    static final long SLOW_MILLIS = 1500;

    @Autowired
    MeterRegistry meters;

    /** What the scenario left behind, for the subclass to judge. */
    record Outcome(TestEndpoint endpoint, List<ConsumerRecord<String, byte[]>> flowed, long flowedWithinMillis,
                   List<ConsumerRecord<String, byte[]>> errors, List<ConsumerRecord<String, byte[]>> all) {
    }

    /** Creates both rules, sends the burst, and waits until every message has an outcome on the slow rule. */
    Outcome runBurst(String fleet, TestEndpoint endpoint) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20), new StringSerializer(),
                new ByteArraySerializer());
             KafkaConsumer<String, byte[]> messages = reader()) {
            enabledDestination(endpoint);
            createRule(newRuleName("slow"), """
                    {"sql": "SELECT * FROM 'iot/%s/+'",
                     "actions": [{"http": {"url": "%s/data", "confirmationUrl": "%s"}}],
                     "errorAction": {"republish": {"topic": "errors/%s/${topic(3)}"}}}"""
                    .formatted(fleet, endpoint.base, endpoint.base, fleet));
            createRule(newRuleName("flowing"), """
                    {"sql": "SELECT * FROM 'iot/%s/#'",
                     "actions": [{"republish": {"topic": "flow/%s/${topic(3)}"}}]}""".formatted(fleet, fleet));

            List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
            // this context's consumer has joined its group and runs the rules: a probe only the flowing rule matches
            // comes out, so the burst below is timed from its send, not from a consumer still starting
            send(producer, "iot/" + fleet + "/probe/ready", "{}").get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
                messages.poll(Duration.ofMillis(100)).forEach(all::add);
                return !startingWith(all, "flow/" + fleet + "/probe").isEmpty();
            });

            long start = System.nanoTime();
            List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                sends.add(send(producer, "iot/" + fleet + "/dev-" + i, "{\"n\": " + i + "}"));
            }
            for (java.util.concurrent.Future<?> send : sends) {
                send.get(30, TimeUnit.SECONDS);
            }

            long[] flowedAt = {0};
            // every message ends either at the endpoint (a 200) or in the error action
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
                messages.poll(Duration.ofMillis(100)).forEach(all::add);
                if (flowedAt[0] == 0 && startingWith(all, "flow/" + fleet + "/dev-").size() >= BURST) {
                    flowedAt[0] = System.nanoTime();
                }
                return flowedAt[0] != 0
                        && endpoint.answered() + startingWith(all, "errors/" + fleet + "/").size() >= BURST;
            });
            // nothing more is on its way: no request or error action beyond one per message
            Thread.sleep(2 * SLOW_MILLIS);
            messages.poll(Duration.ofMillis(500)).forEach(all::add);
            return new Outcome(endpoint, startingWith(all, "flow/" + fleet + "/dev-"),
                    TimeUnit.NANOSECONDS.toMillis(flowedAt[0] - start), startingWith(all, "errors/" + fleet + "/"),
                    all);
        }
    }

    private static java.util.concurrent.Future<?> send(KafkaProducer<String, byte[]> producer, String topic,
                                                       String payload) {
        String id = UUID.randomUUID().toString();
        IotMessage message = new IotMessage(topic, payload.getBytes(UTF_8), 0, false, "sensor-1", null, null,
                System.currentTimeMillis(), id, id, "gateway/test", 0);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(KafkaTopics.MESSAGES, topic, message.payload());
        message.headers().forEach((name, value) -> record.headers().add(name, value));
        return producer.send(record);
    }

    double transientHttpFailures() {
        var counter = Search.in(meters).name("iot.rules.actions.transient-failures").tag("action", "http")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    /** An endpoint that takes {@link #SLOW_MILLIS} per request and then accepts it. */
    static TestEndpoint slowEndpoint(String fleet) throws java.io.IOException {
        return new TestEndpoint("/" + fleet, n -> {
            try {
                Thread.sleep(SLOW_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 200;
        });
    }

    static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static List<ConsumerRecord<String, byte[]>> startingWith(List<ConsumerRecord<String, byte[]>> records,
                                                            String prefix) {
        return records.stream().filter(r -> r.key() != null && r.key().startsWith(prefix)).toList();
    }

    private KafkaConsumer<String, byte[]> reader() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedKafkaServer.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG,
                "http-queue-test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(KafkaTopics.MESSAGES));
        // joined and positioned before anything is sent
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            consumer.poll(Duration.ofMillis(100));
            return !consumer.assignment().isEmpty();
        });
        consumer.assignment().forEach(consumer::position);
        return consumer;
    }

    private void enabledDestination(TestEndpoint endpoint) {
        ResponseEntity<String> created = post("/destinations", """
                {"destinationConfiguration": {"httpUrlConfiguration": {"confirmationUrl": "%s"}}}"""
                .formatted(endpoint.base));
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(HttpStatus.OK);
        await().atMost(Duration.ofSeconds(30)).until(() -> !endpoint.confirmations.isEmpty());
        String token = json.readTree(endpoint.confirmations.get(0).body()).get("confirmationToken").asString();
        assertThat(post("/confirmdestination/" + token, "").getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    private void createRule(String name, String payload) {
        ResponseEntity<String> response = post("/rules/" + name, payload);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(HttpStatus.OK);
    }
}
