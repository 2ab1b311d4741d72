package io.openiot.sink.bench;

import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.SinkRecord;
import io.openiot.sink.SinkServiceTestBase;
import io.openiot.testsupport.EmbeddedKafkaServer;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.stream.binding.BindingsLifecycleController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The figures of issue 9, printed as Markdown for {@code docs/benchmarks.md}. Not a test (its name does not end in
 * Test, so {@code ./mvnw test} skips it); run it with
 * {@code ./mvnw -B -ntp -pl sink-service -am test -Dtest=SinkBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.lock=<file>}: the 10 million items are loaded first, then everything is measured holding
 * {@code flock} on that file).
 *
 * <ol>
 * <li>Ingest: {@code bench.ingest} records for one keyed table are produced to {@code iot.sink-records} while the
 * sink's binding is paused, then it is resumed; items/s from the first stored item to the last. Beside it, in the
 * same run and PostgreSQL, one {@code COPY} of the same rows into a copy of the {@code item} table (same columns and
 * indexes, no trigger), before and after the ingest.</li>
 * <li>10 million items (1,000 devices, one item per device a minute, about 7 days) loaded with
 * {@code INSERT … SELECT generate_series} into a table with a retention (one partition per day) of the real
 * {@code item} table (its indexes dropped for the load and built after it),
 * then: hourly average power per device for one day over REST ({@code /aggregate}) beside the same GROUP BY over
 * JDBC; {@code GetItem} and one-partition {@code Query} pages (100 items) through the AWS SDK {@code DynamoDbClient}
 * over HTTP, beside the same lookups over JDBC.</li>
 * </ol>
 */
@TestPropertySource(properties = "iot.sink.query.max-buckets=100000")
class SinkBenchmark extends SinkServiceTestBase {

    private static final int INGEST = Integer.getInteger("bench.ingest", 50_000);
    private static final int ITEMS = Integer.getInteger("bench.items", 10_000_000);
    private static final int DEVICES = 1000;
    private static final int READS = Integer.getInteger("bench.reads", 1000);
    private static final long BASE = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final String BINDING = "sinkRecords-in-0";

    @Autowired
    DataSource dataSource;

    @Autowired
    BindingsLifecycleController bindings;

    private final List<String> rows = new ArrayList<>();

    @Test
    @Timeout(value = 90, unit = TimeUnit.MINUTES)
    void measure() throws Exception {
        note("load average before the setup: " + load());
        String table = load10m();
        try (BenchLock lock = BenchLock.acquire()) {
            note("measuring (lock " + lock + "), uptime: " + uptime());
            ingest();
            aggregate(table);
            reads(table);
            note("measured, uptime: " + uptime());
        }
        System.out.println("\n| what | figure |\n|---|---|");
        rows.forEach(System.out::println);
    }

    private void ingest() throws Exception {
        String table = "bench_ingest_" + UUID.randomUUID().toString().substring(0, 8);
        createTable(table);
        List<SinkRecord> records = new ArrayList<>(INGEST);
        for (int i = 0; i < INGEST; i++) {
            String device = "device-" + (i % DEVICES);
            long ts = BASE + (i / DEVICES) * 60_000L;
            ObjectNode item = json.createObjectNode();
            item.put("device", device);
            item.put("ts", ts);
            item.put("power", (i * 7919 % 10_000) / 10.0);
            item.put("location", "site-" + (i % DEVICES % 20));
            records.add(new SinkRecord(table, device, Long.toString(ts), item, UUID.randomUUID().toString(), ts,
                    SinkRecord.Operation.INSERT, "device", "S", "ts", "N", null));
        }
        double copyBefore = copy(records);
        bindings.pause(BINDING);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer())) {
            for (SinkRecord record : records) {
                producer.send(new ProducerRecord<>(KafkaTopics.SINK_RECORDS, record.kafkaKey(),
                        json.writeValueAsBytes(record)));
            }
            producer.flush();
        } finally {
            bindings.resume(BINDING);
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        long count = 0;
        while (System.nanoTime() < deadline && (count = count(table)) < INGEST) {
            Thread.sleep(100);
        }
        long done = System.currentTimeMillis();
        long first;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT (extract(epoch FROM min(stored_at)) * 1000)::bigint FROM item WHERE table_name = ?")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                first = rs.getLong(1);
            }
        }
        double seconds = (done - first) / 1000.0;
        double copyAfter = copy(records);
        double rate = count / seconds;
        row("ingest: " + count + " of " + INGEST + " records from iot.sink-records into one table",
                String.format("%.0f items/s (%.1f s)", rate, seconds));
        row("COPY of the same rows into a copy of `item`, before / after the ingest",
                String.format("%.0f / %.0f rows/s", copyBefore, copyAfter));
        row("ingest ÷ COPY (mean of before and after)", String.format("%.2f", rate / ((copyBefore + copyAfter) / 2)));
    }

    /** One COPY (text format) of the rows the sink writes for these records; rows/s. */
    private double copy(List<SinkRecord> records) throws Exception {
        StringBuilder data = new StringBuilder(records.size() * 200);
        for (SinkRecord r : records) {
            data.append(r.table()).append('\t').append(r.partitionKey()).append('\t').append(r.sortKey())
                    .append('\t').append(r.sortKey()).append("\tk:").append(r.sortKey()).append('\t')
                    .append(json.writeValueAsString(r.item()).replace("\\", "\\\\")).append('\t')
                    .append(r.sourceMessageId()).append('\t').append(Instant.ofEpochMilli(r.timestamp()))
                    .append('\n');
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_copy");
            s.execute("CREATE TABLE bench_copy (LIKE item INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
                    + "INCLUDING INDEXES)");
            long start = System.nanoTime();
            long copied = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY bench_copy (table_name, "
                    + "partition_key, sort_key, sort_key_num, item_key, item, source_message_id, message_time) "
                    + "FROM STDIN", new StringReader(data.toString()));
            double seconds = (System.nanoTime() - start) / 1e9;
            s.execute("DROP TABLE bench_copy");
            return copied / seconds;
        }
    }

    /**
     * 10 million items in the real layout, keyed by device (S) and ts (N, epoch ms), in a table with a retention
     * (so one partition per arrival day; the arrival time is set to the item's time); the table's name.
     */
    private String load10m() throws Exception {
        String table = "bench_10m";
        writer().post().uri("/tables").contentType(MediaType.APPLICATION_JSON)
                .body("{\"tableName\":\"" + table + "\",\"partitionKey\":{\"name\":\"device\",\"type\":\"S\"},"
                        + "\"sortKey\":{\"name\":\"ts\",\"type\":\"N\"},\"retentionDays\":3650}")
                .retrieve().toBodilessEntity();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            long lastMinute = ITEMS / DEVICES;
            s.execute("SELECT sink_create_day_partition('" + table + "', d::date) FROM generate_series("
                    + "TIMESTAMP '" + Instant.ofEpochMilli(BASE).toString().replace("Z", "") + "', TIMESTAMP '"
                    + Instant.ofEpochMilli(BASE + lastMinute * 60_000L).toString().replace("Z", "")
                    + "', interval '1 day') d");
            // the partitioned indexes of item (on every partition): built once after the load, not row by row
            List<String> indexes = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'item' "
                    + "AND schemaname = 'public'")) {
                while (rs.next()) {
                    // pg_indexes shows a partitioned index as "ON ONLY item" (the parent alone): built on every
                    // partition again here
                    indexes.add(rs.getString(2).replace(" ON ONLY ", " ON "));
                    note("index rebuilt after the load: " + rs.getString(1));
                }
            }
            for (String definition : indexes) {
                s.execute("DROP INDEX " + definition.replaceAll("^CREATE (UNIQUE )?INDEX (\\S+) ON .*$", "$2"));
            }
            s.execute("SET maintenance_work_mem = '256MB'");
            long start = System.nanoTime();
            int chunk = 1_000_000;
            for (int from = 0; from < ITEMS; from += chunk) {
                int to = Math.min(ITEMS, from + chunk) - 1;
                s.execute("INSERT INTO item (table_name, partition_key, sort_key, sort_key_num, item_key, item, "
                        + "source_message_id, message_time, stored_at) "
                        + "SELECT '" + table + "', d, ts::text, ts, 'k:' || ts, jsonb_build_object('device', d, "
                        + "'ts', ts, 'power', ((g * 7919) % 10000) / 10.0, 'location', 'site-' || (g % " + DEVICES
                        + " % 20)), 'bench-' || g, to_timestamp(ts / 1000.0), to_timestamp(ts / 1000.0) "
                        + "FROM generate_series(" + from + "::bigint, " + to + "::bigint) g, "
                        + "LATERAL (SELECT 'device-' || (g % " + DEVICES + ") AS d, " + BASE + "::bigint + (g / "
                        + DEVICES + ") * 60000 AS ts) k");
            }
            double load = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            for (String definition : indexes) {
                s.execute(definition);
            }
            double index = (System.nanoTime() - start) / 1e9;
            s.execute("VACUUM ANALYZE item");
            row("setup (outside the lock): " + ITEMS + " rows by INSERT … SELECT generate_series / indexes built "
                    + "after", String.format("%.0f s / %.0f s", load, index));
            try (ResultSet rs = s.executeQuery("SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))), count(*) "
                    + "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                    + "WHERE i.inhparent = (SELECT ('item_t' || storage_id)::regclass FROM sink_table "
                    + "WHERE name = '" + table + "')")) {
                rs.next();
                note("bench_10m partitions with indexes: " + rs.getString(1) + " in " + rs.getLong(2)
                        + " partitions");
            }
        }
        return table;
    }

    private void aggregate(String table) throws Exception {
        Instant from = Instant.ofEpochMilli(BASE).plusSeconds(2 * 86_400);
        Instant to = from.plusSeconds(86_400);
        String uri = "/tables/" + table + "/aggregate?field=power&fn=avg&interval=1h&groupBy=partitionKey&from="
                + from + "&to=" + to;
        List<String> rest = new ArrayList<>();
        List<String> sql = new ArrayList<>();
        for (int run = 0; run < 5; run++) {
            long start = System.nanoTime();
            ResponseEntity<String> response = get(uri);
            double ms = (System.nanoTime() - start) / 1e6;
            if (!response.getStatusCode().is2xxSuccessful()) {
                throw new AssertionError(response.getStatusCode() + ": " + response.getBody());
            }
            JsonNode buckets = json.readTree(response.getBody()).get("buckets");
            rest.add(String.format("%.0f", ms));
            if (run == 0) {
                note("aggregate buckets: " + buckets.size() + ", first " + buckets.get(0));
            }
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                    "SELECT date_bin('1 hour', stored_at, TIMESTAMPTZ '1970-01-01Z') AS bucket, partition_key, "
                            + "avg((item ->> 'power')::numeric), count(*) FROM item WHERE table_name = ? "
                            + "AND stored_at >= ? AND stored_at < ? GROUP BY bucket, partition_key "
                            + "ORDER BY bucket, partition_key")) {
                s.setString(1, table);
                s.setObject(2, java.time.OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
                s.setObject(3, java.time.OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC));
                start = System.nanoTime();
                int n = 0;
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        n++;
                    }
                }
                sql.add(String.format("%.0f", (System.nanoTime() - start) / 1e6));
                if (run == 0) {
                    note("SQL reference rows: " + n);
                }
            }
        }
        row("aggregate over REST: hourly avg power per device, one day (1.44 M of " + ITEMS + " items), runs 1–5",
                String.join(" / ", rest) + " ms");
        row("same GROUP BY over JDBC (reference), runs 1–5", String.join(" / ", sql) + " ms");
    }

    private void reads(String table) throws Exception {
        Random random = new Random(7);
        int minutes = ITEMS / DEVICES;
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(URI.create("http://localhost:" + port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
             Connection c = dataSource.getConnection();
             PreparedStatement get = c.prepareStatement("SELECT item FROM item WHERE table_name = ? AND "
                     + "partition_key = ? AND item_key = ?");
             PreparedStatement page = c.prepareStatement("SELECT item FROM item WHERE table_name = ? AND "
                     + "partition_key = ? AND sort_key_num >= ? AND sort_key_num <= ? ORDER BY sort_key_num "
                     + "LIMIT 100")) {
            Histogram getSdk = histogram();
            Histogram getSql = histogram();
            Histogram querySdk = histogram();
            Histogram querySql = histogram();
            for (int i = -200; i < READS; i++) {
                String device = "device-" + random.nextInt(DEVICES);
                long ts = BASE + random.nextInt(minutes) * 60_000L;
                long start = System.nanoTime();
                GetItemResponse item = dynamo.getItem(b -> b.tableName(table).key(Map.of(
                        "device", AttributeValue.fromS(device), "ts", AttributeValue.fromN(Long.toString(ts)))));
                long nanos = System.nanoTime() - start;
                if (!item.hasItem()) {
                    throw new AssertionError("no item " + device + "/" + ts);
                }
                if (i >= 0) {
                    getSdk.recordValue(nanos);
                }
                get.setString(1, table);
                get.setString(2, device);
                get.setString(3, "k:" + ts);
                start = System.nanoTime();
                try (ResultSet rs = get.executeQuery()) {
                    rs.next();
                    rs.getString(1);
                }
                if (i >= 0) {
                    getSql.recordValue(System.nanoTime() - start);
                }
                long high = ts + 1000 * 60_000L;
                start = System.nanoTime();
                QueryResponse query = dynamo.query(b -> b.tableName(table).limit(100)
                        .keyConditionExpression("device = :d AND ts BETWEEN :a AND :b")
                        .expressionAttributeValues(Map.of(":d", AttributeValue.fromS(device),
                                ":a", AttributeValue.fromN(Long.toString(ts)),
                                ":b", AttributeValue.fromN(Long.toString(high)))));
                nanos = System.nanoTime() - start;
                if (query.count() == 0) {
                    throw new AssertionError("empty page " + device + "/" + ts);
                }
                if (i >= 0) {
                    querySdk.recordValue(nanos);
                }
                page.setString(1, table);
                page.setString(2, device);
                page.setBigDecimal(3, java.math.BigDecimal.valueOf(ts));
                page.setBigDecimal(4, java.math.BigDecimal.valueOf(high));
                start = System.nanoTime();
                try (ResultSet rs = page.executeQuery()) {
                    while (rs.next()) {
                        rs.getString(1);
                    }
                }
                if (i >= 0) {
                    querySql.recordValue(System.nanoTime() - start);
                }
            }
            row(latency("GetItem over HTTP (DynamoDbClient), " + READS + " random keys", getSdk));
            row(latency("same keyed SELECT over JDBC (reference)", getSql));
            row(latency("Query page (Limit 100, BETWEEN on ts) over HTTP (DynamoDbClient), " + READS + " pages",
                    querySdk));
            row(latency("same page SELECT over JDBC (reference)", querySql));
        }
    }

    private static Histogram histogram() {
        return new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
    }

    private static String[] latency(String what, Histogram samples) {
        return new String[] {what, String.format("p50 %.2f ms, p99 %.2f ms, max %.1f ms (%d samples)",
                samples.getValueAtPercentile(50) / 1e6, samples.getValueAtPercentile(99) / 1e6,
                samples.getMaxValue() / 1e6, samples.getTotalCount())};
    }

    private void row(String[] cells) {
        row(cells[0], cells[1]);
    }

    private void row(String what, String figure) {
        rows.add("| " + what + " | " + figure + " |");
        System.out.println("BENCH " + what + ": " + figure);
    }

    private static void note(String text) {
        System.out.println("BENCH " + text);
    }

    private void createTable(String table) {
        writer().post().uri("/tables").contentType(MediaType.APPLICATION_JSON)
                .body("{\"tableName\":\"" + table + "\",\"partitionKey\":{\"name\":\"device\",\"type\":\"S\"},"
                        + "\"sortKey\":{\"name\":\"ts\",\"type\":\"N\"}}")
                .retrieve().toBodilessEntity();
    }

    private long count(String table) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM item WHERE table_name = ?")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String load() {
        return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static String uptime() {
        try {
            Process process = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .strip();
            process.waitFor();
            return out;
        } catch (Exception e) {
            return "load average " + load();
        }
    }
}
