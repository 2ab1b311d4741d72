package io.openiot.shadow.bench;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageIds;
import io.openiot.shadow.ShadowServiceTestBase;
import io.openiot.testsupport.EmbeddedKafkaServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Shadow update throughput and latency, printed as Markdown rows for {@code docs/benchmarks.md}. Not a test (its name
 * does not end in Test, so {@code ./mvnw test} skips it); run it with
 * {@code ./mvnw -B -ntp -pl shadow-service -am test -Dtest=ShadowUpdateBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>MQTT: update requests are produced on {@code iot.messages} as the gateway writes them; latency runs from the
 * produce call to the arrival of {@code update/accepted} at a consumer of {@code iot.messages}. REST: POSTs from 4
 * threads. Raw SQL: a versioned {@code jsonb} UPDATE (compare-and-set on the version) in autocommit, against the same
 * PostgreSQL, in the same run.
 */
class ShadowUpdateBenchmark extends ShadowServiceTestBase {

    private static final int MQTT_REQUESTS = Integer.getInteger("bench.requests", 2000);
    private static final Duration SQL_AND_REST_DURATION = Duration.ofSeconds(Integer.getInteger("bench.seconds", 10));

    @Autowired
    DataSource dataSource;

    private final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void measure() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> rows = new ArrayList<>();
        rows.add(rawSql(1, 1));
        rows.add(rawSql(1000, 4));
        AtomicBoolean stop = new AtomicBoolean();
        Thread listener = listen(stop);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer())) {
            Thread.sleep(3_000);
            for (int shadows : new int[] {1, 1000}) {
                Result full = mqtt(producer, run + "-full-" + shadows, shadows, 0);
                rows.add(full.row("MQTT, " + shadows + " shadow(s), unpaced"));
                Result half = mqtt(producer, run + "-half-" + shadows, shadows, full.rate / 2);
                rows.add(half.row("MQTT, " + shadows + " shadow(s), paced at half that rate"));
            }
        } finally {
            stop.set(true);
            listener.join(10_000);
        }
        rows.add(rest(run, 1));
        rows.add(rest(run, 1000));
        System.out.println("\n| what | requests | updates/s | p50 ms | p99 ms |\n|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.println("load average: " + java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
    }

    private record Result(int count, double seconds, double rate, double p50, double p99) {
        String row(String what) {
            return String.format("| %s | %d | %.0f | %.1f | %.1f |", what, count, rate, p50, p99);
        }
    }

    private Result mqtt(KafkaProducer<String, byte[]> producer, String run, int shadows, double rate)
            throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        for (int i = 0; i < MQTT_REQUESTS; i++) {
            if (rate > 0) {
                long due = start + (long) (i * 1e9 / rate);
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
            }
            String token = run + "-" + i;
            String topic = "$aws/things/bench-" + run + "-" + (i % shadows) + "/shadow/update";
            byte[] payload = ("{\"state\":{\"reported\":{\"n\":" + i + "}},\"clientToken\":\"" + token + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            String id = MessageIds.newEntryId();
            IotMessage message = new IotMessage(topic, payload, 1, false, "bench", "bench", null,
                    System.currentTimeMillis(), id, id, "gateway/bench", 0);
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(KafkaTopics.MESSAGES, topic, payload);
            message.headers().forEach((name, value) -> record.headers().add(name, value));
            sentAt.put(token, System.nanoTime());
            producer.send(record);
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline && sentAt.keySet().stream().anyMatch(t -> !acceptedAt.containsKey(t))) {
            Thread.sleep(50);
        }
        long last = sentAt.keySet().stream().mapToLong(t -> acceptedAt.getOrDefault(t, System.nanoTime())).max()
                .orElseThrow();
        double[] latencies = sentAt.entrySet().stream().filter(e -> acceptedAt.containsKey(e.getKey()))
                .mapToDouble(e -> (acceptedAt.get(e.getKey()) - e.getValue()) / 1e6).sorted().toArray();
        double seconds = (last - start) / 1e9;
        return new Result(latencies.length, seconds, latencies.length / seconds, percentile(latencies, 50),
                percentile(latencies, 99));
    }

    private Thread listen(AtomicBoolean stop) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(KafkaTopics.MESSAGES));
        Thread thread = new Thread(() -> {
            try (consumer) {
                while (!stop.get()) {
                    consumer.poll(Duration.ofMillis(20)).forEach(r -> {
                        if (r.key() != null && r.key().startsWith("$aws/things/bench-")
                                && r.key().endsWith("/update/accepted")) {
                            String body = new String(r.value(), StandardCharsets.UTF_8);
                            int at = body.indexOf("\"clientToken\":\"");
                            if (at >= 0) {
                                int from = at + 15;
                                acceptedAt.put(body.substring(from, body.indexOf('"', from)), System.nanoTime());
                            }
                        }
                    });
                }
            }
        }, "bench-listener");
        thread.start();
        return thread;
    }

    private String rest(String run, int shadows) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        int threads = 4;
        long end = System.nanoTime() + SQL_AND_REST_DURATION.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Double>>> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                List<Double> latencies = new ArrayList<>();
                for (int i = 0; System.nanoTime() < end; i++) {
                    String thing = "rest-" + run + "-" + ((i * threads + thread) % shadows);
                    long sent = System.nanoTime();
                    HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                                    URI.create("http://localhost:" + port + "/things/" + thing + "/shadow"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"state\":{\"reported\":{\"n\":" + i + "}}}"))
                            .header("Authorization", bearer())
                            .build(), HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        latencies.add((System.nanoTime() - sent) / 1e6);
                    }
                }
                return latencies;
            }));
        }
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> f : results) {
            all.addAll(f.get());
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] sorted = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Result(sorted.length, seconds, sorted.length / seconds, percentile(sorted, 50),
                percentile(sorted, 99)).row("REST, " + shadows + " shadow(s), 4 clients");
    }

    /** A versioned jsonb UPDATE loop: what one accepted update costs the database at least. */
    private String rawSql(int rows, int threads) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_raw (id INT PRIMARY KEY, version BIGINT NOT NULL, "
                    + "doc JSONB NOT NULL)");
            s.execute("TRUNCATE bench_raw");
            s.execute("INSERT INTO bench_raw SELECT g, 0, '{\"reported\":{}}' FROM generate_series(0, " + (rows - 1)
                    + ") g");
        }
        long end = System.nanoTime() + SQL_AND_REST_DURATION.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Double>>> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                List<Double> latencies = new ArrayList<>();
                long[] versions = new long[rows];
                try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(
                        "UPDATE bench_raw SET doc = jsonb_set(doc, '{reported,n}', to_jsonb(?::int)), "
                                + "version = version + 1 WHERE id = ? AND version = ?")) {
                    for (int i = 0; System.nanoTime() < end; i++) {
                        int row = rows == 1 ? 0 : (i * threads + thread) % rows;
                        long sent = System.nanoTime();
                        update.setInt(1, i);
                        update.setInt(2, row);
                        update.setLong(3, versions[row]);
                        if (update.executeUpdate() == 1) {
                            versions[row]++;
                            latencies.add((System.nanoTime() - sent) / 1e6);
                        } else {
                            throw new IllegalStateException("lost the version race on row " + row);
                        }
                    }
                }
                return latencies;
            }));
        }
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> f : results) {
            all.addAll(f.get());
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] sorted = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Result(sorted.length, seconds, sorted.length / seconds, percentile(sorted, 50),
                percentile(sorted, 99)).row("raw SQL versioned jsonb UPDATE, " + rows + " row(s), " + threads
                + " connection(s)");
    }

    private static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
