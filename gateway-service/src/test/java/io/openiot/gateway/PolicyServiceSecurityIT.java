package io.openiot.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.openiot.gateway.auth.TestPki;
import io.openiot.gateway.bridge.ReplicaProperties;
import io.openiot.gateway.mqtt.MqttBroker;
import io.openiot.policy.PolicyApplication;
import io.openiot.testsupport.EmbeddedKafkaServer;
import io.openiot.testsupport.EmbeddedPostgresServer;
import io.openiot.testsupport.TestInfrastructure;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
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
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Device security end to end with the real policy-service: policy-service (its own database, its outbox on the same
 * embedded Kafka) and the gateway with {@code principals=policy-service} run in this JVM, as the launcher runs them.
 * A certificate and policies are made over policy-service's REST API with the bootstrap admin client's token, a Paho
 * device connects over TLS with that certificate, and changes made over REST reach its live connection through
 * {@code iot.security-events}: a detached policy denies the next publish, a revoked certificate is disconnected
 * within 5 s and refused when it reconnects.
 */
@SpringBootTest(properties = {GatewayApplication.CONFIG_NAME, "iot.gateway.auth.principals=policy-service",
        "iot.gateway.auth.dev-credentials-enabled=false"})
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PolicyServiceSecurityIT {

    private static final Duration LIVE_CHANGE_LIMIT = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ADMIN_ID = "e2e-admin";
    private static final String ADMIN_SECRET = "e2e-admin-secret-0123456789";
    private static final String SERVICE_ID = "e2e-services";
    private static final String SERVICE_SECRET = "e2e-service-secret-0123456789";
    private static final String ARN = "arn:aws:iot:us-east-1:000000000000:";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final TestPki SERVER_PKI = new TestPki("gateway server CA");
    private static final Path FILES = tempDir();
    private static final int POLICY_PORT = freePort();
    private static final int MQTT_PORT = freePort();
    private static final int TLS_PORT = freePort();
    private static ConfigurableApplicationContext policyService;

    /** May connect as its own thing name only. */
    private static final String CONNECT = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect",\
            "Resource":"%sclient/${iot:ClientId}"}]}""".formatted(ARN);
    /** Its own telemetry topics. */
    private static final String TELEMETRY = """
            {"Version":"2012-10-17","Statement":[\
            {"Effect":"Allow","Action":["iot:Publish","iot:Receive"],"Resource":"%1$stopic/dt/${iot:ClientId}/*"},\
            {"Effect":"Allow","Action":"iot:Subscribe","Resource":"%1$stopicfilter/dt/${iot:ClientId}/*"}]}"""
            .formatted(ARN);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "gateway");
        startPolicyService();
        String platformCa = anonymous().get().uri("/platform-ca").retrieve().body(JsonNode.class)
                .path("certificatePem").asString();
        write(FILES.resolve("platform-ca.pem"), platformCa);
        TestPki.Issued server = SERVER_PKI.server();
        server.writeCertificatePem(FILES.resolve("server.pem"));
        server.writeKeyPem(FILES.resolve("server.key"));
        registry.add("iot.gateway.mqtt.host", () -> "127.0.0.1");
        registry.add("iot.gateway.mqtt.port", () -> MQTT_PORT);
        registry.add("iot.gateway.mqtt.tls.port", () -> TLS_PORT);
        registry.add("iot.gateway.mqtt.tls.server-certificate", () -> FILES.resolve("server.pem").toString());
        registry.add("iot.gateway.mqtt.tls.server-key", () -> FILES.resolve("server.key").toString());
        // devices present certificates of the platform CA, which policy-service made at its first start
        registry.add("iot.gateway.mqtt.tls.trusted-certificates",
                () -> FILES.resolve("platform-ca.pem").toString());
        registry.add("iot.gateway.auth.policy-service-uri", () -> "http://localhost:" + POLICY_PORT);
        registry.add("iot.security.platform-issuer-uri", () -> "http://localhost:" + POLICY_PORT);
        registry.add("iot.security.service-client.id", () -> SERVICE_ID);
        registry.add("iot.security.service-client.secret", () -> SERVICE_SECRET);
    }

    private static void startPolicyService() {
        if (policyService != null) {
            return;
        }
        EmbeddedPostgresServer.DatabaseCoordinates database = EmbeddedPostgresServer.freshDatabase("policy");
        String kafka = EmbeddedKafkaServer.bootstrapServers();
        // command-line arguments outrank policy-service.yml, as the launcher's own property source does
        policyService = PolicyApplication.application().run(
                "--server.port=" + POLICY_PORT,
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--spring.cloud.stream.kafka.binder.brokers=" + kafka,
                "--iot.policy.master-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
                "--iot.policy.bootstrap.admin-client-id=" + ADMIN_ID,
                "--iot.policy.bootstrap.admin-client-secret=" + ADMIN_SECRET,
                "--iot.policy.bootstrap.service-client-id=" + SERVICE_ID,
                "--iot.policy.bootstrap.service-client-secret=" + SERVICE_SECRET,
                "--iot.security.platform-issuer-uri=http://localhost:" + POLICY_PORT);
    }

    @AfterAll
    static void stopPolicyService() throws IOException {
        if (policyService != null) {
            policyService.close();
            policyService = null;
        }
        try (var files = Files.list(FILES)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(FILES);
    }

    @Autowired
    MqttBroker broker;

    @Autowired
    ReplicaProperties replica;

    @Autowired
    MeterRegistry meters;

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

    @Test
    void policiesAndCertificateStatusChangedOverRestReachTheLiveConnection() throws Exception {
        RestClient admin = admin();
        awaitSecurityEventsConsumed(admin);

        JsonNode created = ok(admin.post().uri("/keys-and-certificate?setAsActive=true")
                .contentType(MediaType.APPLICATION_JSON).body("{}").retrieve().toEntity(String.class));
        String certificateId = created.path("certificateId").asString();
        String certificateArn = created.path("certificateArn").asString();
        SSLContext tls = deviceTls(created.path("certificatePem").asString(),
                created.path("keyPair").path("PrivateKey").asString());
        createPolicy(admin, "e2e-connect", CONNECT);
        createPolicy(admin, "e2e-telemetry", TELEMETRY);
        attach(admin, "e2e-connect", certificateArn, true);
        attach(admin, "e2e-telemetry", certificateArn, true);

        // allowed: PUBACKed, and delivered back through Kafka to the device's own subscription
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttClient device = connect("car-1", tls);
        device.subscribe("dt/car-1/#", 1, (topic, message) -> received.add(topic + " " + message));
        publish(device, "dt/car-1/telemetry", "{\"speed\":42}");
        assertThat(received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("dt/car-1/telemetry {\"speed\":42}");

        // denied: another device's topic closes the connection (AWS, MQTT 3.1.1)
        assertThatThrownBy(() -> publish(device, "dt/car-2/telemetry", "{}")).isInstanceOf(MqttException.class);
        await().atMost(WAIT).until(() -> !device.isConnected());

        // a detached policy applies to the next message of a live connection
        MqttClient again = connect("car-1", tls);
        publish(again, "dt/car-1/telemetry", "{\"speed\":43}");
        attach(admin, "e2e-telemetry", certificateArn, false);
        long detached = System.nanoTime();
        Duration deniedAfter = publishUntilDenied(again, "dt/car-1/telemetry", detached);
        assertThat(deniedAfter).isLessThan(LIVE_CHANGE_LIMIT);
        await().atMost(WAIT).until(() -> !again.isConnected());

        // a revoked certificate: its live connection is closed within 5 s and it cannot connect again
        attach(admin, "e2e-telemetry", certificateArn, true);
        MqttClient live = connect("car-1", tls);
        publish(live, "dt/car-1/telemetry", "{\"speed\":44}");
        assertThat(admin.put().uri("/certificates/{id}?newStatus=REVOKED", certificateId).retrieve()
                .toBodilessEntity().getStatusCode().is2xxSuccessful()).isTrue();
        long revoked = System.nanoTime();
        await().atMost(LIVE_CHANGE_LIMIT).pollInterval(Duration.ofMillis(20)).until(() -> !live.isConnected());
        Duration closedAfter = Duration.ofNanos(System.nanoTime() - revoked);
        assertThat(closedAfter).isLessThan(LIVE_CHANGE_LIMIT);
        assertThatThrownBy(() -> connect("car-1", tls))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(5));

        assertThat(counter("iot.gateway.security.actions", "action", "disconnected")).isGreaterThanOrEqualTo(1);
        assertThat(counter("iot.gateway.security.actions", "action", "recompiled")).isGreaterThanOrEqualTo(1);
        assertThat(counter("iot.gateway.security.events", "type", "CertificateStatusChanged")).isGreaterThanOrEqualTo(1);
        System.out.printf("live changes: detach -> denied publish after %d ms, revoke -> disconnect after %d ms%n",
                deniedAfter.toMillis(), closedAfter.toMillis());
    }

    /**
     * The gateway reads its security events from the latest offset of a group of its own: wait until the group is
     * assigned and an event made now (a new certificate) has been counted, so the test's own events are not missed.
     */
    private void awaitSecurityEventsConsumed(RestClient admin) {
        String group = "gateway-security-" + replica.id();
        try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedKafkaServer.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                ConsumerGroupDescription description = kafka.describeConsumerGroups(List.of(group)).all()
                        .get(10, TimeUnit.SECONDS).get(group);
                return description.members().stream().anyMatch(m -> !m.assignment().topicPartitions().isEmpty());
            });
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            admin.post().uri("/keys-and-certificate?setAsActive=false").contentType(MediaType.APPLICATION_JSON)
                    .body("{}").retrieve().toBodilessEntity();
            return counter("iot.gateway.security.events", "type", "CertificateCreated") > 0;
        });
    }

    /** Publishes QoS 1 to a topic until the gateway denies it; returns how long after {@code since} that was. */
    private static Duration publishUntilDenied(MqttClient device, String topic, long since) throws Exception {
        long deadline = since + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                publish(device, topic, "{}");
            } catch (MqttException e) {
                return Duration.ofNanos(System.nanoTime() - since);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the publish was still allowed after " + WAIT);
    }

    private double counter(String name, String tag, String value) {
        var found = meters.find(name).tag(tag, value).counter();
        return found == null ? 0 : found.count();
    }

    private static void publish(MqttClient device, String topic, String payload) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        device.publish(topic, message); // returns once PUBACKed
    }

    private MqttClient connect(String clientId, SSLContext tls) throws MqttException {
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + broker.tlsPort(), clientId, new MemoryPersistence());
        client.setTimeToWait(10_000);
        clients.add(client);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        options.setAutomaticReconnect(false);
        options.setSocketFactory(tls.getSocketFactory());
        client.connect(options);
        return client;
    }

    private static void createPolicy(RestClient admin, String name, String document) {
        ok(admin.post().uri("/policies/{name}", name).contentType(MediaType.APPLICATION_JSON)
                .body(JSON.writeValueAsString(Map.of("policyDocument", document))).retrieve()
                .toEntity(String.class));
    }

    /** AttachPolicy ({@code PUT}) or DetachPolicy ({@code POST}) on {@code /target-policies/{name}}. */
    private static void attach(RestClient admin, String policy, String target, boolean attach) {
        String body = JSON.writeValueAsString(Map.of("target", target));
        var request = attach ? admin.put() : admin.post();
        ResponseEntity<String> response = request.uri("/target-policies/{name}", policy)
                .contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);
        assertThat(response.getStatusCode().is2xxSuccessful()).as(response.getBody()).isTrue();
    }

    private static JsonNode ok(ResponseEntity<String> response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(HttpStatus.OK);
        return JSON.readTree(response.getBody());
    }

    /** The bootstrap admin client's token (client credentials at policy-service, the platform issuer). */
    private static RestClient admin() {
        String basic = Base64.getEncoder().encodeToString((ADMIN_ID + ":" + ADMIN_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        String token = anonymous().post().uri("/oauth2/token")
                .header("Authorization", "Basic " + basic)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body("grant_type=client_credentials")
                .retrieve().body(JsonNode.class).path("access_token").asString();
        return RestClient.builder().baseUrl("http://localhost:" + POLICY_PORT)
                .defaultHeader("Authorization", "Bearer " + token)
                .defaultStatusHandler(status -> true, (request, response) -> { })
                .build();
    }

    private static RestClient anonymous() {
        return RestClient.builder().baseUrl("http://localhost:" + POLICY_PORT).build();
    }

    /** What an AWS SDK does with the files CreateKeysAndCertificate returns, and the gateway's server CA. */
    private static SSLContext deviceTls(String certificatePem, String privateKeyPem) throws Exception {
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
        PrivateKey key;
        try (PEMParser parser = new PEMParser(new StringReader(privateKeyPem))) {
            Object read = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            key = read instanceof PEMKeyPair pair ? converter.getKeyPair(pair).getPrivate()
                    : converter.getPrivateKey((PrivateKeyInfo) read);
        }
        char[] password = "changeit".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("device", key, password, new X509Certificate[] {certificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server-ca", SERVER_PKI.ca().certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("gateway-e2e-");
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
