package io.openiot.rules.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.openiot.contracts.DeadLetterHeaders;
import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageHeaders;
import io.openiot.contracts.MessageIds;
import io.openiot.rules.RulesApplication;
import io.openiot.testsupport.EmbeddedKafkaServer;
import io.openiot.testsupport.EmbeddedPostgresServer;
import io.openiot.testsupport.TestTokenIssuer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fault injection on the rules engine's message path, under load from a Kafka producer (the rules service sees only
 * Kafka), with real Kafka and PostgreSQL. Instances are whole rules-service applications sharing one database (so the
 * same rules) and one consumer group. Every output is counted by its derived id: lost = expected ids never seen,
 * duplicated = records beyond the first with the same id.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class RulesReliabilityIT {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static EmbeddedPostgresServer.DatabaseCoordinates database;
    private static String brokers;
    private static ConfigurableApplicationContext first;
    private static KafkaProducer<String, byte[]> producer;
    private static Admin admin;

    @BeforeAll
    static void start() {
        brokers = EmbeddedKafkaServer.bootstrapServers();
        database = EmbeddedPostgresServer.freshDatabase("rules");
        first = startInstance();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers));
    }

    @AfterAll
    static void stop() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        first.close();
    }

    /** A rules-service replica: its own HTTP port and consumers, the shared database and broker. */
    private static ConfigurableApplicationContext startInstance() {
        return startInstance(database, Map.of());
    }

    private static ConfigurableApplicationContext startInstance(EmbeddedPostgresServer.DatabaseCoordinates db,
                                                                Map<String, Object> more) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.port", 0);
        properties.put("spring.datasource.url", db.jdbcUrl());
        properties.put("spring.datasource.username", db.username());
        properties.put("spring.datasource.password", db.password());
        properties.put("spring.kafka.bootstrap-servers", brokers);
        properties.put("spring.cloud.stream.kafka.binder.brokers", brokers);
        properties.put("iot.rules.refresh-interval", "1s");
        properties.put("iot.security.platform-issuer-uri", TestTokenIssuer.shared().issuerUri());
        // fail a refused send within seconds, not the production 30 s, so that the tests see several retries
        properties.put("spring.kafka.producer.properties.request.timeout.ms", 2000);
        properties.put("spring.kafka.producer.properties.delivery.timeout.ms", 4000);
        properties.put("spring.kafka.producer.properties.max.block.ms", 3000);
        properties.put("iot.rules.engine.retry.initial-interval", "200ms");
        properties.put("iot.rules.engine.retry.max-interval", "2s");
        properties.putAll(more);
        // as command-line arguments: they must win over rules-service.yml, as the launcher's settings do
        return RulesApplication.application().run(properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    private static RestClient http(ConfigurableApplicationContext context) {
        return RestClient.builder()
                .baseUrl("http://localhost:" + context.getEnvironment().getProperty("local.server.port"))
                .requestInterceptor(TestTokenIssuer.bearer(TestTokenIssuer.shared().adminToken())).build();
    }

    private static void createRule(String name, String payload) {
        assertThat(http(first).post().uri("/rules/" + name).contentType(MediaType.APPLICATION_JSON).body(payload)
                .retrieve().toBodilessEntity().getStatusCode()).isEqualTo(HttpStatus.OK);
        // every instance reloads its rules within the refresh interval
        sleep(Duration.ofMillis(2500));
    }

    @Test
    void onePoisonedRecordAmongGoodOnesIsTheOnlyOneDeadLetteredAndItsNeighboursAreProcessedOnce() {
        String fleet = "poison" + suffix();
        String rule = "poison_" + suffix();
        String table = "p_" + fleet;
        createRule(rule, """
                {"sql": "SELECT * FROM 'iot/%s/+'",
                 "actions": [{"dynamoDB": {"tableName": "%s", "hashKeyField": "n", "hashKeyValue": "${n}",
                                           "hashKeyType": "NUMBER"}},
                             {"republish": {"topic": "copy/%s/${topic(3)}"}}]}""".formatted(fleet, table, fleet));
        Collector sink = new Collector(KafkaTopics.SINK_RECORDS, r -> r.key().startsWith(table + "|"),
                r -> JSON.readTree(r.value()).get("sourceMessageId").asString());
        Collector copies = new Collector(KafkaTopics.MESSAGES, r -> r.key().startsWith("copy/" + fleet + "/"),
                r -> header(r, MessageHeaders.MESSAGE_ID));
        Collector dead = new Collector(KafkaTopics.RULES_DEAD_LETTERS, r -> rule.equals(header(r, DeadLetterHeaders.RULE)),
                r -> header(r, MessageHeaders.MESSAGE_ID));
        int total = 2000;

        long started = System.nanoTime();
        List<IotMessage> sent = produce(total, i -> message("iot/" + fleet + "/car-" + (i % 24),
                i % 500 == 250 ? "{\"n\":\"not-a-number\"}" : "{\"n\":" + i + "}"));
        List<IotMessage> poisoned = sent.stream().filter(m -> new String(m.payload(), UTF_8).contains("not-a"))
                .toList();
        Set<String> expectedSink = ids(sent.stream().filter(m -> !poisoned.contains(m)).toList(), rule,
                "dynamoDB:" + table);
        Set<String> expectedCopies = ids(sent, rule, "republish:copy/" + fleet + "/${topic(3)}");

        sink.awaitAll(expectedSink);
        copies.awaitAll(expectedCopies);
        dead.awaitAll(poisoned.stream().map(IotMessage::messageId).collect(Collectors.toSet()));
        double seconds = (System.nanoTime() - started) / 1e9;
        settle(sink, copies, dead);

        report("4 poisoned record", total, sink.size() + copies.size() + dead.size(),
                missing(expectedSink, sink) + missing(expectedCopies, copies), sink.duplicates() + copies.duplicates(),
                "all processed %.1f s after the first send".formatted(seconds));
        assertThat(dead.ids()).containsOnlyKeys(poisoned.stream().map(IotMessage::messageId).toList());
        assertThat(dead.duplicates()).isZero();
        assertThat(sink.ids()).containsOnlyKeys(expectedSink);
        assertThat(sink.duplicates()).isZero();
        assertThat(copies.ids()).containsOnlyKeys(expectedCopies);
        assertThat(copies.duplicates()).isZero();
        ConsumerRecord<String, byte[]> letter = dead.records().get(0);
        assertThat(header(letter, DeadLetterHeaders.REASON)).isEqualTo("action-failed");
        assertThat(header(letter, DeadLetterHeaders.FAILED_ACTION)).isEqualTo("DynamoAction:" + table);
        sink.close();
        copies.close();
        dead.close();
    }

    @Test
    void aRepublishThatFailsPermanentlyFeedsTheErrorActionWithAwsPayloadAndTheOffsetsMoveOn() throws Exception {
        String fleet = "perm" + suffix();
        String rule = "perm_" + suffix();
        createRule(rule, """
                {"sql": "SELECT * FROM 'iot/%s/+'",
                 "actions": [{"republish": {"topic": "out/%s/${dest}"}}],
                 "errorAction": {"republish": {"topic": "errors/%s"}}}""".formatted(fleet, fleet, fleet));
        Collector out = new Collector(KafkaTopics.MESSAGES, r -> r.key().startsWith("out/" + fleet + "/"),
                r -> header(r, MessageHeaders.MESSAGE_ID));
        Collector errors = new Collector(KafkaTopics.MESSAGES, r -> r.key().equals("errors/" + fleet),
                r -> header(r, MessageHeaders.MESSAGE_ID));
        int total = 1000;

        long started = System.nanoTime();
        List<IotMessage> sent = produce(total, i -> message("iot/" + fleet + "/car-" + (i % 24),
                "{\"dest\":\"" + (i % 100 == 7 ? "a/#" : "d" + i) + "\"}"));
        Map<TopicPartition, Long> endAfterSending = endOffsets(KafkaTopics.MESSAGES);
        List<IotMessage> bad = sent.stream().filter(m -> new String(m.payload(), UTF_8).contains("a/#")).toList();
        Set<String> expectedOut = ids(sent.stream().filter(m -> !bad.contains(m)).toList(), rule,
                "republish:out/" + fleet + "/${dest}");
        Set<String> expectedErrors = ids(bad, rule, "errorAction:republish:errors/" + fleet);

        out.awaitAll(expectedOut);
        errors.awaitAll(expectedErrors);
        // the group's committed offsets pass every record produced so far: nothing waits behind the failures
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("rules-service")
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return endAfterSending.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                    && committed.get(e.getKey()).offset() >= e.getValue());
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        settle(out, errors);

        report("5 permanent republish failure", total, out.size() + errors.size(), missing(expectedOut, out)
                + missing(expectedErrors, errors), out.duplicates() + errors.duplicates(),
                "offsets committed past the load %.1f s after the first send".formatted(seconds));
        assertThat(out.ids()).containsOnlyKeys(expectedOut);
        assertThat(errors.ids()).containsOnlyKeys(expectedErrors);
        assertThat(out.duplicates() + errors.duplicates()).isZero();
        for (ConsumerRecord<String, byte[]> error : errors.records()) {
            JsonNode payload = JSON.readTree(error.value());
            IotMessage source = bad.stream().filter(m -> m.traceId().equals(payload.get("cloudwatchTraceId")
                    .asString())).findFirst().orElseThrow();
            assertThat(payload.get("ruleName").asString()).isEqualTo(rule);
            assertThat(payload.get("topic").asString()).isEqualTo(source.topic());
            assertThat(payload.get("clientId").asString()).isEqualTo("load-client");
            assertThat(Base64.getDecoder().decode(payload.get("base64OriginalPayload").asString()))
                    .isEqualTo(source.payload());
            assertThat(payload.get("failures")).hasSize(1);
            assertThat(payload.get("failures").get(0).get("failedAction").asString()).isEqualTo("RepublishAction");
            assertThat(payload.get("failures").get(0).get("failedResource").asString())
                    .isEqualTo("out/" + fleet + "/a/#");
            assertThat(payload.get("failures").get(0).get("errorMessage").asString()).isNotBlank();
        }
        out.close();
        errors.close();
    }

    @Test
    void whileTheSinkTopicIsMissingNothingIsDeadLetteredAndEverythingArrivesOnceTheCauseIsGone()
            throws Exception {
        String fleet = "outage" + suffix();
        String rule = "outage_" + suffix();
        String table = "t_" + fleet;
        createRule(rule, """
                {"sql": "SELECT * FROM 'iot/%s/+'",
                 "actions": [{"dynamoDB": {"tableName": "%s", "hashKeyField": "car", "hashKeyValue": "${topic(3)}",
                                           "rangeKeyField": "i", "rangeKeyValue": "${i}"}},
                             {"republish": {"topic": "seen/%s/${topic(3)}"}}]}""".formatted(fleet, table, fleet));
        Collector copies = new Collector(KafkaTopics.MESSAGES, r -> r.key().startsWith("seen/" + fleet + "/"),
                r -> header(r, MessageHeaders.MESSAGE_ID));
        Collector dead = new Collector(KafkaTopics.RULES_DEAD_LETTERS,
                r -> rule.equals(header(r, DeadLetterHeaders.RULE)), r -> header(r, MessageHeaders.MESSAGE_ID));
        MeterRegistry meters = first.getBean(MeterRegistry.class);
        double deadBefore = deadLetterCount(meters);
        int total = 600;

        // the fault: the sink topic does not exist (auto-creation is off), so every write to it fails (no
        // metadata, unknown topic: both retriable) while the rest of the bus works
        deleteTopic(KafkaTopics.SINK_RECORDS);
        List<IotMessage> sent;
        AtomicReference<Double> waitingSeen = new AtomicReference<>(0.0);
        Collector sink;
        try {
            sent = produce(total, i -> message("iot/" + fleet + "/car-" + (i % 24), "{\"i\":" + i + "}"));
            // the engine holds the batches: their republished copies land once, the storage writes do not
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                copies.poll();
                waitingSeen.accumulateAndGet(meters.get("iot.rules.retry.waiting").gauge().value(), Math::max);
                assertThat(waitingSeen.get()).isPositive();
                assertThat(meters.get("iot.rules.actions.transient-failures").tag("action", "dynamoDB").counter()
                        .count()).isGreaterThan(2);
            });
            sleep(Duration.ofSeconds(8));
            assertThat(dead.size()).isZero();
        } finally {
            admin.createTopics(List.of(new NewTopic(KafkaTopics.SINK_RECORDS, 6, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        long cleared = System.nanoTime();
        // read the new topic from its start: nothing of this rule can have been written before
        sink = new Collector(KafkaTopics.SINK_RECORDS, r -> r.key().startsWith(table + "|"),
                r -> JSON.readTree(r.value()).get("sourceMessageId").asString());
        Set<String> expectedSink = ids(sent, rule, "dynamoDB:" + table);
        Set<String> expectedCopies = ids(sent, rule, "republish:seen/" + fleet + "/${topic(3)}");
        sink.awaitAll(expectedSink);
        copies.awaitAll(expectedCopies);
        double recovery = (System.nanoTime() - cleared) / 1e9;
        await().atMost(WAIT).until(() -> meters.get("iot.rules.retry.waiting").gauge().value() == 0);
        settle(sink, copies, dead);

        report("transient: sink topic missing", total, sink.size() + copies.size(),
                missing(expectedSink, sink) + missing(expectedCopies, copies), sink.duplicates() + copies.duplicates(),
                "caught up %.1f s after the cause was removed".formatted(recovery));
        assertThat(sink.ids()).containsOnlyKeys(expectedSink);
        // the actions that had succeeded were not repeated by the retries
        assertThat(copies.ids()).containsOnlyKeys(expectedCopies);
        assertThat(copies.duplicates()).isZero();
        assertThat(dead.size()).isZero();
        assertThat(deadLetterCount(meters)).isEqualTo(deadBefore);
        sink.close();
        copies.close();
        dead.close();
    }

    @Test
    void withAMaxRetryDurationTransientFailuresAreDeadLetteredOnceItIsOver() throws Exception {
        // its own database (its own rules) and group, so that the other instance's settings do not mix in
        ConfigurableApplicationContext bounded = startInstance(EmbeddedPostgresServer.freshDatabase("rulesbounded"),
                Map.of("iot.rules.engine.retry.max-duration", "3s",
                        "spring.cloud.stream.bindings.iotMessages-in-0.group", "rules-bounded"));
        try {
            String fleet = "bounded" + suffix();
            String rule = "bounded_" + suffix();
            String table = "b_" + fleet;
            assertThat(http(bounded).post().uri("/rules/" + rule).contentType(MediaType.APPLICATION_JSON)
                    .body("""
                            {"sql": "SELECT * FROM 'iot/%s/+'",
                             "actions": [{"dynamoDB": {"tableName": "%s", "hashKeyField": "car",
                                                       "hashKeyValue": "${topic(3)}"}}]}""".formatted(fleet, table))
                    .retrieve().toBodilessEntity().getStatusCode()).isEqualTo(HttpStatus.OK);
            Collector dead = new Collector(KafkaTopics.RULES_DEAD_LETTERS,
                    r -> rule.equals(header(r, DeadLetterHeaders.RULE)), r -> header(r, MessageHeaders.MESSAGE_ID));
            int total = 50;
            List<IotMessage> sent;
            deleteTopic(KafkaTopics.SINK_RECORDS);
            try {
                sent = produce(total, i -> message("iot/" + fleet + "/car-" + (i % 5), "{\"i\":" + i + "}"));
                dead.awaitAll(sent.stream().map(IotMessage::messageId).collect(Collectors.toSet()));
            } finally {
                admin.createTopics(List.of(new NewTopic(KafkaTopics.SINK_RECORDS, 6, (short) 1))).all()
                        .get(30, TimeUnit.SECONDS);
            }
            settle(dead);
            report("max retry duration 3 s", total, dead.size(), 0, dead.duplicates(), "dead-lettered");
            assertThat(dead.records()).allSatisfy(r -> assertThat(header(r, DeadLetterHeaders.REASON))
                    .isEqualTo("retries-exhausted"));
            assertThat(dead.ids()).containsOnlyKeys(sent.stream().map(IotMessage::messageId).toList());
            dead.close();
        } finally {
            bounded.close();
        }
    }

    @Test
    void withTwoReplicasOneStoppedMidStreamEveryMessagesActionsStillRun() {
        String fleet = "replicas" + suffix();
        String rule = "replicas_" + suffix();
        String table = "r_" + fleet;
        ConfigurableApplicationContext second = startInstance();
        try {
            createRule(rule, """
                    {"sql": "SELECT * FROM 'iot/%s/+'",
                     "actions": [{"dynamoDB": {"tableName": "%s", "hashKeyField": "car",
                                               "hashKeyValue": "${topic(3)}", "rangeKeyField": "i",
                                               "rangeKeyValue": "${i}"}}]}""".formatted(fleet, table));
            // a replica skips records of topics it knows no rule for: produce only once the second one has the rule
            RuleSnapshot secondRules = second.getBean(RuleSnapshot.class);
            await().atMost(WAIT).until(() -> secondRules.anyRuleFor("iot/" + fleet + "/car-0"));
            Collector sink = new Collector(KafkaTopics.SINK_RECORDS, r -> r.key().startsWith(table + "|"),
                    r -> JSON.readTree(r.value()).get("sourceMessageId").asString());
            int total = 3000;
            List<IotMessage> sent = new ArrayList<>();
            long[] stoppedAt = new long[1];
            sent.addAll(produce(total / 3, i -> message("iot/" + fleet + "/car-" + (i % 24), "{\"i\":" + i + "}")));
            // both replicas hold partitions and work before one goes
            MeterRegistry secondMeters = second.getBean(MeterRegistry.class);
            await().atMost(WAIT).until(() -> secondMeters.counter("iot.rules.actions.executed", "action", "dynamoDB")
                    .count() > 0);
            Thread load = new Thread(() -> {
                // the rest arrives over a few seconds, so the stop falls in the middle of it
                for (int chunk = 0; chunk < 20; chunk++) {
                    int base = total / 3 + chunk * (2 * total / 3 / 20);
                    sent.addAll(produce(2 * total / 3 / 20, i -> message("iot/" + fleet + "/car-" + (i % 24),
                            "{\"i\":" + (base + i) + "}")));
                    sleep(Duration.ofMillis(200));
                }
            });
            load.start();
            sleep(Duration.ofSeconds(1));
            // the second replica goes away while records keep coming; its partitions move to the first one
            second.close();
            stoppedAt[0] = System.nanoTime();
            join(load);

            Set<String> expected = ids(sent, rule, "dynamoDB:" + table);
            sink.awaitAll(expected);
            double recovery = (System.nanoTime() - stoppedAt[0]) / 1e9;
            settle(sink);
            report("6 two replicas, one stopped", total, sink.size(), missing(expected, sink), sink.duplicates(),
                    "all stored %.1f s after the replica stopped".formatted(recovery));
            assertThat(sink.ids()).containsOnlyKeys(expected);
            sink.close();
        } finally {
            if (second.isActive()) {
                second.close();
            }
        }
    }

    // ---- load and observation ----

    private static IotMessage message(String topic, String payload) {
        String id = MessageIds.newEntryId();
        return new IotMessage(topic, payload.getBytes(UTF_8), 1, false, "load-client", "load", null,
                System.currentTimeMillis(), id, id, "gateway/load", 0);
    }

    /** Produces {@code count} messages as fast as Kafka takes them, every one acknowledged. */
    private static List<IotMessage> produce(int count, IntFunction<IotMessage> make) {
        List<IotMessage> messages = new ArrayList<>(count);
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            IotMessage message = make.apply(i);
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(KafkaTopics.MESSAGES, message.topic(),
                    message.payload());
            message.headers().forEach((name, value) -> record.headers().add(name, value));
            acks.add(producer.send(record));
            messages.add(message);
        }
        for (java.util.concurrent.Future<?> ack : acks) {
            try {
                ack.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the load producer's record was not acknowledged", e);
            }
        }
        return messages;
    }

    private static Set<String> ids(Collection<IotMessage> messages, String rule, String actionKey) {
        return messages.stream().map(m -> MessageIds.derived(m.messageId(), rule, actionKey))
                .collect(Collectors.toSet());
    }

    private static int missing(Set<String> expected, Collector collector) {
        return (int) expected.stream().filter(id -> !collector.ids().containsKey(id)).count();
    }

    private static void report(String scenario, int messagesIn, int outputs, int lost, int duplicated,
                               String recovery) {
        System.out.printf("RELIABILITY | %-32s | messages in %5d | actions done %5d | lost %d | duplicated %d | %s%n",
                scenario, messagesIn, outputs, lost, duplicated, recovery);
    }

    /** Polls a little longer, so that late duplicates would be seen. */
    private static void settle(Collector... collectors) {
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < until) {
            for (Collector collector : collectors) {
                collector.poll();
            }
        }
    }

    private static double deadLetterCount(MeterRegistry meters) {
        return meters.find("iot.rules.dead-letters").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static void deleteTopic(String topic) throws Exception {
        admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> !admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic));
    }

    private static Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
                .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> end.put(tp, info.offset()));
        return end;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), UTF_8);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(TimeUnit.MINUTES.toMillis(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads one topic from its start and counts the matching records by id. */
    private static final class Collector {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Predicate<ConsumerRecord<String, byte[]>> filter;
        private final Function<ConsumerRecord<String, byte[]>, String> id;
        private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        private final Map<String, Integer> counts = new HashMap<>();

        Collector(String topic, Predicate<ConsumerRecord<String, byte[]>> filter,
                  Function<ConsumerRecord<String, byte[]>, String> id) {
            this.filter = r -> r.key() != null && filter.test(r);
            this.id = id;
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                    ConsumerConfig.GROUP_ID_CONFIG, "reliability-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                    new ByteArrayDeserializer());
            consumer.subscribe(List.of(topic));
        }

        void poll() {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (filter.test(record)) {
                    records.add(record);
                    counts.merge(id.apply(record), 1, Integer::sum);
                }
            }
        }

        void awaitAll(Set<String> expected) {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
                poll();
                return counts.keySet().containsAll(expected);
            });
        }

        Map<String, Integer> ids() {
            return counts;
        }

        List<ConsumerRecord<String, byte[]>> records() {
            return records;
        }

        int size() {
            return records.size();
        }

        int duplicates() {
            return records.size() - counts.size();
        }

        void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
