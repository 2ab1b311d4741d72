package io.openiot.gateway;

import com.sun.management.OperatingSystemMXBean;
import io.openiot.gateway.mqtt.MqttBroker;
import io.openiot.testsupport.TestInfrastructure;
import io.openiot.testsupport.TestTokenIssuer;
import io.openiot.web.testing.TestAccessKeys;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * What authentication costs per request: the gateway's {@code GET /connections/{clientId}} (a 200 from one indexed
 * row) paced at a fixed rate without credentials, with a bearer JWT and with SigV4, printed as Markdown rows for
 * {@code docs/benchmarks.md}. Not a test (its name does not end in Test); run it with
 * {@code ./mvnw -B -ntp -pl gateway-service -am test -Dtest=AuthenticationOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * (options {@code -Dbench.rates=400,1000 -Dbench.seconds=10 -Dbench.rounds=2 -Dbench.clients=8}).
 *
 * <p>The path is opened with {@code iot.security.open-paths}, so the same endpoint answers in all three modes: a
 * request that carries a bearer token or a SigV4 {@code Authorization} is still authenticated by the chain (Spring
 * Security's bearer filter and our SigV4 filter act on any request carrying credentials, and refuse it when they are
 * wrong), one without goes through unauthenticated. The JWT is a real RS256 token of the test's issuer (JWKS fetched
 * once and cached by the resource server), the same token on every request as a client-credentials client reuses
 * it, so after its first request it is a hit of web-support's cache of verified tokens; SigV4 requests are signed by the AWS SDK's own signer, a fresh signature
 * per request, and verified against the signing key of the access-key table of the tests, derived once per day and
 * scope and cached, as the production provider caches policy-service's answer.
 *
 * <p>{@code bench.clients} threads share the rate, each sending its next request when it is due (or at once when
 * the previous one answered late); latency runs from the time a request was due to its response, so a stall is
 * counted, not hidden. A round ends after twice its duration even when the server could not keep up; the printed
 * rate is what was achieved.
 * Server CPU is the CPU time of Tomcat's threads ({@code http-nio-*}, where the filters run) per request, from
 * {@link ThreadMXBean}; the process CPU per request (which also holds the client, the signing, Kafka and Moquette)
 * is printed beside it. Modes alternate in rounds, in an order that rotates from round to round, so that the machine's noise falls on
 * all of them alike.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {GatewayApplication.CONFIG_NAME, "iot.security.open-paths=/connections/**"})
@Import(TestAccessKeys.class)
class AuthenticationOverheadBenchmark {

    /** Each rate is measured in turn in the same JVM: one the machine sustains, and the 1,000/s. */
    private static final List<Integer> RATES = java.util.Arrays.stream(
            System.getProperty("bench.rates", System.getProperty("bench.rate", "400,1000")).split(","))
            .map(String::trim).map(Integer::valueOf).toList();
    private static final Duration ROUND = Duration.ofSeconds(Integer.getInteger("bench.seconds", 10));
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 2);
    private static final Duration WARMUP = Duration.ofSeconds(Integer.getInteger("bench.warmup", 5));
    /** Client threads, each with its share of the rate and at most one request open: connections stay few. */
    private static final int CLIENTS = Integer.getInteger("bench.clients", 8);
    private static final String CLIENT_ID = "bench-" + UUID.randomUUID().toString().substring(0, 8);

    enum Mode {
        NONE("unauthenticated"), JWT("bearer JWT (RS256)"), SIGV4("SigV4 (AWS SDK signer)");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "gateway");
        TestTokenIssuer.registerAsPlatformIssuer(registry);
        registry.add("iot.gateway.mqtt.host", () -> "127.0.0.1");
        registry.add("iot.gateway.mqtt.port", AuthenticationOverheadBenchmark::freePort);
    }

    @LocalServerPort
    int port;

    @Autowired
    MqttBroker broker;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final OperatingSystemMXBean os =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private String token;
    private URI uri;

    private static final class Totals {
        final Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
        long requests;
        long errors;
        long nanos;
        long serverCpuNanos;
        long processCpuNanos;
        final List<Double> serverCpuPerRound = new ArrayList<>();
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void measure() throws Exception {
        MqttClient device = connectDevice();
        try {
            token = TestTokenIssuer.shared().adminToken();
            uri = URI.create("http://127.0.0.1:" + port + "/connections/" + CLIENT_ID);
            for (int rate : RATES) {
                double loadBefore = os.getSystemLoadAverage();
                for (Mode mode : Mode.values()) {
                    run(mode, rate, WARMUP, new Totals());
                }
                Map<Mode, Totals> totals = new EnumMap<>(Mode.class);
                for (int round = 0; round < ROUNDS; round++) {
                    // the order rotates from round to round, so that no mode always runs first after a pause
                    for (int i = 0; i < Mode.values().length; i++) {
                        Mode mode = Mode.values()[(i + round) % Mode.values().length];
                        run(mode, rate, ROUND, totals.computeIfAbsent(mode, m -> new Totals()));
                    }
                }
                print(rate, totals, loadBefore, os.getSystemLoadAverage());
            }
        } finally {
            device.disconnectForcibly(1000, 1000);
            device.close(true);
        }
    }

    /** One device connected, so that the endpoint answers 200 from its row. */
    private MqttClient connectDevice() throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + broker.port(), CLIENT_ID, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName("device");
        options.setPassword("device-secret".toCharArray());
        client.connect(options);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (send(Mode.NONE).statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        for (Mode mode : Mode.values()) {
            HttpResponse<String> response = send(mode);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(mode + " answered " + response.statusCode() + ": " + response.body());
            }
        }
        return client;
    }

    private HttpResponse<String> send(Mode mode) throws Exception {
        if (uri == null) {
            token = TestTokenIssuer.shared().adminToken();
            uri = URI.create("http://127.0.0.1:" + port + "/connections/" + CLIENT_ID);
        }
        return http.send(request(mode), HttpResponse.BodyHandlers.ofString());
    }

    private void run(Mode mode, int rate, Duration duration, Totals totals) throws Exception {
        long perClient = duration.toSeconds() * rate / CLIENTS;
        long interval = TimeUnit.SECONDS.toNanos(1) * CLIENTS / rate;
        AtomicLong errors = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        Map<Long, Long> serverBefore = tomcatCpu();
        long processBefore = os.getProcessCpuTime();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        // a request that is not done by then is not sent: an overloaded run ends on time and says so
        long deadline = start + 2 * duration.toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            long offset = c * interval / CLIENTS;
            Thread client = new Thread(() -> {
                for (long i = 0; i < perClient && System.nanoTime() < deadline; i++) {
                    HttpRequest request = request(mode);
                    long due = start + offset + i * interval;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    sent.incrementAndGet();
                    try {
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() != 200 && errors.incrementAndGet() <= 3) {
                            System.out.println(mode + " answered " + response.statusCode());
                        }
                    } catch (Exception e) {
                        if (errors.incrementAndGet() <= 3) {
                            System.out.println(mode + " error: " + e);
                        }
                    }
                    // from the time it was due, so that a late start counts (no coordinated omission)
                    totals.latency.recordValue(Math.max(0, System.nanoTime() - due));
                }
            }, "bench-client-" + c);
            client.start();
            clients.add(client);
        }
        for (Thread client : clients) {
            client.join();
        }
        long elapsed = System.nanoTime() - start;
        long serverCpu = delta(serverBefore, tomcatCpu());
        long processCpu = os.getProcessCpuTime() - processBefore;
        totals.requests += sent.get();
        totals.errors += errors.get();
        totals.nanos += elapsed;
        totals.serverCpuNanos += serverCpu;
        totals.processCpuNanos += processCpu;
        totals.serverCpuPerRound.add(serverCpu / 1e3 / Math.max(1, sent.get()));
    }

    private HttpRequest request(Mode mode) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        switch (mode) {
            case NONE -> {
            }
            case JWT -> builder.header("Authorization", "Bearer " + token);
            case SIGV4 -> {
                SdkHttpRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
                        .identity(AwsCredentialsIdentity.create(TestAccessKeys.ACCESS_KEY,
                                TestAccessKeys.SECRET_KEY))
                        .request(SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri).build())
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "iotdata")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request();
                signed.headers().forEach((name, values) -> {
                    if (!name.equalsIgnoreCase("host")) {
                        values.forEach(value -> builder.header(name, value));
                    }
                });
            }
        }
        return builder.build();
    }

    /** CPU time so far of every live Tomcat thread, by thread id. */
    private Map<Long, Long> tomcatCpu() {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("http-nio-")) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    cpu.put(info.getThreadId(), nanos);
                }
            }
        }
        return cpu;
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long delta(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (Map.Entry<Long, Long> entry : after.entrySet()) {
            sum += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
        }
        return sum;
    }

    private static void print(int rate, Map<Mode, Totals> totals, double loadBefore, double loadAfter) {
        Totals none = totals.get(Mode.NONE);
        double noneServer = none.serverCpuNanos / 1e3 / none.requests;
        double noneProcess = none.processCpuNanos / 1e3 / none.requests;
        double noneP50 = none.latency.getValueAtPercentile(50) / 1e3;
        StringBuilder out = new StringBuilder(String.format("%n%d req/s from %d clients, %d rounds of %d s per mode%n%n",
                rate, CLIENTS, ROUNDS, ROUND.toSeconds()));
        out.append("| mode | requests | achieved req/s | errors | p50 µs | p99 µs | p99.9 µs | Tomcat CPU µs/req (per round)"
                + " | vs unauth. | process CPU µs/req | vs unauth. | p50 vs unauth. |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Mode mode : Mode.values()) {
            Totals t = totals.get(mode);
            double server = t.serverCpuNanos / 1e3 / t.requests;
            double process = t.processCpuNanos / 1e3 / t.requests;
            double p50 = t.latency.getValueAtPercentile(50) / 1e3;
            out.append(String.format("| %s | %d | %.0f | %d | %.0f | %.0f | %.0f | %.1f (%s) | %s | %.1f | %s | %s |%n",
                    mode.label, t.requests, t.requests / (t.nanos / 1e9), t.errors, p50, t.latency.getValueAtPercentile(99) / 1e3,
                    t.latency.getValueAtPercentile(99.9) / 1e3, server,
                    String.join(", ", t.serverCpuPerRound.stream().map(v -> String.format("%.1f", v)).toList()),
                    mode == Mode.NONE ? "—" : String.format("%+.1f %%", 100 * (server / noneServer - 1)), process,
                    mode == Mode.NONE ? "—" : String.format("%+.1f %%", 100 * (process / noneProcess - 1)),
                    mode == Mode.NONE ? "—" : String.format("%+.1f %%", 100 * (p50 / noneP50 - 1))));
        }
        out.append(String.format("%nload average (1 min) before %.2f, after %.2f; %d cores%n", loadBefore, loadAfter,
                Runtime.getRuntime().availableProcessors()));
        System.out.println(out);
    }
}
