package io.openiot.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageHeaders;
import io.openiot.gateway.auth.TestPki;
import io.openiot.gateway.http.HttpsPublishConnector;
import io.openiot.testsupport.EmbeddedKafkaServer;
import io.openiot.testsupport.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTPS publish with client certificates on its own port, as AWS IoT's 8443: a real TLS client (the JDK's, and curl
 * when installed) presenting certificates of a test CA, the gateway with its static principal directory and the
 * same policies as MQTT, the records read back from Kafka.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = GatewayApplication.CONFIG_NAME)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpsCertificatePublishTest {

    private static final TestPki PKI = new TestPki("OpenIoT test CA");
    private static final TestPki ROGUE_PKI = new TestPki("OpenIoT test CA"); // same subject, other key
    private static final Path FILES = tempDir();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final TestPki.Issued DEVICE = PKI.device("https-dev");
    private static final TestPki.Issued REVOKED = PKI.device("https-revoked");
    private static final TestPki.Issued INACTIVE = PKI.device("https-inactive");
    private static final TestPki.Issued UNKNOWN = PKI.device("https-unknown");
    private static final TestPki.Issued ROGUE = ROGUE_PKI.device("https-dev");

    /** Publishing under dt/https-dev/ only; HTTPS publish needs no iot:Connect (AWS). */
    private static final String OWN_TOPICS = """
            {"Version":"2012-10-17","Statement":[
             {"Effect":"Allow","Action":"iot:Publish",
              "Resource":"arn:aws:iot:us-east-1:000000000000:topic/dt/${iot:Certificate.Subject.CommonName}/*"}]}""";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "gateway");
        registry.add("iot.gateway.mqtt.host", () -> "127.0.0.1");
        registry.add("iot.gateway.mqtt.port", HttpsCertificatePublishTest::freePort);
        registry.add("iot.gateway.mqtt.tls.port", HttpsCertificatePublishTest::freePort);
        registry.add("iot.gateway.https.port", () -> 0);
        TestPki.Issued server = PKI.server();
        server.writeCertificatePem(FILES.resolve("server.pem"));
        server.writeKeyPem(FILES.resolve("server.key"));
        PKI.ca().writeCertificatePem(FILES.resolve("ca.pem"));
        DEVICE.writeCertificatePem(FILES.resolve("device.pem"));
        DEVICE.writeKeyPem(FILES.resolve("device.key"));
        registry.add("iot.gateway.mqtt.tls.server-certificate", () -> FILES.resolve("server.pem").toString());
        registry.add("iot.gateway.mqtt.tls.server-key", () -> FILES.resolve("server.key").toString());
        registry.add("iot.gateway.mqtt.tls.trusted-certificates", () -> FILES.resolve("ca.pem").toString());
        principal(registry, DEVICE, "ACTIVE");
        principal(registry, REVOKED, "REVOKED");
        principal(registry, INACTIVE, "INACTIVE");
    }

    private static void principal(DynamicPropertyRegistry registry, TestPki.Issued certificate, String status) {
        String prefix = "iot.gateway.auth.static-principals." + certificate.certificateId();
        registry.add(prefix + ".status", () -> status);
        registry.add(prefix + ".policies.own-topics", () -> OWN_TOPICS.replace("${", "\\${"));
    }

    @Autowired
    HttpsPublishConnector https;

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
    void anAllowedTopicIsPublishedToKafkaWithTheCertificateAsPrincipal() throws Exception {
        String topic = "dt/https-dev/" + UUID.randomUUID();

        HttpResponse<String> response = publish(PKI.clientContext(DEVICE, PKI), topic, "{\"t\":21}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("message").asString()).isEqualTo("OK");
        ConsumerRecord<String, byte[]> record = recordsWithKey(topic).stream().findFirst().orElseThrow();
        assertThat(header(record, MessageHeaders.MESSAGE_ID)).isEqualTo(body.get("messageId").asString());
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"t\":21}");
        assertThat(header(record, MessageHeaders.PRINCIPAL)).isEqualTo(DEVICE.certificateId());
        assertThat(header(record, MessageHeaders.QOS)).isEqualTo("1");
    }

    @Test
    void aTopicThePoliciesDoNotAllowIsForbiddenAndNothingReachesKafka() throws Exception {
        String topic = "dt/another-device/" + UUID.randomUUID();

        HttpResponse<String> response = publish(PKI.clientContext(DEVICE, PKI), topic, "{\"t\":99}");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("ForbiddenException");
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).contains("application/problem+json"));
        assertThat(JSON.readTree(response.body()).get("code").asString()).isEqualTo("ForbiddenException");
        // the reply comes after Kafka's acknowledgement, so a forwarded record would be there by now
        assertThat(recordsWithKey(topic)).isEmpty();
    }

    @Test
    void aRevokedAnInactiveOrAnUnknownCertificateIsUnauthorized() throws Exception {
        for (TestPki.Issued certificate : List.of(REVOKED, INACTIVE, UNKNOWN)) {
            String topic = "dt/" + certificate.certificate().getSubjectX500Principal().getName().substring(3) + "/x";

            HttpResponse<String> response = publish(PKI.clientContext(certificate, PKI), topic, "{}");

            assertThat(response.statusCode()).as(topic).isEqualTo(401);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("UnauthorizedException");
            assertThat(recordsWithKey(topic)).isEmpty();
        }
    }

    @Test
    void withoutAClientCertificateTheHandshakeIsRefused() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", PKI.ca().certificate());
        trust.init(store);
        SSLContext noCertificate = SSLContext.getInstance("TLS");
        noCertificate.init(null, trust.getTrustManagers(), null);

        assertThatThrownBy(() -> publish(noCertificate, "dt/https-dev/none", "{}")).isInstanceOf(IOException.class);
    }

    @Test
    void aCertificateOfAnUntrustedCaIsRefusedAtTheHandshake() {
        assertThatThrownBy(() -> publish(ROGUE_PKI.clientContext(ROGUE, PKI), "dt/https-dev/rogue", "{}"))
                .isInstanceOf(IOException.class);
    }

    @Test
    void onlyTopicPublishIsServedOnTheCertificatePort() throws Exception {
        HttpClient client = client(PKI.clientContext(DEVICE, PKI));
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + https.port() + "/connections/https-dev")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");
    }

    @Test
    void curlWithCertificateAndKeyPublishes() throws Exception {
        assumeThat(Path.of("/usr/bin/curl")).as("curl installed").exists();
        String topic = "dt/https-dev/curl-" + UUID.randomUUID();
        Process curl = new ProcessBuilder("curl", "-s", "-o", FILES.resolve("curl.out").toString(),
                "-w", "%{http_code}", "--cert", FILES.resolve("device.pem").toString(),
                "--key", FILES.resolve("device.key").toString(), "--cacert", FILES.resolve("ca.pem").toString(),
                "-X", "POST", "-H", "Content-Type: application/json", "--data", "{\"via\":\"curl\"}",
                "https://localhost:" + https.port() + "/topics/" + topic.replace("/", "%2F") + "?qos=1")
                .redirectErrorStream(true).start();
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String status = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(status).isEqualTo("200");
        assertThat(recordsWithKey(topic)).singleElement().satisfies(record ->
                assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"via\":\"curl\"}"));
    }

    private HttpResponse<String> publish(SSLContext tls, String topic, String payload) throws Exception {
        return client(tls).send(HttpRequest.newBuilder(URI.create("https://localhost:" + https.port() + "/topics/"
                        + topic.replace("/", "%2F") + "?qos=1"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Every record of {@code iot.messages} with that key, read from the beginning to the current end. */
    private static List<ConsumerRecord<String, byte[]>> recordsWithKey(String key) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(KafkaTopics.MESSAGES, Duration.ofSeconds(30))
                    .stream().map(info -> new TopicPartition(KafkaTopics.MESSAGES, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline
                    && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("https-publish-test");
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
