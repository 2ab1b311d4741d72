package io.openiot.gateway.bench;

import io.openiot.gateway.GatewayApplication;
import io.openiot.gateway.auth.TestPki;
import io.openiot.gateway.mqtt.MqttBroker;
import io.openiot.testsupport.EmbeddedKafkaServer;
import io.openiot.testsupport.EmbeddedPostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSessionContext;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 11's gateway benchmarks, in one process: the gateway (static principal directory, one certificate and one
 * policy per device, as in production after the first look-up), embedded Kafka and PostgreSQL, and Paho devices on
 * the same machine; then Mosquitto with the same certificates as the reference, when installed.
 * <ol>
 *   <li>TLS connects per second: {@code --connect-threads} threads, each with its own devices (distinct client
 *       certificates, cycled), connect over TLS (full handshake: the client's session cache is emptied before each
 *       connect), wait for CONNACK, disconnect; for {@code --connect-seconds}.</li>
 *   <li>QoS 1 publish throughput: {@code --publishers} devices with {@code --inflight} publishes outstanding each,
 *       for {@code --publish-seconds}, over TLS with their IoT policies, then over TCP with the development
 *       credentials (policy: allow all), same run.</li>
 * </ol>
 * Run it as {@code docs/benchmarks.md} says; it is a program, not a test.
 */
public final class TlsGatewayBenchmark {

    private static final String OWN_TOPICS = """
            {"Version":"2012-10-17","Statement":[
             {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:us-east-1:000000000000:client/${iot:Certificate.Subject.CommonName}"},
             {"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:us-east-1:000000000000:topic/bench/${iot:ClientId}/*"},
             {"Effect":"Allow","Action":"iot:Subscribe","Resource":"arn:aws:iot:us-east-1:000000000000:topicfilter/bench/${iot:ClientId}/*"},
             {"Effect":"Allow","Action":"iot:Receive","Resource":"arn:aws:iot:us-east-1:000000000000:topic/bench/${iot:ClientId}/*"},
             {"Effect":"Deny","Action":"iot:Publish","Resource":"arn:aws:iot:us-east-1:000000000000:topic/bench/*/admin"}]}""";

    private final Map<String, String> options;
    private final TestPki pki = new TestPki("bench CA");
    private final TestPki.Issued server = pki.server();
    private final List<TestPki.Issued> devices = new ArrayList<>();
    private final List<SSLContext> contexts = new ArrayList<>();
    private final Path files;

    private TlsGatewayBenchmark(Map<String, String> options) throws IOException {
        this.options = options;
        this.files = Files.createTempDirectory("gateway-bench-");
        int count = Math.max(number("connect-threads") * number("devices-per-thread"), number("publishers"));
        for (int i = 0; i < count; i++) {
            TestPki.Issued device = pki.device("dev-" + i);
            devices.add(device);
            contexts.add(pki.clientContext(device, pki));
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("connect-seconds", "30", "connect-threads", "16",
                "devices-per-thread", "4", "publish-seconds", "30", "publishers", "8", "inflight", "10",
                "warmup-seconds", "10", "mosquitto", "/usr/sbin/mosquitto"));
        for (String arg : args) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "true");
        }
        System.out.println("options " + options);
        new TlsGatewayBenchmark(options).run();
        System.exit(0);
    }

    private void run() throws Exception {
        ConfigurableApplicationContext gateway = startGateway();
        MqttBroker broker = gateway.getBean(MqttBroker.class);
        String tls = "ssl://127.0.0.1:" + broker.tlsPort();
        String tcp = "tcp://127.0.0.1:" + broker.port();
        List<String> results = new ArrayList<>() {
            @Override
            public boolean add(String result) {
                System.out.println("RESULT " + result); // at once: a later failure must not lose it
                return super.add(result);
            }
        };
        // warm-up of both paths (JIT, principal cache, Kafka metadata), not counted
        connects(tls, number("warmup-seconds"));
        publishes(tls, true, number("warmup-seconds"));
        results.add("gateway TLS connects/s (distinct certs): " + connects(tls, number("connect-seconds")));
        results.add("gateway QoS1 publishes/s over TLS with policies: " + publishes(tls, true,
                number("publish-seconds")));
        results.add("gateway QoS1 publishes/s over TCP, dev credentials (allow-all policy): " + publishes(tcp, false,
                number("publish-seconds")));
        gateway.close();
        Path mosquitto = Path.of(options.get("mosquitto"));
        if (Files.isExecutable(mosquitto)) {
            Process process = startMosquitto(mosquitto);
            try {
                connects(mosquittoTls, number("warmup-seconds"));
                results.add("mosquitto TLS connects/s (distinct certs): " + connects(mosquittoTls,
                        number("connect-seconds")));
                results.add("mosquitto QoS1 publishes/s over TLS: " + publishes(mosquittoTls, true,
                        number("publish-seconds")));
                results.add("mosquitto QoS1 publishes/s over TCP: " + publishes(mosquittoTcp, false,
                        number("publish-seconds")));
            } finally {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        System.out.println("=== results ===");
        results.forEach(System.out::println);
    }

    private String mosquittoTls;
    private String mosquittoTcp;

    private Process startMosquitto(Path executable) throws Exception {
        int tlsPort = freePort();
        int tcpPort = freePort();
        pki.ca().writeCertificatePem(files.resolve("ca.pem"));
        server.writeCertificatePem(files.resolve("server.pem"));
        server.writeKeyPem(files.resolve("server.key"));
        // mosquitto started as root drops to its own user, which must read these files
        Files.setPosixFilePermissions(files, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String name : List.of("ca.pem", "server.pem", "server.key")) {
            Files.setPosixFilePermissions(files.resolve(name),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
        Path config = files.resolve("mosquitto.conf");
        Files.writeString(config, String.join("\n",
                "per_listener_settings false", "allow_anonymous true", "persistence false", "log_type error",
                "max_inflight_messages 10",
                "listener " + tcpPort + " 127.0.0.1",
                "listener " + tlsPort + " 127.0.0.1",
                "cafile " + files.resolve("ca.pem"),
                "certfile " + files.resolve("server.pem"),
                "keyfile " + files.resolve("server.key"),
                "require_certificate true", "use_identity_as_username true", ""));
        Process process = new ProcessBuilder(executable.toString(), "-c", config.toString()).inheritIO().start();
        mosquittoTls = "ssl://127.0.0.1:" + tlsPort;
        mosquittoTcp = "tcp://127.0.0.1:" + tcpPort;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", tlsPort)) {
                return process;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("mosquitto did not start");
    }

    /** Connect-and-disconnect loops; each thread owns its devices, so no client id is ever connected twice. */
    private String connects(String uri, int seconds) throws Exception {
        int threads = number("connect-threads");
        int perThread = number("devices-per-thread");
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> loops = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            loops.add(pool.submit(() -> {
                List<MqttClient> clients = new ArrayList<>();
                for (int d = 0; d < perThread; d++) {
                    int index = thread * perThread + d;
                    clients.add(new MqttClient(uri, "dev-" + index, new MemoryPersistence()));
                }
                int n = 0;
                while (System.nanoTime() < end) {
                    int index = thread * perThread + (n % perThread);
                    MqttClient client = clients.get(n % perThread);
                    n++;
                    SSLContext context = contexts.get(index);
                    // a full handshake every time: nothing to resume
                    forgetSessions(context.getClientSessionContext());
                    long start = System.nanoTime();
                    try {
                        client.connect(options(uri, context));
                        latencies.add(System.nanoTime() - start);
                        done.incrementAndGet();
                        client.disconnect(0);
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
                for (MqttClient client : clients) {
                    client.close(true);
                }
                return null;
            }));
        }
        for (Future<?> loop : loops) {
            loop.get();
        }
        pool.shutdown();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format("%.0f (%d in %d s, %d failed, CONNACK latency p50 %.1f ms, p99 %.1f ms)",
                done.get() / (double) seconds, done.get(), seconds, failed.get(), percentile(sorted, 0.50),
                percentile(sorted, 0.99));
    }

    private static void forgetSessions(SSLSessionContext sessions) {
        for (byte[] id : Collections.list(sessions.getIds())) {
            var session = sessions.getSession(id);
            if (session != null) {
                session.invalidate();
            }
        }
    }

    /** QoS 1 publishers with a window of outstanding publishes each; counts PUBACKs during the measured time. */
    private String publishes(String uri, boolean tls, int seconds) throws Exception {
        int publishers = number("publishers");
        int inflight = number("inflight");
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<MqttAsyncClient> clients = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            MqttAsyncClient client = new MqttAsyncClient(uri, "dev-" + i, new MemoryPersistence());
            MqttConnectOptions connect = tls ? options(uri, contexts.get(i)) : options(uri, null);
            if (!tls) {
                connect.setUserName("device");
                connect.setPassword("device-secret".toCharArray());
            }
            connect.setMaxInflight(inflight);
            client.connect(connect).waitForCompletion(30_000);
            clients.add(client);
        }
        byte[] payload = "{\"speed\":42,\"padding\":\"0123456789012345678901234567890123456789012345678901234567890123456789\"}"
                .getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch finished = new CountDownLatch(publishers);
        for (int i = 0; i < publishers; i++) {
            MqttAsyncClient client = clients.get(i);
            String topic = "bench/dev-" + i + "/telemetry";
            Thread publisher = new Thread(() -> {
                Semaphore window = new Semaphore(inflight);
                try {
                    while (System.nanoTime() < end) {
                        window.acquire();
                        MqttMessage message = new MqttMessage(payload);
                        message.setQos(1);
                        client.publish(topic, message, null, new IMqttActionListener() {
                            @Override
                            public void onSuccess(IMqttToken token) {
                                if (System.nanoTime() < end) {
                                    acked.incrementAndGet();
                                }
                                window.release();
                            }

                            @Override
                            public void onFailure(IMqttToken token, Throwable cause) {
                                failed.incrementAndGet();
                                window.release();
                            }
                        });
                    }
                    window.tryAcquire(inflight, 30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    failed.incrementAndGet();
                } finally {
                    finished.countDown();
                }
            }, "bench-publisher-" + i);
            publisher.start();
        }
        finished.await(seconds + 60L, TimeUnit.SECONDS);
        for (MqttAsyncClient client : clients) {
            try {
                client.disconnect().waitForCompletion(10_000);
            } catch (Exception ignored) {
                // the figure is taken; a slow disconnect changes nothing
            }
            client.close(true);
        }
        return String.format("%.0f (%d PUBACKs in %d s, %d publishers x %d in flight, %d failed)",
                acked.get() / (double) seconds, acked.get(), seconds, publishers, inflight, failed.get());
    }

    private static MqttConnectOptions options(String uri, SSLContext context) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setKeepAliveInterval(60);
        options.setConnectionTimeout(30);
        options.setAutomaticReconnect(false);
        if (uri.startsWith("ssl:")) {
            options.setSocketFactory(context.getSocketFactory());
            options.setHttpsHostnameVerificationEnabled(false);
        } else {
            options.setSocketFactory(SocketFactory.getDefault());
        }
        return options;
    }

    private ConfigurableApplicationContext startGateway() throws IOException {
        server.writeCertificatePem(files.resolve("server.pem"));
        server.writeKeyPem(files.resolve("server.key"));
        pki.ca().writeCertificatePem(files.resolve("ca.pem"));
        EmbeddedPostgresServer.DatabaseCoordinates database = EmbeddedPostgresServer.freshDatabase("gatewaybench");
        String kafka = EmbeddedKafkaServer.bootstrapServers();
        List<String> args = new ArrayList<>(Arrays.asList(
                "--server.port=" + freePort(),
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--spring.cloud.stream.kafka.binder.brokers=" + kafka,
                "--iot.gateway.mqtt.host=127.0.0.1",
                "--iot.gateway.mqtt.port=" + freePort(),
                "--iot.gateway.mqtt.tls.port=" + freePort(),
                "--iot.gateway.mqtt.tls.server-certificate=" + files.resolve("server.pem"),
                "--iot.gateway.mqtt.tls.server-key=" + files.resolve("server.key"),
                "--iot.gateway.mqtt.tls.trusted-certificates=" + files.resolve("ca.pem"),
                // the figures are the gateway's, not the log's
                "--logging.level.io.openiot=WARN", "--logging.level.io.moquette=WARN",
                "--logging.level.org.apache.kafka=WARN", "--logging.level.org.springframework=WARN",
                // every principal stays cached for the run, as a fleet's would between reconnects
                "--iot.gateway.auth.principal-cache-ttl=1h"));
        for (TestPki.Issued device : devices) {
            String prefix = "--iot.gateway.auth.static-principals." + device.certificateId();
            args.add(prefix + ".status=ACTIVE");
            args.add(prefix + ".policies.own-topics=" + OWN_TOPICS.replace("${", "\\${"));
        }
        return GatewayApplication.application().run(args.toArray(String[]::new));
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN
                : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1_000_000.0;
    }

    private int number(String option) {
        return Integer.parseInt(options.get(option));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
