package io.openiot.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.moquette.broker.ISessionsRepository;
import io.moquette.persistence.H2Builder;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageIds;
import io.openiot.gateway.mqtt.MqttBroker;
import io.openiot.testsupport.EmbeddedKafkaServer;
import io.openiot.testsupport.EmbeddedPostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.stream.binding.BindingsLifecycleController;
import org.springframework.cloud.stream.binding.InputBindingLifecycle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * A gateway stopped and started again with the same replica id and persistence directory (what the one-command run
 * does with a data directory): a persistent-session subscriber gets what a service republished while it was down,
 * without subscribing again.
 */
// generous: on a loaded build machine one start of the context has taken over three minutes
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class GatewayRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(180);

    @TempDir
    Path persistence;

    private final int mqttPort = freePort();
    private final Map<String, Object> settings = new HashMap<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private KafkaProducer<String, byte[]> producer;
    private ConfigurableApplicationContext gateway;
    private MqttClient subscriber;

    @BeforeEach
    void configure() {
        EmbeddedPostgresServer.DatabaseCoordinates database = EmbeddedPostgresServer.freshDatabase("gateway");
        String brokers = EmbeddedKafkaServer.bootstrapServers();
        settings.put("spring.datasource.url", database.jdbcUrl());
        settings.put("spring.datasource.username", database.username());
        settings.put("spring.datasource.password", database.password());
        settings.put("spring.kafka.bootstrap-servers", brokers);
        settings.put("spring.cloud.stream.kafka.binder.brokers", brokers);
        settings.put("server.port", 0);
        settings.put("iot.gateway.mqtt.host", "127.0.0.1");
        settings.put("iot.gateway.mqtt.port", mqttPort);
        settings.put("iot.gateway.replica.id", "restart-" + UUID.randomUUID().toString().substring(0, 8));
        settings.put("iot.gateway.mqtt.persistence-directory", persistence.toString());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() throws MqttException {
        if (subscriber != null) {
            if (subscriber.isConnected()) {
                subscriber.disconnectForcibly(1000, 1000);
            }
            subscriber.close(true);
        }
        if (gateway != null) {
            gateway.close();
        }
        producer.close(Duration.ofSeconds(5));
    }

    @Test
    void persistentSubscriberGetsWhatWasRepublishedWhileTheGatewayWasDown() throws Exception {
        String topic = "restart/" + UUID.randomUUID() + "/out";
        gateway = start();
        subscriber = new MqttClient("tcp://127.0.0.1:" + mqttPort, "app-" + UUID.randomUUID(),
                new MemoryPersistence());
        subscriber.setCallback(collector());
        assertThat(subscriber.connectWithResult(options()).getSessionPresent()).isFalse();
        subscriber.subscribe(topic, 1);
        // the gateway's consumer group takes its partitions some time after start; until a probe arrives, the
        // group has no committed offsets to resume from
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            republish(topic, "probe");
            return received.contains("probe");
        });

        gateway.close();
        gateway = null;
        await().atMost(WAIT).until(() -> !subscriber.isConnected());
        republish(topic, "while-down");
        assertThat(persistence.resolve("moquette_store.h2")).as("Moquette's H2 store").isNotEmptyFile();
        gateway = start();

        // same client id, clean session off, and no SUBSCRIBE: the session and its subscription come from disk
        assertThat(subscriber.connectWithResult(options()).getSessionPresent())
                .as("the restarted broker knows the persistent session").isTrue();
        await().atMost(WAIT).untilAsserted(() -> assertThat(received).contains("while-down"));
    }

    @Test
    void devicesAreFedFromKafkaOnlyWhileTheBrokerRuns() {
        gateway = start();
        // a consumer that ran while the broker was down would drop records and commit their offsets
        SmartLifecycle deliveryStarter = gateway.getBean("deviceDeliveryStarter", SmartLifecycle.class);
        MqttBroker broker = gateway.getBean(MqttBroker.class);
        assertThat(deliveryStarter.getPhase()).as("started after the broker, stopped before it")
                .isGreaterThan(broker.getPhase());
        assertThat(gateway.getBeansOfType(InputBindingLifecycle.class).values())
                .as("the bindings, which create the topics, start before the broker")
                .allSatisfy(inputs -> assertThat(inputs.getPhase()).isLessThan(broker.getPhase()));
        BindingsLifecycleController bindings = gateway.getBean(BindingsLifecycleController.class);
        assertThat(bindings.queryState("deliverToDevices-in-0")).singleElement()
                .satisfies(binding -> assertThat(binding.isRunning()).isTrue());

        gateway.stop();
        assertThat(bindings.queryState("deliverToDevices-in-0")).singleElement()
                .satisfies(binding -> assertThat(binding.isRunning()).isFalse());
    }

    @Test
    void aSessionThatWasConnectedWhenTheBrokerWasKilledIsThereAfterTheRestart() throws Exception {
        // what a SIGKILL leaves: Moquette stores a connected client's session without an expiry instant
        String clientId = "killed-" + UUID.randomUUID();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        H2Builder store = new H2Builder(scheduler, persistence, 1, Clock.systemUTC()).initStore();
        store.sessionsRepository().saveSession(new ISessionsRepository.SessionData(clientId, MqttVersion.MQTT_3_1_1,
                Integer.MAX_VALUE, Clock.systemUTC()));
        // Moquette restores only sessions that have a queue, as every persistent session does
        store.queueRepository().getOrCreateQueue(clientId);
        store.closeStore();
        scheduler.shutdownNow();

        gateway = start();
        subscriber = new MqttClient("tcp://127.0.0.1:" + mqttPort, clientId, new MemoryPersistence());
        assertThat(subscriber.connectWithResult(options()).getSessionPresent()).isTrue();
    }

    @Test
    void aPersistentSessionDrainsItsQueueWhileTheStoreIsCommittedUnderLoad() throws Exception {
        // Moquette's H2 store serialises queued messages when it commits, on another thread than the session loop
        // that sends, acknowledges and releases them; a released payload there once killed a session loop
        // ("Map queue_... is closed", refCnt 0) in the platform's crash test
        String topic = "drain/" + UUID.randomUUID() + "/out";
        gateway = start();
        MqttBroker broker = gateway.getBean(MqttBroker.class);
        MeterRegistry meters = gateway.getBean(MeterRegistry.class);
        subscriber = new MqttClient("tcp://127.0.0.1:" + mqttPort, "app-" + UUID.randomUUID(),
                new MemoryPersistence());
        subscriber.setCallback(collector());
        MqttConnectOptions options = options();
        options.setMaxInflight(100);
        subscriber.connect(options);
        subscriber.subscribe(topic, 1);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            republish(topic, "probe");
            return received.contains("probe");
        });
        subscriber.disconnect();

        int queuedWhileAway = 2_000;
        int sentWhileDraining = 2_000;
        republishMany(topic, "away-", queuedWhileAway);
        Thread committer = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                broker.flushStore();
            }
        }, "test-store-committer");
        committer.start();
        try {
            // every record taken by the delivery (so queued for the offline session) before it reconnects
            await().atMost(WAIT).until(() -> delivered(meters) >= queuedWhileAway + 1);
            subscriber.connect(options);
            republishMany(topic, "draining-", sentWhileDraining);
            await().atMost(WAIT).untilAsserted(() -> assertThat(received.stream()
                    .filter(text -> text.startsWith("away-") || text.startsWith("draining-")).distinct().count())
                    .as("distinct copies delivered").isEqualTo(queuedWhileAway + sentWhileDraining));
        } finally {
            committer.interrupt();
            committer.join(10_000);
        }
        assertThat(broker.storeFailure()).as("Moquette's store is still open").isEmpty();
    }

    private ConfigurableApplicationContext start() {
        // as command-line arguments, so they win over the service's own file like the launcher's settings do
        return GatewayApplication.application().run(settings.entrySet().stream()
                .map(setting -> "--" + setting.getKey() + "=" + setting.getValue()).toArray(String[]::new));
    }

    private void republish(String topic, String text) throws Exception {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        IotMessage message = IotMessage.republished(topic, payload, 1, "rules-service", null,
                System.currentTimeMillis(), MessageIds.newEntryId());
        List<Header> headers = new ArrayList<>();
        message.headers().forEach((name, value) -> headers.add(new RecordHeader(name, value)));
        producer.send(new ProducerRecord<>(KafkaTopics.MESSAGES, null, topic, payload, headers))
                .get(10, TimeUnit.SECONDS);
    }

    private static double delivered(MeterRegistry meters) {
        return meters.get("iot.gateway.messages.delivered").counter().count();
    }

    private void republishMany(String topic, String prefix, int count) throws Exception {
        List<Future<?>> sent = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] payload = (prefix + i).getBytes(StandardCharsets.UTF_8);
            IotMessage message = IotMessage.republished(topic, payload, 1, "rules-service", null,
                    System.currentTimeMillis(), MessageIds.newEntryId());
            List<Header> headers = new ArrayList<>();
            message.headers().forEach((name, value) -> headers.add(new RecordHeader(name, value)));
            sent.add(producer.send(new ProducerRecord<>(KafkaTopics.MESSAGES, null, topic, payload, headers)));
        }
        for (Future<?> each : sent) {
            each.get(30, TimeUnit.SECONDS);
        }
    }

    private MqttCallback collector() {
        return new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                // the test reconnects itself
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // publishes nothing
            }
        };
    }

    private static MqttConnectOptions options() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(false);
        options.setConnectionTimeout(10);
        options.setUserName("device");
        options.setPassword("device-secret".toCharArray());
        return options;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
