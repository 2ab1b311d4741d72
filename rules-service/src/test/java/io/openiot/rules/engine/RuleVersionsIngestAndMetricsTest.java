package io.openiot.rules.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;

/**
 * The engine end to end (REST, then records on {@code iot.messages}, outputs read back from Kafka): each rule runs in
 * its own {@code awsIotSqlVersion}, Basic Ingest, records no rule wants, and the per-rule metrics.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RuleVersionsIngestAndMetricsTest extends RulesServiceTestBase {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static KafkaProducer<String, byte[]> producer;
    private static KafkaConsumer<String, byte[]> messageConsumer;
    private final List<ConsumerRecord<String, byte[]>> messages = new ArrayList<>();

    @Autowired
    MeterRegistry meters;

    @BeforeAll
    static void clients() {
        String brokers = EmbeddedKafkaServer.bootstrapServers();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        messageConsumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "rules-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer());
        messageConsumer.subscribe(List.of(KafkaTopics.MESSAGES));
    }

    @AfterAll
    static void close() {
        producer.close(Duration.ofSeconds(5));
        messageConsumer.close(Duration.ofSeconds(5));
    }

    @Test
    void eachRuleRunsInItsOwnSqlVersion() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String sql = "SELECT 10.0 AS v, 1.5 * 2 AS w, sql_version() AS s FROM 'ver/" + id + "'";
        createRule(newRuleName("v2015"), """
                {"sql": "%s", "awsIotSqlVersion": "2015-10-08",
                 "actions": [{"republish": {"topic": "out/%s/2015"}}]}""".formatted(sql, id));
        createRule(newRuleName("v2016"), """
                {"sql": "%s", "awsIotSqlVersion": "2016-03-23",
                 "actions": [{"republish": {"topic": "out/%s/2016"}}]}""".formatted(sql, id));
        String defaulted = newRuleName("vdefault");
        createRule(defaulted, """
                {"sql": "%s", "actions": [{"republish": {"topic": "out/%s/default"}}]}""".formatted(sql, id));
        assertThat(body(get("/rules/" + defaulted)).get("rule").get("awsIotSqlVersion").asString())
                .isEqualTo("2016-03-23");

        send("ver/" + id, "{}");

        // 2015-10-08 keeps whole-number decimals as decimals; 2016-03-23 prints them as integers
        assertThat(text(awaitMessage("out/" + id + "/2015"))).isEqualTo("{\"v\":10.0,\"w\":3.0,\"s\":\"2015-10-08\"}");
        assertThat(text(awaitMessage("out/" + id + "/2016"))).isEqualTo("{\"v\":10,\"w\":3,\"s\":\"2016-03-23\"}");
        assertThat(text(awaitMessage("out/" + id + "/default")))
                .isEqualTo("{\"v\":10,\"w\":3,\"s\":\"2016-03-23\"}");
    }

    @Test
    void basicIngestRunsTheNamedRuleOnlyAndItSeesTheTopicWithoutThePrefix() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String named = newRuleName("ingest");
        // its FROM matches nothing the device publishes to
        createRule(named, """
                {"sql": "SELECT temp, topic() AS t, topic(2) AS second FROM 'elsewhere/%s' WHERE temp > 20",
                 "actions": [{"republish": {"topic": "ingested/%s/${topic()}"}}]}""".formatted(id, id));
        // a rule whose FROM does match the full topic must not run: Basic Ingest names its rule
        createRule(newRuleName("bystander"), """
                {"sql": "SELECT * FROM '$aws/rules/%s/#'",
                 "actions": [{"republish": {"topic": "bystander/%s"}}]}""".formatted(named, id));
        String noFrom = newRuleName("nofrom");
        createRule(noFrom, """
                {"sql": "SELECT topic() AS t",
                 "actions": [{"republish": {"topic": "nofrom/%s"}}]}""".formatted(id));
        assertThat(body(get("/rules?maxResults=10000")).get("rules").findValues("ruleName").stream()
                .map(node -> node.asString())).contains(noFrom);

        send("$aws/rules/" + named + "/dev/" + id, "{\"temp\":25}");
        send("$aws/rules/" + named + "/dev/cold", "{\"temp\":5}");
        send("$aws/rules/" + noFrom + "/a/b", "{}");

        assertThat(text(awaitMessage("ingested/" + id + "/dev/" + id)))
                .isEqualTo("{\"temp\":25,\"t\":\"dev/" + id + "\",\"second\":\"" + id + "\"}");
        assertThat(text(awaitMessage("nofrom/" + id))).isEqualTo("{\"t\":\"a/b\"}");
        pollMessages(Duration.ofSeconds(2));
        assertThat(messagesOn("bystander/" + id)).isEmpty();
        assertThat(messagesOn("ingested/" + id + "/dev/cold")).isEmpty();
    }

    @Test
    void recordsWhoseTopicRunsNoRuleAreSkippedFromTheirKeyAndCounted() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        createRule(newRuleName("wanted"), """
                {"sql": "SELECT n FROM 'wanted/%s'",
                 "actions": [{"republish": {"topic": "kept/%s"}}]}""".formatted(id, id));
        double skippedBefore = meters.counter("iot.rules.messages.skipped", "reason", "no-rule").count();

        for (int i = 0; i < 5; i++) {
            send("unwanted/" + id + "/" + i, "{\"n\":" + i + "}");
        }
        send("wanted/" + id, "{\"n\":7}");

        assertThat(text(awaitMessage("kept/" + id))).isEqualTo("{\"n\":7}");
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                meters.counter("iot.rules.messages.skipped", "reason", "no-rule").count())
                .isGreaterThanOrEqualTo(skippedBefore + 5));
    }

    @Test
    void perRuleMetricsAreOnThePrometheusEndpoint() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String rule = newRuleName("metered");
        createRule(rule, """
                {"sql": "SELECT * FROM 'metered/%s'",
                 "actions": [{"republish": {"topic": "metered-out/%s"}},
                             {"republish": {"topic": "metered-out/%s/${missing}+"}}]}""".formatted(id, id, id));

        send("metered/" + id, "{\"n\":1}");
        awaitMessage("metered-out/" + id);

        await().atMost(WAIT).untilAsserted(() -> {
            String scrape = http().get().uri("/actuator/prometheus").retrieve().body(String.class);
            assertThat(scrape).containsPattern("iot_rules_rule_matched_total\\{[^}]*rule=\"" + rule + "\"[^}]*} 1\\.0");
            assertThat(scrape).containsPattern("iot_rules_rule_actions_fired_total\\{[^}]*action=\"republish\""
                    + "[^}]*rule=\"" + rule + "\"[^}]*} 1\\.0");
            // the second action renders the topic "metered-out/<id>/+", which no MQTT topic may be
            assertThat(scrape).containsPattern("iot_rules_rule_actions_failed_total\\{[^}]*action=\"republish\""
                    + "[^}]*rule=\"" + rule + "\"[^}]*} 1\\.0");
            assertThat(scrape).containsPattern("iot_rules_rule_actions_latency_seconds_count\\{[^}]*"
                    + "action=\"republish\"[^}]*rule=\"" + rule + "\"[^}]*} [12]");
        });
    }

    private void createRule(String name, String payload) {
        assertThat(post("/rules/" + name, payload).getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    private void send(String topic, String payload) {
        String id = UUID.randomUUID().toString();
        IotMessage message = new IotMessage(topic, payload.getBytes(UTF_8), 0, false, "sensor-1", null, null,
                System.currentTimeMillis(), id, id, "gateway/test", 0);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(KafkaTopics.MESSAGES, topic, message.payload());
        message.headers().forEach((name, value) -> record.headers().add(name, value));
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not produce a test record", e);
        }
    }

    private ConsumerRecord<String, byte[]> awaitMessage(String topic) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            pollMessages(Duration.ofMillis(200));
            return !messagesOn(topic).isEmpty();
        });
        return messagesOn(topic).get(0);
    }

    private List<ConsumerRecord<String, byte[]>> messagesOn(String topic) {
        return messages.stream().filter(r -> topic.equals(r.key())).toList();
    }

    private void pollMessages(Duration duration) {
        messageConsumer.poll(duration).forEach(messages::add);
    }

    private static String text(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), UTF_8);
    }
}
