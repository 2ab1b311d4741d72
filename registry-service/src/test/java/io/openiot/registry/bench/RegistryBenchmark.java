package io.openiot.registry.bench;

import io.openiot.registry.RegistryApplication;
import io.openiot.registry.domain.PageToken;
import io.openiot.testsupport.TestInfrastructure;
import io.openiot.testsupport.TestTokenIssuer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Registry throughput and latency at 100,000 things, printed as Markdown rows for {@code docs/benchmarks.md}. Not a
 * test (its name does not end in Test, so {@code ./mvnw test} skips it); run it with
 * {@code ./mvnw -B -ntp -pl registry-service -am test -Dtest=RegistryBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>CreateThing: {@code POST /things/{name}} (a thing type and three attributes) from {@value #WRITERS} client
 * threads for {@code bench.create-seconds}, against a raw autocommit INSERT into {@code thing} from as many JDBC
 * connections. The remainder up to {@code bench.things} is inserted by one SQL statement (REST is too slow on this
 * machine to create them all), then every thing is put into one of 20 groups by SQL. Reads: {@code GET /things}
 * pages at random positions, DescribeThing, SearchIndex by attribute value and by thingName prefix, each over real
 * HTTP with a bearer token from {@value #READERS} client threads, each beside the same SQL run directly over JDBC.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = RegistryApplication.CONFIG_NAME)
class RegistryBenchmark {

    private static final int THINGS = Integer.getInteger("bench.things", 100_000);
    private static final int CREATE_SECONDS = Integer.getInteger("bench.create-seconds", 20);
    private static final int READ_SECONDS = Integer.getInteger("bench.read-seconds", 15);
    private static final int WRITERS = 4;
    private static final int READERS = 2;
    private static final int TYPES = 10;
    private static final int GROUPS = 20;
    private static final int SITES = 1000;
    private static final int PAGE = 50;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "registrybench");
        TestTokenIssuer.registerAsPlatformIssuer(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    private final HttpClient http = HttpClient.newHttpClient();
    private final String bearer = "Bearer " + TestTokenIssuer.shared().adminToken();

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void measure() throws Exception {
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<String> rows = new ArrayList<>();
        for (int t = 0; t < TYPES; t++) {
            require(send("POST", "/thing-types/bench-type-" + t,
                    "{\"thingTypeProperties\":{\"searchableAttributes\":[\"serial\",\"site\",\"floor\"]}}"));
        }
        for (int g = 0; g < GROUPS; g++) {
            require(send("POST", "/thing-groups/bench-g" + g, "{}"));
        }
        rows.add(restCreate());
        rows.add(rawInsert());
        long fillStart = System.nanoTime();
        int filled = fill();
        System.out.printf("filled %d things by SQL and %d memberships in %.1f s%n", filled, THINGS,
                (System.nanoTime() - fillStart) / 1e9);

        rows.add(read("GET /things page (maxResults=50, random nextToken)", i -> {
            String token = PageToken.encode(randomBulkName());
            return HttpRequest.newBuilder(uri("/things?maxResults=" + PAGE + "&nextToken=" + token)).GET();
        }));
        rows.add(rawRead("raw SQL: the same page query", c -> {
            PreparedStatement s = c.prepareStatement("SELECT name, id, thing_type, attributes::text AS attributes,"
                    + " version FROM thing WHERE TRUE AND name > ? ORDER BY name LIMIT ?");
            return () -> {
                s.setString(1, randomBulkName());
                s.setInt(2, PAGE + 1);
                return drain(s);
            };
        }));
        rows.add(read("DescribeThing", i -> HttpRequest.newBuilder(uri("/things/" + randomBulkName())).GET()));
        rows.add(rawRead("raw SQL: the same describe query", c -> {
            PreparedStatement s = c.prepareStatement("SELECT name, id, thing_type, attributes::text AS attributes,"
                    + " version FROM thing WHERE name = ?");
            return () -> {
                s.setString(1, randomBulkName());
                return drain(s);
            };
        }));
        rows.add(read("SearchIndex attributes.site:site-N (100 matches, first page of 50)", i -> search(
                "attributes.site:site-" + ThreadLocalRandom.current().nextInt(SITES))));
        rows.add(rawRead("raw SQL: the same search query", c -> {
            PreparedStatement s = c.prepareStatement(SEARCH_SQL + "(EXISTS (SELECT 1 FROM thing_attribute a"
                    + " WHERE a.thing_name = t.name AND a.name = ? AND lower(a.value) = lower(?)))"
                    + " ORDER BY t.name LIMIT ?");
            return () -> {
                s.setString(1, "site");
                s.setString(2, "site-" + ThreadLocalRandom.current().nextInt(SITES));
                s.setInt(3, PAGE + 1);
                return drain(s);
            };
        }));
        rows.add(read("SearchIndex thingName:bench-sNNNN* (100 matches, first page of 50)", i -> search(
                "thingName:" + randomPrefix() + "*")));
        rows.add(rawRead("raw SQL: the same search query", c -> {
            PreparedStatement s = c.prepareStatement(SEARCH_SQL + "lower(t.name) LIKE lower(?)"
                    + " ORDER BY t.name LIMIT ?");
            return () -> {
                s.setString(1, randomPrefix() + "%");
                s.setInt(2, PAGE + 1);
                return drain(s);
            };
        }));
        System.out.println("\n| what | requests | per s | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.printf("load average (1 min): %.1f before, %.1f after%n", loadBefore,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** SearchSql's statement up to its condition (the raw rows repeat the conditions it builds for these queries). */
    private static final String SEARCH_SQL = """
            SELECT t.name, t.id, t.thing_type, t.attributes::text AS attributes,
                   ARRAY(SELECT g.group_name FROM thing_group_member g WHERE g.thing_name = t.name
                         ORDER BY g.group_name) AS groups
            FROM thing t WHERE\s""";

    private static String bulkName(int i) {
        return String.format("bench-s%06d", i);
    }

    private static String randomBulkName() {
        return bulkName(ThreadLocalRandom.current().nextInt(THINGS / 2));
    }

    /** A prefix of 100 bulk things, {@code bench-s0012} for bench-s001200 … bench-s001299. */
    private static String randomPrefix() {
        return bulkName(ThreadLocalRandom.current().nextInt(THINGS / 2 / 100) * 100).substring(0, 11);
    }

    private HttpRequest.Builder search(String query) {
        return HttpRequest.newBuilder(uri("/indices/search")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"queryString\":\"" + query + "\",\"maxResults\":"
                        + PAGE + "}"));
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private int send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", bearer)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void require(int status) {
        if (status != 200) {
            throw new IllegalStateException("set-up call answered " + status);
        }
    }

    private static String attributes(int i) {
        return "{\"serial\":\"s" + i + "\",\"site\":\"site-" + (i % SITES) + "\",\"floor\":\"" + (i % 20) + "\"}";
    }

    /** CreateThing over REST from {@value #WRITERS} threads; every thing gets a type and three attributes. */
    private String restCreate() throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        String row = timed("CreateThing over REST, " + WRITERS + " clients", WRITERS, CREATE_SECONDS, () -> {
            int i = next.getAndIncrement();
            String body = "{\"thingTypeName\":\"bench-type-" + (i % TYPES) + "\",\"attributePayload\":"
                    + "{\"attributes\":" + attributes(i) + "}}";
            if (send("POST", "/things/" + String.format("bench-r%06d", i), body) != 200) {
                failed.incrementAndGet();
            }
        });
        if (failed.get() > 0) {
            throw new IllegalStateException(failed + " CreateThing calls failed");
        }
        return row;
    }

    /** A raw autocommit INSERT into {@code thing} (its attribute trigger included): what a create costs at least. */
    private String rawInsert() throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Connection> connections = new ArrayList<>();
        ThreadLocal<PreparedStatement> statements = ThreadLocal.withInitial(() -> {
            try {
                Connection c = dataSource.getConnection();
                synchronized (connections) {
                    connections.add(c);
                }
                return c.prepareStatement("INSERT INTO thing (name, id, thing_type, attributes) VALUES (?, ?, ?,"
                        + " ?::jsonb)");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String row = timed("raw SQL INSERT INTO thing, autocommit, " + WRITERS + " connections", WRITERS,
                CREATE_SECONDS, () -> {
                    int i = next.getAndIncrement();
                    PreparedStatement s = statements.get();
                    s.setString(1, String.format("bench-x%06d", i));
                    s.setObject(2, UUID.randomUUID());
                    s.setString(3, "bench-type-" + (i % TYPES));
                    s.setString(4, attributes(i));
                    s.executeUpdate();
                });
        for (Connection c : connections) {
            c.close();
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM thing WHERE name LIKE 'bench-x%'");
        }
        return row;
    }

    /** Up to {@link #THINGS} by one INSERT … SELECT, then a group for every thing, then statistics. */
    private int fill() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            int existing;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM thing")) {
                rs.next();
                existing = rs.getInt(1);
            }
            int missing = Math.max(0, THINGS - existing);
            s.execute("INSERT INTO thing (name, id, thing_type, attributes) SELECT format('bench-s%s',"
                    + " lpad(g::text, 6, '0')), gen_random_uuid(), 'bench-type-' || (g % " + TYPES + "),"
                    + " jsonb_build_object('serial', 's' || g, 'site', 'site-' || (g % " + SITES + "),"
                    + " 'floor', (g % 20)::text) FROM generate_series(0, " + (missing - 1) + ") g");
            s.execute("INSERT INTO thing_group_member (group_name, thing_name) SELECT 'bench-g' ||"
                    + " (abs(hashtext(name)) % " + GROUPS + "), name FROM thing");
            s.execute("ANALYZE");
            return missing;
        }
    }

    @FunctionalInterface
    private interface RequestFactory {
        HttpRequest.Builder request(int i) throws Exception;
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface Query {
        int run() throws Exception;
    }

    @FunctionalInterface
    private interface Prepared {
        Query prepare(Connection c) throws Exception;
    }

    private String read(String what, RequestFactory factory) throws Exception {
        AtomicInteger next = new AtomicInteger();
        Call call = () -> {
            HttpResponse<byte[]> response = http.send(factory.request(next.getAndIncrement())
                    .header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(what + ": " + response.statusCode() + " "
                        + new String(response.body()));
            }
        };
        timed("warm-up", READERS, 3, call);
        return timed("REST " + what + ", " + READERS + " clients", READERS, READ_SECONDS, call);
    }

    private String rawRead(String what, Prepared prepared) throws Exception {
        List<Connection> connections = new ArrayList<>();
        ThreadLocal<Query> queries = ThreadLocal.withInitial(() -> {
            try {
                Connection c = dataSource.getConnection();
                synchronized (connections) {
                    connections.add(c);
                }
                return prepared.prepare(c);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Call call = () -> {
            if (queries.get().run() == 0) {
                throw new IllegalStateException(what + " found nothing");
            }
        };
        timed("warm-up", READERS, 3, call);
        String row = timed(what + ", " + READERS + " connections", READERS, READ_SECONDS, call);
        for (Connection c : connections) {
            c.close();
        }
        return row;
    }

    private static int drain(PreparedStatement s) throws Exception {
        int n = 0;
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rs.getString(1);
                n++;
            }
        }
        return n;
    }

    /** Runs {@code call} from {@code threads} threads for {@code seconds}; a Markdown row of rate and latencies. */
    private static String timed(String what, int threads, int seconds, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Future<Histogram>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            results.add(pool.submit(() -> {
                Histogram histogram = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
                while (System.nanoTime() < end) {
                    long sent = System.nanoTime();
                    call.run();
                    histogram.recordValue(Math.min(System.nanoTime() - sent, histogram.getHighestTrackableValue()));
                }
                return histogram;
            }));
        }
        Histogram all = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
        for (Future<Histogram> f : results) {
            all.add(f.get());
        }
        pool.shutdown();
        double elapsed = (System.nanoTime() - start) / 1e9;
        String row = String.format("| %s | %d | %.0f | %.2f | %.2f | %.1f |", what, all.getTotalCount(),
                all.getTotalCount() / elapsed, all.getValueAtPercentile(50) / 1e6, all.getValueAtPercentile(99) / 1e6,
                all.getMaxValue() / 1e6);
        System.out.println(row);
        return row;
    }
}
