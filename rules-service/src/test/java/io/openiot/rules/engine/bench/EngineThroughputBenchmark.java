package io.openiot.rules.engine.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.rules.RulesApplication;
import io.openiot.testsupport.EmbeddedKafkaServer;
import io.openiot.testsupport.EmbeddedPostgresServer;
import io.openiot.testsupport.TestTokenIssuer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.cloud.stream.binding.BindingsLifecycleController;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Engine throughput, records in on {@code iot.messages} and republished copies out, on a real in-process Kafka and
 * PostgreSQL, in one JVM and one run: the rules service with 1 rule, with 1,000 rules of distinct topic filters (each
 * record matches exactly one rule in both cases), and a bare consume-and-produce loop (same records, same broker, same
 * number of consumer threads, a send per record and one wait per poll, as the engine does).
 *
 * <p>Each measurement preloads {@code N} records while the consumer is paused (the engine's binding is paused, so its
 * group membership stays; the bare loop's records wait on their own topic), then lets the consumer run and times the
 * first to the last acknowledged output. Not a JMH benchmark: one measurement is seconds of I/O across threads; it is
 * a main class, run as described in {@code docs/benchmarks.md}. Arguments: records per measurement (default 30000),
 * rounds (default 3).
 */
public final class EngineThroughputBenchmark {

    private static final String BINDING = "iotMessages-in-0";
    private static final int RULES = 1000;
    private static final int THREADS = 2;
    private static final byte[] PAYLOAD = ("{\"temperature\":21.5,\"humidity\":40,\"battery\":{\"level\":87,"
            + "\"charging\":false},\"location\":{\"lat\":48.137,\"lon\":11.575},\"firmware\":\"1.4.2\","
            + "\"readings\":[1,2,3,4,5,6,7,8],\"status\":\"ok\",\"seq\":12345}").getBytes(UTF_8);

    private final String brokers;
    private final EmbeddedPostgresServer.DatabaseCoordinates database;
    private final KafkaProducer<byte[], byte[]> producer;
    private ConfigurableApplicationContext rules;

    private EngineThroughputBenchmark() {
        brokers = EmbeddedKafkaServer.bootstrapServers();
        database = EmbeddedPostgresServer.freshDatabase("rulesbench");
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 65536), new ByteArraySerializer(), new ByteArraySerializer());
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        EngineThroughputBenchmark bench = new EngineThroughputBenchmark();
        try {
            bench.run(records, rounds);
        } finally {
            bench.close();
        }
        System.exit(0);
    }

    private void run(int records, int rounds) throws Exception {
        createTopic("bench.bare.out");
        // every round's input topic now: a producer that sends to a topic created a moment ago can meet a broker that
        // does not lead its partitions yet, and the idempotent producer's retries then failed the whole preload
        for (int round = 0; round <= rounds; round++) {
            createTopic("bench.bare.in." + round);
        }
        rules = startRules();
        BindingsLifecycleController bindings = rules.getBean(BindingsLifecycleController.class);
        MeterRegistry meters = rules.getBean(MeterRegistry.class);
        List<String> lines = new ArrayList<>();
        // the first round warms up the JIT of both paths and is not reported
        for (int round = 0; round <= rounds; round++) {
            double bare = bareLoop(records, "bench.bare.in." + round);
            setRules(1, meters);
            double one = engine(records, 1, bindings, meters);
            setRules(RULES, meters);
            double thousand = engine(records, RULES, bindings, meters);
            String line = "round %d: bare loop %.0f rec/s, engine 1 rule %.0f rec/s, engine %d rules %.0f rec/s; "
                    .formatted(round, bare, one, RULES, thousand)
                    + "1,000 rules / 1 rule = %.2f, 1 rule / bare = %.2f".formatted(thousand / one, one / bare);
            System.out.println(line);
            if (round > 0) {
                lines.add(line);
            }
        }
        System.out.println("=== EngineThroughputBenchmark: " + records + " records of " + PAYLOAD.length
                + " bytes per measurement, " + THREADS + " consumer threads ===");
        lines.forEach(System.out::println);
    }

    /** Replaces the rules: {@code count} rules, rule i on {@code bench/r<i>/+}, republishing to {@code bout/...}. */
    private void setRules(int count, MeterRegistry meters) throws SQLException, InterruptedException {
        try (Connection db = DriverManager.getConnection(database.jdbcUrl(), database.username(),
                database.password())) {
            db.createStatement().execute("DELETE FROM topic_rule");
            try (PreparedStatement insert = db.prepareStatement("""
                    INSERT INTO topic_rule (rule_name, sql, topic_filter, aws_iot_sql_version, rule_disabled, payload,
                                            created_at, updated_at)
                    VALUES (?, ?, ?, '2016-03-23', false, CAST(? AS jsonb), ?, ?)""")) {
                Timestamp now = Timestamp.from(Instant.now());
                for (int i = 0; i < count; i++) {
                    String filter = "bench/r" + i + "/+";
                    String sql = "SELECT * FROM '" + filter + "'";
                    insert.setString(1, "bench_" + i);
                    insert.setString(2, sql);
                    insert.setString(3, filter);
                    insert.setString(4, "{\"sql\": \"" + sql + "\", \"awsIotSqlVersion\": \"2016-03-23\", "
                            + "\"ruleDisabled\": false, \"actions\": [{\"republish\": {\"topic\": "
                            + "\"bout/${topic(2)}/${topic(3)}\"}}]}");
                    insert.setTimestamp(5, now);
                    insert.setTimestamp(6, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        // the snapshot notices the new fingerprint within its refresh interval (1 s)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Search.in(meters).name("iot.rules.active").gauge().value() != count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the engine did not load " + count + " rules");
            }
            Thread.sleep(100);
        }
    }

    /**
     * Records per second from the first to the last republished copy Kafka acknowledged. The counter grows by whole
     * batches (the engine counts a batch's outputs once all are acknowledged), so the rate is taken over the outputs
     * after the first time it moved, from that moment on.
     */
    private double engine(int records, int ruleCount, BindingsLifecycleController bindings, MeterRegistry meters)
            throws Exception {
        bindings.pause(BINDING);
        Thread.sleep(1000);
        double paused = republished(meters);
        preload(KafkaTopics.MESSAGES, records, ruleCount);
        double base = republished(meters);
        if (base != paused) {
            // processed during the preload: the figure would be the preload's own pace
            throw new IllegalStateException("the engine ran while paused: " + (base - paused) + " outputs");
        }
        bindings.resume(BINDING);
        long first = 0;
        double firstCount = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (true) {
            double done = republished(meters) - base;
            long now = System.nanoTime();
            if (first == 0 && done > 0) {
                first = now;
                firstCount = done;
            }
            if (done >= records) {
                if (done > records || firstCount >= records) {
                    throw new IllegalStateException("the measurement did not see the outputs arrive: " + done
                            + " outputs, " + firstCount + " of them at the first look");
                }
                return (records - firstCount) / ((now - first) / 1e9);
            }
            if (now > deadline) {
                throw new IllegalStateException("only " + done + " of " + records + " outputs arrived");
            }
            Thread.sleep(2);
        }
    }

    private static double republished(MeterRegistry meters) {
        var counter = Search.in(meters).name("iot.rules.actions.executed").tag("action", "republish").counter();
        return counter == null ? 0 : counter.count();
    }

    /** The same work without the engine: consume, send each record on, wait once per poll for the acks, commit. */
    private double bareLoop(int records, String input) throws Exception {
        preload(input, records, 1);
        String group = "bench-bare-" + UUID.randomUUID();
        AtomicLong acked = new AtomicLong();
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(() -> {
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ConsumerConfig.GROUP_ID_CONFIG, group,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(input));
                    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                    while (acked.get() < records && System.nanoTime() < deadline) {
                        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                        List<Future<RecordMetadata>> sends = new ArrayList<>(batch.count());
                        for (ConsumerRecord<byte[], byte[]> record : batch) {
                            sends.add(producer.send(new ProducerRecord<>("bench.bare.out", null, record.key(),
                                    record.value(), record.headers())));
                        }
                        for (Future<RecordMetadata> send : sends) {
                            send.get();
                            long now = System.nanoTime();
                            first.compareAndSet(0, now);
                            if (acked.incrementAndGet() == records) {
                                last.set(now);
                            }
                        }
                        if (!batch.isEmpty()) {
                            consumer.commitSync();
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                } finally {
                    finished.countDown();
                }
            }, "bare-loop-" + t);
            threads.add(thread);
            thread.start();
        }
        if (!finished.await(6, TimeUnit.MINUTES) || last.get() == 0) {
            throw new IllegalStateException("the bare loop did not finish: " + acked.get() + " of " + records);
        }
        return (records - 1) / ((last.get() - first.get()) / 1e9);
    }

    /** {@code records} records as the gateway writes them, spread over {@code ruleCount} rules' topics. */
    private void preload(String topic, int records, int ruleCount) throws Exception {
        List<Future<RecordMetadata>> sends = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            String mqttTopic = "bench/r" + (i % ruleCount) + "/dev" + (i % 97);
            String id = UUID.randomUUID().toString();
            IotMessage message = new IotMessage(mqttTopic, PAYLOAD, 1, false, "dev" + (i % 97), null, null,
                    System.currentTimeMillis(), id, id, "gateway/bench", 0);
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, mqttTopic.getBytes(UTF_8), PAYLOAD);
            message.headers().forEach((name, value) -> record.headers().add(name, value));
            sends.add(producer.send(record));
        }
        for (Future<RecordMetadata> send : sends) {
            send.get();
        }
    }

    private void createTopic(String name) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(new NewTopic(name, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        // usable once the producer's metadata has a leader for every partition
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (producer.partitionsFor(name).size() < 6
                || producer.partitionsFor(name).stream().anyMatch(p -> p.leader() == null || p.leader().id() < 0)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + name + " has no leaders");
            }
            Thread.sleep(100);
        }
    }

    private ConfigurableApplicationContext startRules() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.port", 0);
        properties.put("spring.datasource.url", database.jdbcUrl());
        properties.put("spring.datasource.username", database.username());
        properties.put("spring.datasource.password", database.password());
        properties.put("spring.kafka.bootstrap-servers", brokers);
        properties.put("spring.cloud.stream.kafka.binder.brokers", brokers);
        properties.put("iot.security.platform-issuer-uri", TestTokenIssuer.shared().issuerUri());
        properties.put("IOT_RULES_CONSUMER_CONCURRENCY", THREADS);
        properties.put("logging.level.root", "WARN");
        return RulesApplication.application().run(properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    private void close() {
        if (rules != null) {
            rules.close();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
