package io.openiot.rules.destination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageIds;
import io.openiot.rules.RulesServiceTestBase;
import io.openiot.testsupport.EmbeddedKafkaServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * HTTP topic rule destinations and the {@code http} action against real HTTP servers in the test: the confirmation
 * round trip, an endpoint that fails twice and then takes the request, and one that never answers while another rule
 * on the same messages keeps flowing.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HttpActionTest extends RulesServiceTestBase {

    private static final long T0 = 1_714_564_800_000L;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void clients() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedKafkaServer.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void close() {
        producer.close(Duration.ofSeconds(5));
    }

    @Test
    void aDestinationIsConfirmedWithTheTokenSentToItsEndpointThenEnabledAndDisabledAtWill() throws Exception {
        try (TestEndpoint endpoint = new TestEndpoint("/confirm-" + unique(), n -> 200)) {
            ResponseEntity<String> created = post("/destinations", """
                    {"destinationConfiguration": {"httpUrlConfiguration": {"confirmationUrl": "%s"}}}"""
                    .formatted(endpoint.base));
            assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(HttpStatus.OK);
            JsonNode destination = body(created).get("topicRuleDestination");
            String arn = destination.get("arn").asString();
            assertThat(arn).matches("arn:aws:iot:us-east-1:000000000000:ruledestination/http/[0-9a-f-]{36}");
            assertThat(destination.get("status").asString()).isEqualTo("IN_PROGRESS");
            assertThat(destination.get("httpUrlProperties").get("confirmationUrl").asString())
                    .isEqualTo(endpoint.base);

            // AWS's confirmation request reaches the endpoint
            await().atMost(Duration.ofSeconds(30)).until(() -> !endpoint.confirmations.isEmpty());
            JsonNode confirmation = json.readTree(endpoint.confirmations.get(0).body());
            assertThat(confirmation.get("arn").asString()).isEqualTo(arn);
            assertThat(confirmation.get("messageType").asString()).isEqualTo("DestinationConfirmation");
            String token = confirmation.get("confirmationToken").asString();
            assertThat(confirmation.get("enableUrl").asString())
                    .isEqualTo("http://localhost:" + port + "/confirmdestination/" + token);
            assertThat(endpoint.confirmations.get(0).header("content-type")).isEqualTo("application/json");

            // a confirmed destination only can be enabled
            assertThat(patch("{\"arn\": \"" + arn + "\", \"status\": \"ENABLED\"}").getStatusCode())
                    .isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(get("/confirmdestination/" + token).getStatusCode()).isEqualTo(HttpStatus.OK);
            assertThat(status(arn)).isEqualTo("ENABLED");
            assertThat(patch("{\"arn\": \"" + arn + "\", \"status\": \"DISABLED\"}").getStatusCode())
                    .isEqualTo(HttpStatus.OK);
            assertThat(status(arn)).isEqualTo("DISABLED");
            assertThat(patch("{\"arn\": \"" + arn + "\", \"status\": \"ENABLED\"}").getStatusCode())
                    .isEqualTo(HttpStatus.OK);
            assertThat(status(arn)).isEqualTo("ENABLED");

            JsonNode listed = null;
            for (JsonNode summary : body(get("/destinations")).get("destinationSummaries")) {
                if (summary.get("arn").asString().equals(arn)) {
                    listed = summary;
                }
            }
            assertThat(listed).isNotNull();
            assertThat(listed.get("httpUrlSummary").get("confirmationUrl").asString()).isEqualTo(endpoint.base);
            assertThat(listed.get("status").asString()).isEqualTo("ENABLED");

            ResponseEntity<String> duplicate = post("/destinations", """
                    {"destinationConfiguration": {"httpUrlConfiguration": {"confirmationUrl": "%s"}}}"""
                    .formatted(endpoint.base));
            assertThat(duplicate.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
            assertThat(body(duplicate).get("code").asString()).isEqualTo("ResourceAlreadyExistsException");
            assertThat(post("/confirmdestination/not-a-token", "").getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);

            assertThat(http().delete().uri("/destinations/" + arn).retrieve().toEntity(String.class)
                    .getStatusCode()).isEqualTo(HttpStatus.OK);
            ResponseEntity<String> gone = get("/destinations/" + arn);
            assertThat(gone.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
            assertThat(body(gone).get("code").asString()).isEqualTo("ResourceNotFoundException");
        }
    }

    @Test
    void aRequestThatFailsTwiceIsDeliveredOnceOnTheThirdAttemptWithTheSameMessageId() throws Exception {
        String fleet = "flaky" + unique();
        // 500, then 429, then 200: both retried
        try (TestEndpoint endpoint = new TestEndpoint("/" + fleet, n -> n == 0 ? 500 : n == 1 ? 429 : 200);
             Reader errors = new Reader(KafkaTopics.MESSAGES)) {
            enabledDestination(endpoint);
            String rule = newRuleName("flaky");
            createRule(rule, """
                    {"sql": "SELECT temp, topic(3) AS device FROM 'iot/%s/+'",
                     "actions": [{"http": {"url": "%s/data/${topic(3)}", "confirmationUrl": "%s",
                                           "headers": [{"key": "x-device", "value": "${topic(3)}"},
                                                       {"key": "content-type", "value": "application/json"}]}}],
                     "errorAction": {"republish": {"topic": "errors/%s"}}}"""
                    .formatted(fleet, endpoint.base, endpoint.base, fleet));

            IotMessage message = send("iot/" + fleet + "/dev-1", "{\"temp\": 30}");

            await().atMost(Duration.ofSeconds(60)).until(() -> endpoint.requests.size() >= 3);
            Thread.sleep(2000);
            assertThat(endpoint.requests).hasSize(3);
            String id = MessageIds.derived(message.messageId(), rule, "http:" + endpoint.base + "/data/${topic(3)}");
            for (TestEndpoint.Received request : endpoint.requests) {
                assertThat(request.path()).isEqualTo("/" + fleet + "/data/dev-1");
                assertThat(request.header("x-device")).isEqualTo("dev-1");
                assertThat(request.header(HttpActionDispatcher.MESSAGE_ID_HEADER)).isEqualTo(id);
                JsonNode sent = json.readTree(request.body());
                assertThat(sent.get("temp").asInt()).isEqualTo(30);
                assertThat(sent.get("device").asString()).isEqualTo("dev-1");
            }
            // with back-off between the attempts
            assertThat(endpoint.requests.get(2).atNanos() - endpoint.requests.get(1).atNanos())
                    .isGreaterThan(endpoint.requests.get(1).atNanos() - endpoint.requests.get(0).atNanos());
            errors.poll(Duration.ofSeconds(2));
            assertThat(errors.on("errors/" + fleet)).isEmpty();
        }
    }

    @Test
    void anEndpointThatNeverAnswersDelaysOnlyItsOwnRuleAndEachRequestEndsInTheErrorAction() throws Exception {
        String fleet = "dead" + unique();
        int count = 8;
        try (TestEndpoint endpoint = new TestEndpoint("/" + fleet, n -> TestEndpoint.NEVER);
             Reader messages = new Reader(KafkaTopics.MESSAGES)) {
            enabledDestination(endpoint);
            String deadRule = newRuleName("dead");
            createRule(deadRule, """
                    {"sql": "SELECT * FROM 'iot/%s/+'",
                     "actions": [{"http": {"url": "%s/data", "confirmationUrl": "%s"}}],
                     "errorAction": {"republish": {"topic": "errors/%s/${topic(3)}"}}}"""
                    .formatted(fleet, endpoint.base, endpoint.base, fleet));
            createRule(newRuleName("flowing"), """
                    {"sql": "SELECT * FROM 'iot/%s/+'",
                     "actions": [{"republish": {"topic": "flow/%s/${topic(3)}"}}]}""".formatted(fleet, fleet));

            List<IotMessage> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(send("iot/" + fleet + "/dev-" + i, "{\"n\": " + i + "}"));
            }

            // the other rule's outputs arrive while the dead endpoint still holds its requests
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                messages.poll(Duration.ofMillis(100));
                return messages.startingWith("flow/" + fleet + "/").size() == count;
            });
            assertThat(messages.startingWith("errors/" + fleet + "/").size()).isLessThan(count);
            assertThat(endpoint.requests).isNotEmpty();

            // each request, after its 3 attempts timed out, goes to the error action with AWS's payload
            await().atMost(Duration.ofSeconds(200)).pollInterval(Duration.ofMillis(200)).until(() -> {
                messages.poll(Duration.ofMillis(200));
                return messages.startingWith("errors/" + fleet + "/").size() >= count;
            });
            ConsumerRecord<String, byte[]> error = messages.on("errors/" + fleet + "/dev-0").get(0);
            JsonNode payload = json.readTree(error.value());
            assertThat(payload.get("ruleName").asString()).isEqualTo(deadRule);
            assertThat(payload.get("topic").asString()).isEqualTo("iot/" + fleet + "/dev-0");
            assertThat(new String(java.util.Base64.getDecoder().decode(
                    payload.get("base64OriginalPayload").asString()), UTF_8)).isEqualTo("{\"n\": 0}");
            JsonNode failure = payload.get("failures").get(0);
            assertThat(failure.get("failedAction").asString()).isEqualTo("HttpAction");
            assertThat(failure.get("failedResource").asString()).isEqualTo(endpoint.base + "/data");
            assertThat(failure.get("errorMessage").asString()).contains("HttpTimeoutException");
            assertThat(endpoint.requests).hasSize(3 * count);
            assertThat(sent).hasSize(count);
        }
    }

    private void enabledDestination(TestEndpoint endpoint) {
        ResponseEntity<String> created = post("/destinations", """
                {"destinationConfiguration": {"httpUrlConfiguration": {"confirmationUrl": "%s"}}}"""
                .formatted(endpoint.base));
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(HttpStatus.OK);
        await().atMost(Duration.ofSeconds(30)).until(() -> !endpoint.confirmations.isEmpty());
        String token = json.readTree(endpoint.confirmations.get(0).body()).get("confirmationToken").asString();
        assertThat(post("/confirmdestination/" + token, "").getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    private String status(String arn) {
        return body(get("/destinations/" + arn)).get("topicRuleDestination").get("status").asString();
    }

    private ResponseEntity<String> patch(String body) {
        return http().patch().uri("/destinations").contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(String.class);
    }

    private void createRule(String name, String payload) {
        ResponseEntity<String> response = post("/rules/" + name, payload);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(HttpStatus.OK);
    }

    private IotMessage send(String topic, String payload) {
        String id = UUID.randomUUID().toString();
        IotMessage message = new IotMessage(topic, payload.getBytes(UTF_8), 0, false, "sensor-1", null, null, T0, id,
                id, "gateway/test", 0);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(KafkaTopics.MESSAGES, topic, message.payload());
        message.headers().forEach((name, value) -> record.headers().add(name, value));
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not produce a test record", e);
        }
        return message;
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** What lands on a topic from now on. */
    private static final class Reader implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

        Reader(String topic) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    EmbeddedKafkaServer.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG,
                    "http-test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                    new StringDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(topic));
            // joined and positioned before the test sends anything
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return !consumer.assignment().isEmpty();
            });
            consumer.assignment().forEach(consumer::position);
        }

        void poll(Duration duration) {
            consumer.poll(duration).forEach(records::add);
        }

        List<ConsumerRecord<String, byte[]>> on(String topic) {
            return records.stream().filter(r -> topic.equals(r.key())).toList();
        }

        List<ConsumerRecord<String, byte[]>> startingWith(String prefix) {
            return records.stream().filter(r -> r.key() != null && r.key().startsWith(prefix)).toList();
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
