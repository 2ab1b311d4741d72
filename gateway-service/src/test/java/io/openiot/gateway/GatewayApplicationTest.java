package io.openiot.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageHeaders;
import io.openiot.contracts.MessageIds;
import io.openiot.gateway.mqtt.MqttBroker;
import io.openiot.testsupport.EmbeddedKafkaServer;
import io.openiot.testsupport.ServiceEndpoints;
import io.openiot.testsupport.TestInfrastructure;
import io.openiot.testsupport.TestTokenIssuer;
import io.openiot.web.testing.TestAccessKeys;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.MqttTopic;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iotdataplane.IotDataPlaneClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The gateway against a real Kafka broker and PostgreSQL, driven by Paho MQTT clients as devices. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = GatewayApplication.CONFIG_NAME)
@Import(TestAccessKeys.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GatewayApplicationTest {

    /** The access key the AWS SDK signs with; {@link TestAccessKeys} holds it where policy-service would. */
    static final String ACCESS_KEY = TestAccessKeys.ACCESS_KEY;
    static final String SECRET_KEY = TestAccessKeys.SECRET_KEY;

    private static final int MQTT_PORT = freePort();
    private static final String REPLICA_ID = "test-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static KafkaProducer<String, byte[]> producer;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "gateway");
        TestTokenIssuer.registerAsPlatformIssuer(registry);
        registry.add("iot.gateway.mqtt.host", () -> "127.0.0.1");
        registry.add("iot.gateway.mqtt.port", () -> MQTT_PORT);
        registry.add("iot.gateway.replica.id", () -> REPLICA_ID);
    }

    @LocalServerPort
    int httpPort;

    @Autowired
    MqttBroker broker;

    private final List<MqttClient> clients = new ArrayList<>();

    @BeforeAll
    static void startProducer() {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopProducer() {
        producer.close(Duration.ofSeconds(5));
    }

    @AfterEach
    void disconnectClients() throws MqttException {
        for (MqttClient client : clients) {
            if (client.isConnected()) {
                client.disconnectForcibly(1000, 1000);
            }
            client.close(true);
        }
    }

    @Test
    void qos1PublishIsOnKafkaWhenThePubackArrives() throws Exception {
        String clientId = "car1-" + UUID.randomUUID();
        MqttClient device = connect(clientId);
        long before = System.currentTimeMillis();
        long recordsBefore = recordsOnMessageTopic();

        MqttMessage message = new MqttMessage("{\"speed\":140}".getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        IMqttDeliveryToken token = device.getTopic("iot/ccar-ad/car1").publish(message);
        token.waitForCompletion(10_000);

        // the PUBACK has arrived: Kafka must already have the record, no waiting allowed
        assertThat(recordsOnMessageTopic()).isEqualTo(recordsBefore + 1);

        ConsumerRecord<String, byte[]> record = recordFrom(clientId);
        assertThat(record.key()).isEqualTo("iot/ccar-ad/car1");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"speed\":140}");
        assertThat(header(record, MessageHeaders.MQTT_TOPIC)).isEqualTo("iot/ccar-ad/car1");
        assertThat(header(record, MessageHeaders.QOS)).isEqualTo("1");
        assertThat(header(record, MessageHeaders.RETAIN)).isEqualTo("false");
        assertThat(header(record, MessageHeaders.PRINCIPAL)).isEqualTo("device");
        assertThat(header(record, MessageHeaders.ORIGIN)).isEqualTo("gateway/" + REPLICA_ID);
        assertThat(header(record, MessageHeaders.HOP_COUNT)).isEqualTo("0");
        assertThat(UUID.fromString(header(record, MessageHeaders.TRACE_ID))).isNotNull();
        assertThat(Long.parseLong(header(record, MessageHeaders.TIMESTAMP)))
                .isBetween(before, System.currentTimeMillis());
    }

    @Test
    void nonJsonPayloadIsForwardedByteForByte() throws Exception {
        String clientId = "binary-" + UUID.randomUUID();
        MqttClient device = connect(clientId);
        byte[] payload = {0, (byte) 0xFF, (byte) 0x80, 'x', '{'};

        device.publish("iot/binary/blob", payload, 0, false);

        ConsumerRecord<String, byte[]> record = recordFrom(clientId);
        assertThat(record.value()).isEqualTo(payload);
        assertThat(header(record, MessageHeaders.QOS)).isEqualTo("0");
    }

    @Test
    void messageThatAServicePutsOnKafkaReachesSubscribedDevices() throws Exception {
        Inbox inbox = new Inbox();
        MqttClient subscriber = connect("lamp-" + UUID.randomUUID());
        subscriber.subscribe("dt/+/lights", 1, inbox::add);
        awaitGatewayConsumesKafka(subscriber);

        produceFromService("dt/room1/lights", "{\"on\":true}".getBytes(StandardCharsets.UTF_8), 1);

        await().atMost(WAIT).untilAsserted(() -> assertThat(inbox.payloads("dt/room1/lights"))
                .containsExactly("{\"on\":true}"));
        assertThat(inbox.messages.get(0).message().getQos()).isEqualTo(1);
    }

    @Test
    void localSubscriberGetsADevicePublishOnlyOnceNotAgainFromKafka() throws Exception {
        Inbox inbox = new Inbox();
        MqttClient subscriber = connect("dashboard-" + UUID.randomUUID());
        subscriber.subscribe("iot/ccar-ad/+", 1, inbox::add);
        awaitGatewayConsumesKafka(subscriber);
        MqttClient device = connect("car2-" + UUID.randomUUID());

        device.publish("iot/ccar-ad/car2", "{\"speed\":90}".getBytes(StandardCharsets.UTF_8), 1, false);
        // same key, so same partition, so the gateway's consumer reads it after the device's record
        produceFromService("iot/ccar-ad/car2", "marker".getBytes(StandardCharsets.UTF_8), 1);

        await().atMost(WAIT).until(() -> inbox.payloads("iot/ccar-ad/car2").contains("marker"));
        assertThat(inbox.payloads("iot/ccar-ad/car2")).containsExactly("{\"speed\":90}", "marker");
    }

    @Test
    void basicIngestMessagesGoToKafkaButReachNoSubscriber() throws Exception {
        Inbox inbox = new Inbox();
        MqttClient subscriber = connect("ingest-watcher-" + UUID.randomUUID());
        // an explicit subscription to the reserved topic, and a catch-all beside it
        subscriber.subscribe(new String[] {"$aws/rules/speeding/#", "dt/ingest/marker"}, new int[] {1, 1},
                new IMqttMessageListener[] {inbox::add, inbox::add});
        awaitGatewayConsumesKafka(subscriber);
        String clientId = "ingest-car-" + UUID.randomUUID();
        MqttClient device = connect(clientId);

        device.publish("$aws/rules/speeding/car1", "{\"speed\":140}".getBytes(StandardCharsets.UTF_8), 1, false);
        ConsumerRecord<String, byte[]> record = recordFrom(clientId);
        assertThat(record.key()).isEqualTo("$aws/rules/speeding/car1");
        // the same from another replica, through Kafka, then a marker behind both
        produceFromService("$aws/rules/speeding/car2", "{\"speed\":150}".getBytes(StandardCharsets.UTF_8), 1);
        device.publish("$aws/rules/speeding/car1", "{\"speed\":160}".getBytes(StandardCharsets.UTF_8), 1, false);
        produceFromService("dt/ingest/marker", "marker".getBytes(StandardCharsets.UTF_8), 1);

        await().atMost(WAIT).until(() -> inbox.payloads("dt/ingest/marker").contains("marker"));
        // the Kafka-delivered record and the marker have different keys, so partitions: give it time to show up
        Thread.sleep(2000);
        assertThat(inbox.messages).extracting(Received::topic).containsOnly("dt/ingest/marker");
        assertThat(subscriber.isConnected()).isTrue();
    }

    @Test
    void wrongPasswordOrNoCredentialsAreRefused() {
        assertThatThrownBy(() -> connect("intruder-" + UUID.randomUUID(), "device", "wrong"))
                .isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> connect("anonymous-" + UUID.randomUUID(), null, null))
                .isInstanceOf(MqttSecurityException.class);
    }

    @Test
    void publishToAnInvalidTopicClosesTheConnection() throws Exception {
        String clientId = "rogue-" + UUID.randomUUID();
        MqttClient device = connect(clientId);
        List<Throwable> lost = new CopyOnWriteArrayList<>();
        device.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost.add(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });

        MqttMessage message = new MqttMessage("x".getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        try {
            device.getTopic("a/b/c/d/e/f/g/h/i").publish(message);
        } catch (MqttException e) {
            // The gateway may close the connection before Paho marks the PUBLISH as sent.
            assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_CONNECTION_LOST);
        }

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(lost).isNotEmpty();
            assertThat(device.isConnected()).isFalse();
        });
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode body = getConnection(clientId).body();
            assertThat(body.get("connected").asBoolean()).isFalse();
            assertThat(body.get("disconnectReason").asString()).isEqualTo("CLIENT_ERROR");
        });
    }

    @Test
    void connectionApiReportsConnectedAndDisconnectedClients() throws Exception {
        String clientId = "probe-" + UUID.randomUUID();
        long before = System.currentTimeMillis();
        MqttClient device = connect(clientId);

        await().atMost(WAIT).untilAsserted(() -> {
            Response response = getConnection(clientId);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body().get("connected").asBoolean()).isTrue();
            assertThat(response.body().get("clientId").asString()).isEqualTo(clientId);
            assertThat(response.body().get("keepAliveDuration").asInt()).isEqualTo(30);
            assertThat(response.body().get("cleanSession").asBoolean()).isTrue();
            assertThat(response.body().get("connectedSince").asLong()).isGreaterThanOrEqualTo(before - 1000);
            assertThat(response.body().has("disconnectReason")).isFalse();
        });

        device.disconnect(5000);

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode body = getConnection(clientId).body();
            assertThat(body.get("connected").asBoolean()).isFalse();
            assertThat(body.get("disconnectReason").asString()).isEqualTo("CLIENT_INITIATED_DISCONNECT");
        });
    }

    @Test
    void unknownClientIdIsResourceNotFound() throws Exception {
        Response response = getConnection("never-connected");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).contains("application/problem+json");
        assertThat(response.body().get("code").asString()).isEqualTo("ResourceNotFoundException");
    }

    @Test
    void httpsPublishGoesToKafkaAndToLocalSubscribers() throws Exception {
        Inbox inbox = new Inbox();
        MqttClient subscriber = connect("thermostat-" + UUID.randomUUID());
        subscriber.subscribe("room/1/temp", 1, inbox::add);

        HttpResponse<String> response = post("/topics/room%2F1%2Ftemp?qos=1", "{\"temp\":21}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("message").asString()).isEqualTo("OK");
        String traceId = body.get("traceId").asString();
        String messageId = body.get("messageId").asString();
        assertThat(response.headers().firstValue("x-amzn-RequestId")).hasValue(traceId);
        ConsumerRecord<String, byte[]> record = recordWith(MessageHeaders.MESSAGE_ID, messageId);
        // the message enters here: its trace starts with its own id
        assertThat(header(record, MessageHeaders.TRACE_ID)).isEqualTo(traceId).isEqualTo(messageId);
        assertThat(record.key()).isEqualTo("room/1/temp");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"temp\":21}");
        assertThat(header(record, MessageHeaders.QOS)).isEqualTo("1");
        await().atMost(WAIT).untilAsserted(() -> assertThat(inbox.payloads("room/1/temp"))
                .containsExactly("{\"temp\":21}"));
    }

    @Test
    void awsSdkPublishSignedWithSigV4ReachesSubscribers() throws Exception {
        Inbox inbox = new Inbox();
        MqttClient subscriber = connect("sdk-listener-" + UUID.randomUUID());
        subscriber.subscribe("room/sdk/temp", 1, inbox::add);
        try (IotDataPlaneClient data = IotDataPlaneClient.builder()
                .endpointOverride(URI.create("http://localhost:" + httpPort))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            data.publish(r -> r.topic("room/sdk/temp").qos(1)
                    .payload(SdkBytes.fromUtf8String("{\"temp\":23}")));
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(inbox.payloads("room/sdk/temp"))
                .containsExactly("{\"temp\":23}"));
    }

    @Test
    void httpsPublishWithoutCredentialsIsUnauthorized() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + httpPort + "/topics/room%2F1%2Ftemp?qos=1"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("UnauthorizedException");
    }

    @Test
    void httpsPublishToAnInvalidTopicIsAnInvalidRequest() throws Exception {
        for (String path : List.of("/topics/a/b/c/d/e/f/g/h/i", "/topics/a%2F%2B", "/topics/ok?qos=2")) {
            HttpResponse<String> response = post(path, "x");

            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("code").asString()).isEqualTo("InvalidRequestException");
        }
    }

    @Test
    void reportsHealthApiDocsAndMetrics() throws Exception {
        MqttClient device = connect("metrics-" + UUID.randomUUID());
        device.publish("iot/metrics/probe", new byte[] {1}, 1, false);

        ServiceEndpoints.onLocalPort(httpPort).assertLiveAndReady("db", "binders", "readinessState");
        ServiceEndpoints.onLocalPort(httpPort).assertProtected("/connections/anyone");
        ServiceEndpoints.onLocalPort(httpPort).assertDocumentedAndMetered("OpenIoT gateway API");
        assertThat(http("/v3/api-docs").body()).contains("/connections/{clientId}");
        assertThat(http("/actuator/prometheus").body())
                .contains("iot_gateway_publishes_forwarded_total")
                .contains("iot_gateway_publishes_forward_failures_total")
                .contains("iot_gateway_messages_delivered_total");
    }

    // --- helpers ---

    private MqttClient connect(String clientId) throws MqttException {
        return connect(clientId, "device", "device-secret");
    }

    private MqttClient connect(String clientId, String username, String password) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + broker.port(), clientId, new MemoryPersistence());
        client.setTimeToWait(10_000);
        clients.add(client);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        if (username != null) {
            options.setUserName(username);
            options.setPassword(password.toCharArray());
        }
        client.connect(options);
        return client;
    }

    /**
     * The gateway's consumer group starts at the latest offset once it has its partitions; until then a record is
     * not delivered. Probe until one gets through.
     */
    private void awaitGatewayConsumesKafka(MqttClient subscriber) throws MqttException {
        Inbox probes = new Inbox();
        String topic = "test/probe/" + UUID.randomUUID();
        subscriber.subscribe(topic, 0, probes::add);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    produceFromService(topic, "probe".getBytes(StandardCharsets.UTF_8), 0);
                    return !probes.messages.isEmpty();
                });
        subscriber.unsubscribe(topic);
    }

    private static void produceFromService(String topic, byte[] payload, int qos) throws Exception {
        IotMessage message = IotMessage.republished(topic, payload, qos, "rules-service", null,
                System.currentTimeMillis(), MessageIds.newEntryId());
        List<Header> headers = new ArrayList<>();
        message.headers().forEach((name, value) -> headers.add(new RecordHeader(name, value)));
        producer.send(new ProducerRecord<>(KafkaTopics.MESSAGES, null, topic, payload, headers))
                .get(10, TimeUnit.SECONDS);
    }

    /** Sum of the end offsets of all partitions of the message topic, read now. */
    private static long recordsOnMessageTopic() {
        try (KafkaConsumer<String, byte[]> consumer = plainConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(KafkaTopics.MESSAGES, Duration.ofSeconds(10))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return consumer.endOffsets(partitions, Duration.ofSeconds(10)).values().stream()
                    .mapToLong(Long::longValue).sum();
        }
    }

    private static KafkaConsumer<String, byte[]> plainConsumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private static ConsumerRecord<String, byte[]> recordFrom(String clientId) {
        return recordWith(MessageHeaders.CLIENT_ID, clientId);
    }

    /** The one record whose header {@code name} is {@code value}, read from the start of every partition. */
    private static ConsumerRecord<String, byte[]> recordWith(String name, String value) {
        try (KafkaConsumer<String, byte[]> consumer = plainConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(KafkaTopics.MESSAGES, Duration.ofSeconds(10))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (value.equals(header(record, name))) {
                        found.add(record);
                    }
                });
                return !found.isEmpty();
            });
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return Optional.ofNullable(record.headers().lastHeader(name))
                .map(h -> new String(h.value(), StandardCharsets.UTF_8)).orElse(null);
    }

    private Response getConnection(String clientId) throws Exception {
        StringResponse response = http("/connections/" + clientId);
        return new Response(response.status(), response.contentType(), JSON.readTree(response.body()));
    }

    private HttpResponse<String> post(String pathAndQuery, String body) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + pathAndQuery))
                        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                        .header("Authorization", "Bearer " + TestTokenIssuer.shared().adminToken())
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private StringResponse http(String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + httpPort + path)).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + TestTokenIssuer.shared().adminToken()).build(),
                HttpResponse.BodyHandlers.ofString());
        return new StringResponse(response.statusCode(),
                response.headers().firstValue("content-type").orElse(""), response.body());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Response(int status, String contentType, JsonNode body) {
    }

    private record StringResponse(int status, String contentType, String body) {
    }

    private record Received(String topic, MqttMessage message) {
    }

    /** Messages one subscriber received, in arrival order. */
    private static final class Inbox {
        final List<Received> messages = new CopyOnWriteArrayList<>();

        void add(String topic, MqttMessage message) {
            messages.add(new Received(topic, message));
        }

        List<String> payloads(String topic) {
            return messages.stream().filter(m -> m.topic().equals(topic))
                    .map(m -> new String(m.message().getPayload(), StandardCharsets.UTF_8)).toList();
        }
    }
}
