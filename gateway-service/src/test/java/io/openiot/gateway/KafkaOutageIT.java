package io.openiot.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageHeaders;
import io.openiot.gateway.mqtt.MqttBroker;
import io.openiot.testsupport.EmbeddedPostgresServer;
import io.openiot.testsupport.RestartableKafkaBroker;
import io.openiot.testsupport.TestTokenIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 6, scenario 3: the Kafka broker stopped for 20 s under QoS 1 load from real MQTT clients, then restarted on
 * the same log directory and port. The gateway runs against it as in production (its own Spring context, topics
 * created by its binder). Checks: no PUBACK while Kafka is away; connections whose keep-alive (5 s) is far shorter
 * than the outage stay up (PINGREQ answered) until {@code kafka-ack-timeout} (15 s here) passes without an
 * acknowledgement, then are closed and reconnect; an HTTPS publish during the outage answers 503 after that time;
 * every PUBACKed message is on {@code iot.messages} after recovery, once. Prints the figures.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class KafkaOutageIT {

    /**
     * Shorter than the outage, so that the documented close is exercised; {@code -Doutage.ackTimeoutSeconds=30} runs
     * the scenario with the default, which a 20 s outage stays within.
     */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(Long.getLong("outage.ackTimeoutSeconds", 15));
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final int KEEP_ALIVE_SECONDS = 5;
    private static final int DEVICES = 4;
    /** Paho's own window of unacknowledged QoS 1 publishes, as a device SDK would have. */
    private static final int MAX_INFLIGHT = 10;
    private static final long PUBLISH_INTERVAL_MILLIS = 10;
    /** A PUBACK that Kafka's last acknowledgement released may still be on the wire when the broker has stopped. */
    private static final long WIRE_GRACE_MILLIS = 500;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static RestartableKafkaBroker kafka;
    private static ConfigurableApplicationContext gateway;
    private static int mqttPort;
    private static int httpPort;

    @BeforeAll
    static void startKafkaAndGateway() {
        kafka = new RestartableKafkaBroker(3);
        kafka.start();
        EmbeddedPostgresServer.DatabaseCoordinates database = EmbeddedPostgresServer.freshDatabase("gateway");
        mqttPort = freePort();
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.datasource.url", database.jdbcUrl());
        properties.put("spring.datasource.username", database.username());
        properties.put("spring.datasource.password", database.password());
        properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        properties.put("spring.cloud.stream.kafka.binder.brokers", kafka.bootstrapServers());
        properties.put("IOT_KAFKA_PARTITIONS", "3");
        properties.put("server.port", "0");
        properties.put("iot.gateway.mqtt.host", "127.0.0.1");
        properties.put("iot.gateway.mqtt.port", Integer.toString(mqttPort));
        properties.put("iot.gateway.mqtt.kafka-ack-timeout", ACK_TIMEOUT.toSeconds() + "s");
        properties.put("iot.gateway.replica.id", "outage-test");
        properties.put("iot.security.platform-issuer-uri", TestTokenIssuer.shared().issuerUri());
        // as command-line arguments: they must win over gateway-service.yml, as the launcher's settings do
        gateway = GatewayApplication.application().run(properties.entrySet().stream()
                .map(setting -> "--" + setting.getKey() + "=" + setting.getValue()).toArray(String[]::new));
        mqttPort = gateway.getBean(MqttBroker.class).port();
        httpPort = Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stopGatewayThenKafka() {
        if (gateway != null) {
            gateway.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void kafkaAwayFor20SecondsUnderQos1LoadLosesAndDuplicatesNothingThatWasAcknowledged() throws Exception {
        assertMessageTopicWasCreatedWithMinInsyncReplicas();
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            Device device = new Device("outage-device-" + i);
            device.connect();
            devices.add(device);
        }
        List<Thread> publishers = new ArrayList<>();
        for (Device device : devices) {
            Thread publisher = new Thread(device::publishUntilStopped, "publisher-" + device.clientId);
            publisher.setDaemon(true);
            publisher.start();
            publishers.add(publisher);
        }

        // the first request initialises Spring MVC; done now, so that the one during the outage measures Kafka only
        assertThat(get("/connections/" + devices.get(0).clientId)).isIn(200, 404);
        Thread.sleep(8_000);
        long stopBegan = System.currentTimeMillis();
        kafka.stop();
        long stopped = System.currentTimeMillis();
        CompletableFuture<HttpOutcome> httpDuringOutage = new CompletableFuture<>();
        Thread httpPublisher = new Thread(() -> httpDuringOutage.complete(httpPublish()), "https-publisher");
        httpPublisher.setDaemon(true);
        httpPublisher.start();
        Thread.sleep(OUTAGE.toMillis());
        long restartBegan = System.currentTimeMillis();
        kafka.start();
        long kafkaBack = System.currentTimeMillis();

        // every device publishes and is acknowledged again
        await().atMost(Duration.ofSeconds(90)).until(() -> devices.stream().allMatch(d -> d.lastAckAt() > kafkaBack));
        long allAcknowledgingAgain = System.currentTimeMillis();
        Thread.sleep(5_000);
        devices.forEach(Device::stopPublishing);
        for (Thread publisher : publishers) {
            publisher.join(30_000);
        }
        // what is still in flight gets its PUBACK or its connection closed within the ack timeout
        await().atMost(ACK_TIMEOUT.plusSeconds(15)).until(() -> devices.stream().allMatch(d -> d.inFlight.isEmpty()));
        devices.forEach(Device::disconnect);

        Map<String, Map<Long, Integer>> onKafka = recordsOnKafka();
        HttpOutcome http = httpDuringOutage.get(60, TimeUnit.SECONDS);

        long sent = 0;
        long acknowledged = 0;
        long lost = 0;
        long duplicated = 0;
        long storedWithoutPuback = 0;
        long acksWhileAway = 0;
        long firstAckAfterRestart = Long.MAX_VALUE;
        List<String> lossesTooEarly = new ArrayList<>();
        for (Device device : devices) {
            Map<Long, Integer> stored = onKafka.getOrDefault(device.clientId, Map.of());
            sent += device.sent.get();
            acknowledged += device.acked.size();
            for (Map.Entry<Long, Long> ack : device.acked.entrySet()) {
                if (!stored.containsKey(ack.getKey())) {
                    lost++;
                }
                long at = ack.getValue();
                if (at > stopped + WIRE_GRACE_MILLIS && at < restartBegan) {
                    acksWhileAway++;
                }
                if (at >= kafkaBack) {
                    firstAckAfterRestart = Math.min(firstAckAfterRestart, at);
                }
            }
            for (Map.Entry<Long, Integer> record : stored.entrySet()) {
                duplicated += record.getValue() - 1;
                if (!device.acked.containsKey(record.getKey())) {
                    storedWithoutPuback++;
                }
            }
            for (Loss loss : device.losses) {
                if (loss.waitedMillis() < ACK_TIMEOUT.toMillis() - 1_000) {
                    lossesTooEarly.add(device.clientId + " after " + loss.waitedMillis() + " ms");
                }
            }
        }
        List<Long> waits = devices.stream().flatMap(d -> d.losses.stream()).map(Loss::waitedMillis).sorted().toList();
        String figures = String.join("\n",
                "KAFKA-OUTAGE-FIGURES devices=" + DEVICES + " keepAlive=" + KEEP_ALIVE_SECONDS + "s ackTimeout="
                        + ACK_TIMEOUT.toSeconds() + "s outage=" + (restartBegan - stopped) + "ms (broker shutdown took "
                        + (stopped - stopBegan) + " ms, start " + (kafkaBack - restartBegan) + " ms)",
                "KAFKA-OUTAGE-FIGURES published=" + sent + " acknowledged=" + acknowledged + " onKafka="
                        + onKafka.values().stream().mapToLong(m -> m.values().stream().mapToInt(i -> i).sum()).sum()
                        + " lost=" + lost + " duplicated=" + duplicated + " storedWithoutPuback="
                        + storedWithoutPuback + " pubacksWhileKafkaAway=" + acksWhileAway,
                "KAFKA-OUTAGE-FIGURES connectionsClosed=" + waits.size() + " after waiting (ms) " + waits
                        + "; reconnects=" + devices.stream().mapToInt(d -> d.reconnects.get()).sum(),
                "KAFKA-OUTAGE-FIGURES recovery: first PUBACK " + (firstAckAfterRestart - kafkaBack)
                        + " ms after Kafka was back, every device acknowledged again after "
                        + (allAcknowledgingAgain - kafkaBack) + " ms",
                "KAFKA-OUTAGE-FIGURES https publish during the outage: " + http.status() + " " + http.code()
                        + " after " + http.elapsedMillis() + " ms");
        System.out.println(figures);

        assertThat(acknowledged).as("messages acknowledged").isPositive();
        assertThat(acksWhileAway).as("PUBACKs while Kafka was away").isZero();
        assertThat(lost).as("acknowledged messages missing from Kafka").isZero();
        assertThat(duplicated).as("records stored twice").isZero();
        assertThat(lossesTooEarly).as("connections closed before kafka-ack-timeout").isEmpty();
        // keep-alive 5 s: a client whose PINGREQs went unanswered would have dropped after about 10 s
        assertThat(devices).allSatisfy(device -> assertThat(device.losses)
                .allSatisfy(loss -> assertThat(loss.at()).isGreaterThan(stopBegan + ACK_TIMEOUT.toMillis() - 1_000)));
        // the HTTPS publish sent as Kafka went away: 503 after the ack timeout, or 200 only once Kafka was back
        if (http.status() == 503) {
            assertThat(http.code()).isEqualTo("ServiceUnavailableException");
            assertThat(http.elapsedMillis()).isGreaterThanOrEqualTo(ACK_TIMEOUT.toMillis() - 1_000);
        } else {
            assertThat(http.status()).isEqualTo(200);
            assertThat(stopped + http.elapsedMillis()).isGreaterThan(restartBegan);
        }
        if (ACK_TIMEOUT.plusSeconds(5).compareTo(OUTAGE) < 0) {
            assertThat(http.status()).as("the ack timeout ends before Kafka returns").isEqualTo(503);
        }
    }

    private static void assertMessageTopicWasCreatedWithMinInsyncReplicas() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, KafkaTopics.MESSAGES);
            Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
            ConfigEntry minInsync = config.get("min.insync.replicas");
            assertThat(minInsync.value()).isEqualTo("1");
            // set on the topic when the binder created it, not the broker's default
            assertThat(minInsync.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        }
    }

    /** Every record on the message topic: client id → payload sequence → how many times it is there. */
    private static Map<String, Map<Long, Integer>> recordsOnKafka() {
        Map<String, Map<Long, Integer>> found = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(KafkaTopics.MESSAGES, Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    var client = record.headers().lastHeader(MessageHeaders.CLIENT_ID);
                    if (client == null) {
                        continue;
                    }
                    long sequence = JSON.readTree(record.value()).get("seq").asLong();
                    found.computeIfAbsent(new String(client.value(), StandardCharsets.UTF_8), c -> new HashMap<>())
                            .merge(sequence, 1, Integer::sum);
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return found;
    }

    private record HttpOutcome(int status, String code, long elapsedMillis) {
    }

    private static HttpOutcome httpPublish() {
        long began = System.currentTimeMillis();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + httpPort + "/topics/outage%2Fhttp?qos=1"))
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString("{\"http\":1}"))
                    .header("Authorization", "Bearer " + TestTokenIssuer.shared().adminToken())
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            String code = body.has("code") ? body.get("code").asString() : body.path("message").asString();
            return new HttpOutcome(response.statusCode(), code, System.currentTimeMillis() - began);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Bearer " + TestTokenIssuer.shared().adminToken())
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** A connection closed under a device, and how long its oldest unacknowledged publish had waited by then. */
    private record Loss(long at, long waitedMillis) {
    }

    /**
     * One MQTT device publishing numbered QoS 1 messages as fast as its in-flight window allows (at most one per
     * 10 ms). When its connection is closed it reconnects with a clean session and goes on with new numbers: what
     * was not acknowledged is simply not acknowledged, so every PUBACK can be checked against Kafka.
     */
    private static final class Device implements MqttCallback {
        final String clientId;
        final MqttAsyncClient client;
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger reconnects = new AtomicInteger();
        /** sequence → when its PUBACK arrived */
        final Map<Long, Long> acked = new ConcurrentHashMap<>();
        /** sequence → when it was published, for publishes of the current connection without PUBACK yet */
        final Map<Long, Long> inFlight = new ConcurrentHashMap<>();
        final List<Loss> losses = new CopyOnWriteArrayList<>();
        private volatile boolean publishing = true;
        private volatile long lastAckAt;

        Device(String clientId) throws MqttException {
            this.clientId = clientId;
            this.client = new MqttAsyncClient("tcp://127.0.0.1:" + mqttPort, clientId, new MemoryPersistence());
            client.setCallback(this);
        }

        void connect() throws MqttException {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setCleanSession(true);
            options.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
            options.setConnectionTimeout(10);
            options.setMaxInflight(MAX_INFLIGHT);
            options.setUserName("device");
            options.setPassword("device-secret".toCharArray());
            client.connect(options).waitForCompletion(15_000);
        }

        long lastAckAt() {
            return lastAckAt;
        }

        void publishUntilStopped() {
            long sequence = 0;
            while (publishing) {
                try {
                    if (!client.isConnected()) {
                        Thread.sleep(200);
                        if (!client.isConnected()) {
                            connect();
                            reconnects.incrementAndGet();
                        }
                        continue;
                    }
                    long seq = sequence;
                    MqttMessage message = new MqttMessage(("{\"client\":\"" + clientId + "\",\"seq\":" + seq + "}")
                            .getBytes(StandardCharsets.UTF_8));
                    message.setQos(1);
                    inFlight.put(seq, System.currentTimeMillis());
                    try {
                        client.publish("iot/outage/" + clientId, message, null, new IMqttActionListener() {
                            @Override
                            public void onSuccess(IMqttToken token) {
                                long now = System.currentTimeMillis();
                                acked.put(seq, now);
                                inFlight.remove(seq);
                                lastAckAt = now;
                            }

                            @Override
                            public void onFailure(IMqttToken token, Throwable error) {
                                // only when the connection is lost, which clears what is in flight
                            }
                        });
                    } catch (MqttException e) {
                        inFlight.remove(seq);
                        // window full or not connected: the same number goes again
                        Thread.sleep(5);
                        continue;
                    }
                    sent.incrementAndGet();
                    sequence++;
                    Thread.sleep(PUBLISH_INTERVAL_MILLIS);
                } catch (MqttException e) {
                    // reconnect failed; try again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void stopPublishing() {
            publishing = false;
        }

        void disconnect() {
            try {
                if (client.isConnected()) {
                    client.disconnectForcibly(1000, 1000);
                }
                client.close(true);
            } catch (MqttException e) {
                // the test is over for this device
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            long now = System.currentTimeMillis();
            long oldest = inFlight.values().stream().mapToLong(Long::longValue).min().orElse(now);
            losses.add(new Loss(now, now - oldest));
            // a clean session: Paho drops these, the gateway never acknowledged them
            inFlight.clear();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
