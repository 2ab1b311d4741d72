package io.openiot.launcher;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import io.openiot.contracts.KafkaTopics;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.assertj.core.api.SoftAssertions;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 6, fault scenario 1: the one-command platform, in a JVM of its own with a data directory, is killed with
 * SIGKILL while QoS 1 publishers are sending numbered messages, then started again on the same data; the second time
 * its embedded PostgreSQL is killed at the same instant. A rule stores every message ({@code dynamoDB}) and republishes
 * it to a subscriber. Checked: every PUBACKed message is stored exactly once and no PostgreSQL process of the data
 * directory survives the kill; every republished copy reaches a subscriber with a persistent session. Both kills
 * share one platform (and its start-up cost); each uses its own topics and publishers. The figures (acknowledged, stored, lost, duplicated,
 * copies missing and where they were lost, time from restart to caught up) are printed to the test's output.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 25, unit = TimeUnit.MINUTES)
class PlatformCrashRecoveryIT {

    private static final int PUBLISHERS = 4;
    private static final Duration LOAD_BEFORE_KILL = Duration.ofSeconds(6);
    private static final Duration LOAD_AFTER_RESTART = Duration.ofSeconds(4);
    // ~25 s on an idle 2-core machine; far more when other builds share it
    private static final Duration START_TIMEOUT = Duration.ofSeconds(360);
    private static final String RULE = """
            {"sql": "SELECT * FROM 'load/#'",
             "actions": [
               {"dynamoDB": {"tableName": "load", "roleArn": "arn:aws:iam::000000000000:role/ignored",
                             "hashKeyField": "publisher", "hashKeyValue": "${publisher}",
                             "rangeKeyField": "seq", "rangeKeyValue": "${seq}", "payloadField": "payload"}},
               {"republish": {"topic": "copies/${topic(2)}/${topic(3)}", "qos": 1,
                              "roleArn": "arn:aws:iam::000000000000:role/ignored"}}
             ]}""";

    private static final JsonMapper json = JsonMapper.builder().build();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Path root;
    private static Path log;
    private static LauncherSettings settings;
    private static PlatformProcess platform;
    private static final List<String> figures = new ArrayList<>();
    private static String adminToken;

    @BeforeAll
    static void startPlatformWithARule() throws Exception {
        root = Files.createTempDirectory("openiot-crash-");
        log = root.resolve("platform.log");
        settings = PlatformProcess.settings(root.resolve("data"));
        platform = PlatformProcess.startAndAwaitReady(settings, log, START_TIMEOUT);
        HttpResponse<String> created = send("POST", settings.httpPort(PlatformService.RULES), "/rules/load", RULE);
        if (created.statusCode() != 200) {
            throw new AssertionError("rule not created: " + created.statusCode() + " " + created.body());
        }
        // one message through the whole path: the rule is active and every consumer has its partitions
        try (Subscriber copies = Subscriber.connect("probe-copies", "copies/probe/#")) {
            Publisher probe = new Publisher("probe", 0);
            await("the probe stored and republished").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> {
                        if (probe.acked.isEmpty()) {
                            probe.publishOne(0);
                        }
                        return stored("probe-p0").containsKey(0) && copies.received("probe-p0").contains(0);
                    });
            probe.close();
        }
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        figures.forEach(System.out::println);
        if (platform != null) {
            platform.stop();
        }
        if (root != null) {
            // the platform's log stays for whoever investigates; the data goes
            EmbeddedKafkaBroker.deleteRecursively(root.resolve("data"));
            System.out.println("platform log: " + log);
        }
    }

    @Test
    @Order(1)
    void afterASigkillOfThePlatformEveryAcknowledgedMessageIsStoredOnceAndRepublished() throws Exception {
        runKillScenario("jvm", false);
    }

    @Test
    @Order(2)
    void afterASigkillOfThePlatformAndItsDatabaseAtOnceEveryAcknowledgedMessageIsStoredOnceAndRepublished()
            throws Exception {
        runKillScenario("jvmdb", true);
    }

    private static void runKillScenario(String scenario, boolean killDatabaseToo) throws Exception {
        Path postgresData = settings.dataDirectory().orElseThrow().toAbsolutePath().resolve("postgres");
        try (Subscriber copies = Subscriber.connect("copies-" + scenario, "copies/" + scenario + "/#")) {
            List<Publisher> publishers = new ArrayList<>();
            for (int i = 0; i < PUBLISHERS; i++) {
                publishers.add(new Publisher(scenario, i));
            }
            publishers.forEach(Publisher::start);
            Thread.sleep(LOAD_BEFORE_KILL.toMillis());

            ProcessHandle postmaster = PostmasterPidFile.read(postgresData)
                    .flatMap(PostmasterPidFile::runningProcess)
                    .orElseThrow(() -> new AssertionError("no PostgreSQL running on " + postgresData));
            List<ProcessHandle> postgresProcesses = new ArrayList<>(postmaster.descendants().toList());
            postgresProcesses.add(postmaster);
            if (killDatabaseToo) {
                postmaster.destroyForcibly();
            }
            platform.kill();
            long killedAt = System.nanoTime();
            long killedAtMillis = System.currentTimeMillis();
            Map<String, Set<Integer>> ackedBeforeKill = snapshot(publishers);

            boolean postgresGone = awaitQuietly(Duration.ofSeconds(15),
                    () -> postgresProcesses.stream().noneMatch(ProcessHandle::isAlive));
            double postgresGoneSeconds = seconds(System.nanoTime() - killedAt);

            platform = PlatformProcess.startAndAwaitReady(settings, log, START_TIMEOUT);
            long readyAt = System.nanoTime();
            Thread.sleep(LOAD_AFTER_RESTART.toMillis());
            publishers.forEach(Publisher::finish);

            // caught up: what was acknowledged before the kill is stored
            boolean caughtUp = awaitQuietly(Duration.ofSeconds(120), () -> allStored(ackedBeforeKill));
            double catchUpSeconds = seconds(System.nanoTime() - readyAt);
            Map<String, Set<Integer>> acked = snapshot(publishers);
            awaitQuietly(Duration.ofSeconds(60), () -> allStored(acked));
            awaitQuietly(Duration.ofSeconds(20), () -> acked.entrySet().stream()
                    .allMatch(entry -> copies.received(entry.getKey()).containsAll(entry.getValue())));

            int ackedCount = 0;
            int storedCount = 0;
            int lost = 0;
            int duplicated = 0;
            int resentStoredTwice = 0;
            int copiesMissing = 0;
            // where a missing copy was lost: republished (on iot.messages) before the kill or after it, or never
            Map<String, Map<Integer, Long>> republished = republishedOnKafka(scenario);
            int missingRepublishedBeforeKill = 0;
            int missingRepublishedAfterKill = 0;
            List<String> lostExamples = new ArrayList<>();
            List<String> duplicateExamples = new ArrayList<>();
            List<String> missingCopyExamples = new ArrayList<>();
            for (Publisher publisher : publishers) {
                Map<Integer, Integer> stored = stored(publisher.id);
                Set<Integer> received = copies.received(publisher.id);
                for (int seq : publisher.acked) {
                    ackedCount++;
                    int times = stored.getOrDefault(seq, 0);
                    storedCount += times > 0 ? 1 : 0;
                    if (times == 0) {
                        lost++;
                        example(lostExamples, publisher.id + "#" + seq);
                    } else if (times > 1 && publisher.resent.contains(seq)) {
                        // the device itself sent it twice (QoS 1 is at least once): not the platform's duplicate
                        resentStoredTwice++;
                    } else if (times > 1) {
                        duplicated++;
                        example(duplicateExamples, publisher.id + "#" + seq + " x" + times);
                    }
                    if (!received.contains(seq)) {
                        copiesMissing++;
                        example(missingCopyExamples, publisher.id + "#" + seq);
                        Long at = republished.getOrDefault(publisher.id, Map.of()).get(seq);
                        if (at != null && at < killedAtMillis) {
                            missingRepublishedBeforeKill++;
                        } else if (at != null) {
                            missingRepublishedAfterKill++;
                        }
                    }
                }
            }
            String figure = String.format("crash scenario %-5s (%s): acknowledged %d, stored %d, lost %d, "
                            + "duplicated %d (plus %d resent by the device and stored twice), republished copies "
                            + "missing %d (on iot.messages before the kill %d, after it %d), PostgreSQL processes "
                            + "gone %.1f s after the kill, restart to caught up %.1f s%s",
                    scenario, killDatabaseToo ? "platform JVM and postmaster SIGKILLed" : "platform JVM SIGKILLed",
                    ackedCount, storedCount, lost, duplicated, resentStoredTwice, copiesMissing,
                    missingRepublishedBeforeKill, missingRepublishedAfterKill, postgresGoneSeconds,
                    catchUpSeconds, caughtUp ? "" : " (NOT caught up)");
            figures.add(figure);
            System.out.println(figure);

            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(postgresGone).as("no PostgreSQL process of the data directory survives the kill")
                    .isTrue();
            softly.assertThat(ackedCount).as("messages acknowledged before and after the kill")
                    .isGreaterThan(PUBLISHERS * 10);
            softly.assertThat(lost).as("acknowledged messages never stored, e.g. " + lostExamples).isZero();
            softly.assertThat(duplicated).as("acknowledged messages stored twice, e.g. " + duplicateExamples)
                    .isZero();
            softly.assertThat(copiesMissing).as("acknowledged messages whose republished copy never arrived, e.g. "
                    + missingCopyExamples).isZero();
            softly.assertAll();
        }
    }

    /**
     * The republished copies on {@code iot.messages} (record key = MQTT topic, value = payload): per publisher, the
     * time each sequence number's first copy was written.
     */
    private static Map<String, Map<Integer, Long>> republishedOnKafka(String scenario) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + settings.kafkaPort());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, Map<Integer, Long>> copies = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(KafkaTopics.MESSAGES, Duration.ofSeconds(30))
                    .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() != null && record.key().startsWith("copies/" + scenario + "/")) {
                        JsonNode copy = json.readTree(record.value());
                        copies.computeIfAbsent(copy.path("publisher").asString(), key -> new HashMap<>())
                                .merge(copy.path("seq").asInt(), record.timestamp(), Math::min);
                    }
                }
            }
        } catch (RuntimeException e) {
            System.out.println("could not read iot.messages: " + e);
        }
        return copies;
    }

    private static void example(List<String> examples, String what) {
        if (examples.size() < 10) {
            examples.add(what);
        }
    }

    private static Map<String, Set<Integer>> snapshot(List<Publisher> publishers) {
        Map<String, Set<Integer>> acked = new HashMap<>();
        publishers.forEach(publisher -> acked.put(publisher.id, Set.copyOf(publisher.acked)));
        return acked;
    }

    private static boolean allStored(Map<String, Set<Integer>> acked) throws Exception {
        for (var entry : acked.entrySet()) {
            if (!stored(entry.getKey()).keySet().containsAll(entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean awaitQuietly(Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(condition);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** How many items the sink holds for each sequence number of one publisher, read page by page. */
    private static Map<Integer, Integer> stored(String publisher) throws Exception {
        Map<Integer, Integer> counts = new HashMap<>();
        String nextToken = null;
        do {
            String path = "/tables/load/items?limit=1000&partitionKey=" + encode(publisher)
                    + (nextToken == null ? "" : "&nextToken=" + encode(nextToken));
            HttpResponse<String> response = send("GET", settings.httpPort(PlatformService.SINK), path, null);
            if (response.statusCode() == 404) {
                return counts; // no table before the first write
            }
            if (response.statusCode() != 200) {
                throw new IOException("sink answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode page = json.readTree(response.body());
            page.path("items").forEach(item -> counts.merge(item.path("item").path("payload").path("seq").asInt(),
                    1, Integer::sum));
            nextToken = page.hasNonNull("nextToken") ? page.path("nextToken").asString() : null;
        } while (nextToken != null);
        return counts;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> send(String method, int port, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + adminToken())
                .timeout(Duration.ofSeconds(10));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A client-credentials token of the admin client the platform generated into its data directory; it stays valid
     * across the restarts (same credentials, same signing keys in the database).
     */
    private static synchronized String adminToken() throws Exception {
        if (adminToken == null) {
            PlatformCredentials credentials = PlatformCredentials.loadOrCreate(settings.dataDirectory().orElseThrow());
            String basic = java.util.Base64.getEncoder().encodeToString((credentials.adminClientId() + ":"
                    + credentials.adminClientSecret()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                            + settings.httpPort(PlatformService.POLICY) + "/oauth2/token"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (token.statusCode() != 200) {
                throw new AssertionError("no admin token: " + token.statusCode() + " " + token.body());
            }
            adminToken = json.readTree(token.body()).path("access_token").asString();
        }
        return adminToken;
    }

    private static MqttConnectOptions options(boolean cleanSession) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(settings.devUsername());
        options.setPassword(settings.devPassword().toCharArray());
        options.setCleanSession(cleanSession);
        options.setConnectionTimeout(5);
        options.setKeepAliveInterval(10);
        return options;
    }

    /**
     * A device publishing {@code {"publisher","seq"}} at QoS 1 on {@code load/<scenario>/p<n>}, one message at a time.
     * A sequence number counts as acknowledged once its PUBACK arrived; a publish that failed (the platform went
     * away) is sent again after reconnecting, as a device would, and remembered as resent.
     */
    private static final class Publisher {
        final String id;
        final String topic;
        final Set<Integer> acked = ConcurrentHashMap.newKeySet();
        final Set<Integer> resent = ConcurrentHashMap.newKeySet();
        private final MqttClient client;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Publisher(String scenario, int number) throws MqttException {
            this.id = scenario + "-p" + number;
            this.topic = "load/" + scenario + "/p" + number;
            this.client = new MqttClient("tcp://localhost:" + settings.mqttPort(), "pub-" + id,
                    new MemoryPersistence());
            client.setTimeToWait(10_000);
            this.thread = new Thread(this::run, "publisher-" + id);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            int seq = 1;
            while (running.get()) {
                try {
                    publishOne(seq);
                    seq++;
                } catch (MqttException e) {
                    resent.add(seq);
                    reconnectPause();
                }
            }
            close();
        }

        void publishOne(int seq) throws MqttException {
            if (!client.isConnected()) {
                client.connect(options(true));
            }
            MqttMessage message = new MqttMessage(("{\"publisher\":\"" + id + "\",\"seq\":" + seq + "}")
                    .getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            client.publish(topic, message); // returns once the PUBACK arrived
            acked.add(seq);
        }

        private void reconnectPause() {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.set(false);
            }
        }

        void finish() {
            running.set(false);
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void close() {
            try {
                if (client.isConnected()) {
                    client.disconnect(2_000);
                }
                client.close();
            } catch (MqttException ignored) {
                // closing after the platform went away
            }
        }
    }

    /**
     * An application subscribed at QoS 1 with a persistent session (clean session off, as AWS's offline delivery
     * needs), reconnecting on its own and subscribing again when the broker no longer knows its session.
     */
    private static final class Subscriber implements AutoCloseable {
        private final MqttClient client;
        private final String filter;
        private final Map<String, Set<Integer>> received = new ConcurrentHashMap<>();

        private Subscriber(MqttClient client, String filter) {
            this.client = client;
            this.filter = filter;
        }

        static Subscriber connect(String clientId, String filter) throws MqttException {
            MqttClient client = new MqttClient("tcp://localhost:" + settings.mqttPort(), clientId,
                    new MemoryPersistence());
            Subscriber subscriber = new Subscriber(client, filter);
            client.setCallback(subscriber.callback());
            MqttConnectOptions options = options(false);
            options.setAutomaticReconnect(true);
            options.setMaxReconnectDelay(1_000);
            client.connect(options);
            client.subscribe(filter, 1);
            return subscriber;
        }

        private MqttCallbackExtended callback() {
            return new MqttCallbackExtended() {
                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                    if (reconnect) {
                        // the restarted broker has no session to resume: subscribe again, off the callback thread
                        Thread resubscribe = new Thread(() -> {
                            try {
                                client.subscribe(filter, 1);
                            } catch (MqttException e) {
                                System.out.println("resubscribe failed: " + e);
                            }
                        }, "resubscribe");
                        resubscribe.setDaemon(true);
                        resubscribe.start();
                    }
                }

                @Override
                public void connectionLost(Throwable cause) {
                    // automatic reconnect takes over
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    JsonNode copy = json.readTree(message.getPayload());
                    received.computeIfAbsent(copy.path("publisher").asString(), key -> ConcurrentHashMap.newKeySet())
                            .add(copy.path("seq").asInt());
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                    // publishes nothing
                }
            };
        }

        Set<Integer> received(String publisher) {
            return received.getOrDefault(publisher, Set.of());
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect(2_000);
            }
            client.close();
        }
    }
}
