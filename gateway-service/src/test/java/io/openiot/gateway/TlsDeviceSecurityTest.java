package io.openiot.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.openiot.gateway.auth.TestPki;
import io.openiot.gateway.mqtt.MqttBroker;
import io.openiot.testsupport.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * MQTT over TLS with client certificates and IoT policies, end to end: a test CA (Bouncy Castle), the gateway with
 * its static principal directory, Paho (and mosquitto_pub when installed) as devices.
 */
@SpringBootTest(properties = GatewayApplication.CONFIG_NAME)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsDeviceSecurityTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MQTT_PORT = freePort();
    private static final int TLS_PORT = freePort();
    private static final TestPki PKI = new TestPki("OpenIoT test CA");
    private static final TestPki ROGUE_PKI = new TestPki("OpenIoT test CA"); // same subject, other key
    private static final Path FILES = tempDir();

    private static final TestPki.Issued DEVICE = PKI.device("dev-a");
    private static final TestPki.Issued INACTIVE = PKI.device("inactive");
    private static final TestPki.Issued UNKNOWN = PKI.device("unknown");
    private static final TestPki.Issued ROGUE = ROGUE_PKI.device("dev-a");
    private static final TestPki.Issued PINNED = PKI.device("sensor-1");
    private static final TestPki.Issued WILDCARD = PKI.device("wildcard");
    private static final TestPki.Issued RECEIVER = PKI.device("receiver");
    private static final int FLEET_SIZE = 20;
    private static final List<TestPki.Issued> FLEET = fleet();

    /** Only its own telemetry topics (policy variables), as AWS's examples do. */
    private static final String OWN_TOPICS = """
            {"Version":"2012-10-17","Statement":[
             {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:us-east-1:000000000000:client/${iot:ClientId}"},
             {"Effect":"Allow","Action":["iot:Publish","iot:Receive"],
              "Resource":"arn:aws:iot:us-east-1:000000000000:topic/dt/${iot:ClientId}/*"},
             {"Effect":"Allow","Action":"iot:Subscribe",
              "Resource":"arn:aws:iot:us-east-1:000000000000:topicfilter/dt/${iot:ClientId}/*"}]}""";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "gateway");
        registry.add("iot.gateway.mqtt.host", () -> "127.0.0.1");
        registry.add("iot.gateway.mqtt.port", () -> MQTT_PORT);
        registry.add("iot.gateway.mqtt.tls.port", () -> TLS_PORT);
        TestPki.Issued server = PKI.server();
        server.writeCertificatePem(FILES.resolve("server.pem"));
        server.writeKeyPem(FILES.resolve("server.key"));
        PKI.ca().writeCertificatePem(FILES.resolve("ca.pem"));
        registry.add("iot.gateway.mqtt.tls.server-certificate", () -> FILES.resolve("server.pem").toString());
        registry.add("iot.gateway.mqtt.tls.server-key", () -> FILES.resolve("server.key").toString());
        registry.add("iot.gateway.mqtt.tls.trusted-certificates", () -> FILES.resolve("ca.pem").toString());

        principal(registry, DEVICE, "ACTIVE", null, Map.of("own-topics", OWN_TOPICS));
        principal(registry, INACTIVE, "INACTIVE", null, Map.of("own-topics", OWN_TOPICS));
        // only the attached thing's name may be the client id: a client id "+" cannot connect
        principal(registry, PINNED, "ACTIVE", "sensor-1", Map.of("pinned", """
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","Action":"iot:Connect",
                  "Resource":"arn:aws:iot:us-east-1:000000000000:client/${iot:Connection.Thing.ThingName}"},
                 {"Effect":"Allow","Action":"iot:Subscribe",
                  "Resource":"arn:aws:iot:us-east-1:000000000000:topicfilter/dt/${iot:ClientId}/telemetry"}]}"""));
        // any client id, but subscriptions only under its own: "*" must stay literal
        principal(registry, WILDCARD, "ACTIVE", null, Map.of("any-client", """
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","Action":"iot:Connect","Resource":"*"},
                 {"Effect":"Allow","Action":"iot:Subscribe",
                  "Resource":"arn:aws:iot:us-east-1:000000000000:topicfilter/dt/${iot:ClientId}/telemetry"}]}"""));
        principal(registry, RECEIVER, "ACTIVE", null, Map.of("open-only", """
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","Action":"iot:Connect","Resource":"*"},
                 {"Effect":"Allow","Action":"iot:Subscribe","Resource":"arn:aws:iot:us-east-1:000000000000:topicfilter/dt/#"},
                 {"Effect":"Allow","Action":"iot:Receive","Resource":"arn:aws:iot:us-east-1:000000000000:topic/dt/open/*"}]}"""));
        for (int i = 0; i < FLEET_SIZE; i++) {
            // each certificate may use one client id and one topic, both spelled out: no variables to help
            principal(registry, FLEET.get(i), "ACTIVE", null, Map.of("fleet-" + i, """
                    {"Version":"2012-10-17","Statement":[
                     {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:us-east-1:000000000000:client/fleet-%1$d"},
                     {"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:us-east-1:000000000000:topic/fleet/%1$d"}]}"""
                    .formatted(i)));
        }
    }

    private static void principal(DynamicPropertyRegistry registry, TestPki.Issued certificate, String status,
                                  String thingName, Map<String, String> policies) {
        String prefix = "iot.gateway.auth.static-principals." + certificate.certificateId();
        registry.add(prefix + ".status", () -> status);
        if (thingName != null) {
            registry.add(prefix + ".thing-name", () -> thingName);
        }
        // configuration resolves ${...} itself: policy variables in configured documents are written \${...}
        policies.forEach((name, document) -> registry.add(prefix + ".policies." + name,
                () -> document.replace("${", "\\${")));
    }

    @Autowired
    MqttBroker broker;

    @Autowired
    JdbcClient jdbc;

    private final List<MqttClient> clients = new CopyOnWriteArrayList<>();

    @AfterEach
    void disconnectClients() throws MqttException {
        for (MqttClient client : clients) {
            if (client.isConnected()) {
                client.disconnectForcibly(1000, 1000);
            }
            client.close(true);
        }
    }

    @AfterAll
    static void deleteFiles() throws IOException {
        try (var files = Files.list(FILES)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(FILES);
    }

    @Test
    void allowedPublishIsAcknowledgedAndAPublishToAnotherDevicesTopicClosesTheConnection() throws Exception {
        MqttClient device = connectTls("dev-a", DEVICE, PKI);

        MqttMessage allowed = new MqttMessage("{\"t\":21}".getBytes(StandardCharsets.UTF_8));
        allowed.setQos(1);
        device.publish("dt/dev-a/telemetry", allowed); // returns once PUBACKed
        assertThat(device.isConnected()).isTrue();

        MqttMessage denied = new MqttMessage("{\"t\":99}".getBytes(StandardCharsets.UTF_8));
        denied.setQos(1);
        assertThatThrownBy(() -> device.publish("dt/dev-b/telemetry", denied)).isInstanceOf(MqttException.class);
        await().atMost(WAIT).until(() -> !device.isConnected());
    }

    @Test
    void theCertificateIsThePrincipalAndTheUserNameSentOnTlsIsIgnored() throws Exception {
        connectTls("dev-a", DEVICE, PKI);

        await().atMost(WAIT).untilAsserted(() -> assertThat(principalOf("dev-a")).isEqualTo(DEVICE.certificateId()));
    }

    @Test
    void aDeniedSubscribeClosesTheConnection() throws Exception {
        MqttClient device = connectTls("dev-a", DEVICE, PKI);
        device.subscribe("dt/dev-a/commands", 1);
        assertThat(device.isConnected()).isTrue();

        assertThatThrownBy(() -> device.subscribe("dt/dev-b/commands", 1)).isInstanceOf(MqttException.class);
        await().atMost(WAIT).until(() -> !device.isConnected());
    }

    @Test
    void anUnknownCertificateIsRefusedAsNotAuthorized() {
        assertThatThrownBy(() -> connectTls("dev-a", UNKNOWN, PKI))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(5));
    }

    @Test
    void anInactiveCertificateIsRefusedAsNotAuthorized() {
        assertThatThrownBy(() -> connectTls("dev-a", INACTIVE, PKI))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(5));
    }

    @Test
    void aCertificateFromAnUnknownCaWithTheSameSubjectFailsTheTlsHandshake() {
        assertThatThrownBy(() -> connectTls("dev-a", ROGUE, ROGUE_PKI, PKI))
                .isInstanceOf(MqttException.class)
                .satisfies(e -> assertThat(causes(e)).anyMatch(SSLException.class::isInstance));
    }

    @Test
    void aClientIdOfPlusCannotConnectWhenTheClientIdIsPinnedToTheThing() throws Exception {
        assertThatThrownBy(() -> connectTls("+", PINNED, PKI))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(5));

        MqttClient sensor = connectTls("sensor-1", PINNED, PKI);
        sensor.subscribe("dt/sensor-1/telemetry", 1);
        assertThat(sensor.isConnected()).isTrue();
    }

    @Test
    void aClientIdOfStarOrHashStaysLiteralInTheTopicFilterVariable() throws Exception {
        for (String clientId : List.of("*", "#")) {
            MqttClient attacker = connectTls(clientId, WILDCARD, PKI);
            assertThatThrownBy(() -> attacker.subscribe("dt/victim/telemetry", 1)).isInstanceOf(MqttException.class);
            await().atMost(WAIT).until(() -> !attacker.isConnected());
        }
        // "*" may have exactly the filter its id spells, which MQTT reads literally too
        MqttClient star = connectTls("*", WILDCARD, PKI);
        star.subscribe("dt/*/telemetry", 1);
        assertThat(star.isConnected()).isTrue();
    }

    @Test
    void messagesWithoutReceivePermissionAreNotDeliveredAndDoNotBlockTheOthers() throws Exception {
        MqttClient receiver = connectTls("receiver-1", RECEIVER, PKI);
        List<String> received = new CopyOnWriteArrayList<>();
        receiver.subscribe("dt/#", 1, (topic, message) -> received.add(topic));
        MqttClient publisher = connectTcp("publisher-1");

        // more denied QoS 1 deliveries than Moquette keeps in flight per session: they must not clog it
        for (int i = 0; i < 30; i++) {
            publisher.publish("dt/secret/" + i, "s".getBytes(StandardCharsets.UTF_8), 1, false);
        }
        publisher.publish("dt/open/1", "o".getBytes(StandardCharsets.UTF_8), 1, false);

        await().atMost(WAIT).until(() -> received.contains("dt/open/1"));
        assertThat(received).containsExactly("dt/open/1");
        assertThat(receiver.isConnected()).isTrue();
    }

    @Test
    void twentyDevicesConnectingAtOnceEachGetTheirOwnCertificateAsPrincipal() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(FLEET_SIZE);
        try {
            List<Future<MqttClient>> connecting = new ArrayList<>();
            for (int i = 0; i < FLEET_SIZE; i++) {
                int n = i;
                connecting.add(pool.submit(() -> connectTls("fleet-" + n, FLEET.get(n), PKI)));
            }
            for (int i = 0; i < FLEET_SIZE; i++) {
                MqttClient device = connecting.get(i).get(60, TimeUnit.SECONDS);
                // only certificate i may publish to fleet/i: an acknowledged publish proves whose policies these are
                device.publish("fleet/" + i, "x".getBytes(StandardCharsets.UTF_8), 1, false);
                assertThat(device.isConnected()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < FLEET_SIZE; i++) {
            String clientId = "fleet-" + i;
            String expected = FLEET.get(i).certificateId();
            await().atMost(WAIT).untilAsserted(() -> assertThat(principalOf(clientId)).isEqualTo(expected));
        }
    }

    @Test
    void theDevelopmentCredentialsStillConnectOverTcp() throws Exception {
        MqttClient device = connectTcp("dev-tcp");
        device.publish("anything/at/all", "x".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThat(device.isConnected()).isTrue();
    }

    @Test
    void mosquittoPubWithCertificateAndKeyPublishesToAnAllowedTopicAndIsDisconnectedOnADeniedOne()
            throws Exception {
        assumeThat(Path.of("/usr/bin/mosquitto_pub")).as("mosquitto-clients installed").exists();
        DEVICE.writeCertificatePem(FILES.resolve("dev-a.pem"));
        DEVICE.writeKeyPem(FILES.resolve("dev-a.key"));
        MqttClient listener = connectTcp("listener-1");
        List<String> received = new CopyOnWriteArrayList<>();
        listener.subscribe("dt/#", 1, (topic, message) -> received.add(topic));

        assertThat(mosquittoPub("dt/dev-a/mosquitto")).isZero();
        await().atMost(WAIT).until(() -> received.contains("dt/dev-a/mosquitto"));

        assertThat(mosquittoPub("dt/dev-b/mosquitto")).isNotZero();
        assertThat(received).doesNotContain("dt/dev-b/mosquitto");
    }

    // --- helpers ---

    private int mosquittoPub(String topic) throws Exception {
        Process process = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(TLS_PORT),
                "--cafile", FILES.resolve("ca.pem").toString(), "--cert", FILES.resolve("dev-a.pem").toString(),
                "--key", FILES.resolve("dev-a.key").toString(), "-i", "dev-a", "-q", "1", "-t", topic, "-m", "hi")
                .redirectErrorStream(true).redirectOutput(FILES.resolve("mosquitto.log").toFile()).start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    private String principalOf(String clientId) {
        return jdbc.sql("SELECT principal FROM client_connection WHERE client_id = ? AND connected")
                .param(clientId).query(String.class).optional().orElse(null);
    }

    private MqttClient connectTls(String clientId, TestPki.Issued certificate, TestPki issuer) throws MqttException {
        return connectTls(clientId, certificate, issuer, PKI);
    }

    private MqttClient connectTls(String clientId, TestPki.Issued certificate, TestPki issuer, TestPki trusted)
            throws MqttException {
        SSLContext tls = issuer.clientContext(certificate, trusted);
        MqttConnectOptions options = options();
        options.setSocketFactory(tls.getSocketFactory());
        // what an AWS SDK sends: a user name that the TLS listener must ignore
        options.setUserName("?SDK=Java&Version=test");
        return connect("ssl://127.0.0.1:" + broker.tlsPort(), clientId, options);
    }

    private MqttClient connectTcp(String clientId) throws MqttException {
        MqttConnectOptions options = options();
        options.setUserName("device");
        options.setPassword("device-secret".toCharArray());
        return connect("tcp://127.0.0.1:" + broker.port(), clientId, options);
    }

    private MqttClient connect(String uri, String clientId, MqttConnectOptions options) throws MqttException {
        MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setTimeToWait(10_000);
        clients.add(client);
        client.connect(options);
        return client;
    }

    private static MqttConnectOptions options() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        options.setAutomaticReconnect(false);
        return options;
    }

    private static List<Throwable> causes(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static List<TestPki.Issued> fleet() {
        List<TestPki.Issued> fleet = new ArrayList<>();
        for (int i = 0; i < FLEET_SIZE; i++) {
            fleet.add(PKI.device("fleet-" + i));
        }
        return fleet;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("gateway-tls-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
