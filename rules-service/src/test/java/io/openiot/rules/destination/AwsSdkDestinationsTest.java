package io.openiot.rules.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.openiot.rules.RulesServiceTestBase;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.Action;
import software.amazon.awssdk.services.iot.model.CreateTopicRuleDestinationResponse;
import software.amazon.awssdk.services.iot.model.GetTopicRuleResponse;
import software.amazon.awssdk.services.iot.model.HttpAction;
import software.amazon.awssdk.services.iot.model.HttpActionHeader;
import software.amazon.awssdk.services.iot.model.KafkaAction;
import software.amazon.awssdk.services.iot.model.KafkaActionHeader;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iot.model.TopicRuleDestinationStatus;
import software.amazon.awssdk.services.iot.model.TopicRuleDestinationSummary;
import tools.jackson.databind.JsonNode;

/** Destinations and rules with kafka and http actions driven by the AWS SDK for Java v2, as an AWS application. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AwsSdkDestinationsTest extends RulesServiceTestBase {

    IotClient iot;

    @BeforeEach
    void sdk() {
        iot = iotClient();
    }

    @AfterEach
    void close() {
        iot.close();
    }

    @Test
    void destinationLifecycleAndRulesWithKafkaAndHttpActionsThroughTheSdk() throws Exception {
        String path = "/sdk-" + UUID.randomUUID().toString().substring(0, 8);
        try (TestEndpoint endpoint = new TestEndpoint(path, n -> 200)) {
            CreateTopicRuleDestinationResponse created = iot.createTopicRuleDestination(b -> b
                    .destinationConfiguration(c -> c.httpUrlConfiguration(h -> h.confirmationUrl(endpoint.base))));
            String arn = created.topicRuleDestination().arn();
            assertThat(created.topicRuleDestination().status()).isEqualTo(TopicRuleDestinationStatus.IN_PROGRESS);
            assertThat(created.topicRuleDestination().httpUrlProperties().confirmationUrl()).isEqualTo(endpoint.base);
            assertThat(created.topicRuleDestination().createdAt()).isNotNull();

            await().atMost(Duration.ofSeconds(30)).until(() -> !endpoint.confirmations.isEmpty());
            JsonNode confirmation = json.readTree(endpoint.confirmations.get(0).body());
            iot.confirmTopicRuleDestination(b -> b.confirmationToken(confirmation.get("confirmationToken")
                    .asString()));
            assertThat(iot.getTopicRuleDestination(b -> b.arn(arn)).topicRuleDestination().status())
                    .isEqualTo(TopicRuleDestinationStatus.ENABLED);

            TopicRuleDestinationSummary summary = iot.listTopicRuleDestinations(b -> b.maxResults(1000))
                    .destinationSummaries().stream().filter(s -> s.arn().equals(arn)).findFirst().orElseThrow();
            assertThat(summary.status()).isEqualTo(TopicRuleDestinationStatus.ENABLED);
            assertThat(summary.httpUrlSummary().confirmationUrl()).isEqualTo(endpoint.base);

            iot.updateTopicRuleDestination(b -> b.arn(arn).status(TopicRuleDestinationStatus.DISABLED));
            assertThat(iot.getTopicRuleDestination(b -> b.arn(arn)).topicRuleDestination().status())
                    .isEqualTo(TopicRuleDestinationStatus.DISABLED);
            assertThatThrownBy(() -> iot.createTopicRuleDestination(b -> b.destinationConfiguration(c -> c
                    .httpUrlConfiguration(h -> h.confirmationUrl(endpoint.base)))))
                    .isInstanceOf(ResourceAlreadyExistsException.class);

            String rule = newRuleName("sdk");
            iot.createTopicRule(b -> b.ruleName(rule).topicRulePayload(p -> p
                    .sql("SELECT * FROM 'sdk/+/data'")
                    .awsIotSqlVersion("2016-03-23")
                    .actions(Action.builder().kafka(KafkaAction.builder()
                                    .destinationArn("arn:aws:iot:us-east-1:000000000000:ruledestination/vpc/x")
                                    .topic("sdk-out").key("${topic(2)}").partition("0")
                                    .clientProperties(java.util.Map.of("bootstrap.servers", "b:9092"))
                                    .headers(KafkaActionHeader.builder().key("k").value("${topic(2)}").build())
                                    .build()).build(),
                            Action.builder().http(HttpAction.builder().url(endpoint.base + "/in")
                                    .confirmationUrl(endpoint.base)
                                    .headers(HttpActionHeader.builder().key("x-d").value("${topic(2)}").build())
                                    .build()).build())));
            GetTopicRuleResponse got = iot.getTopicRule(b -> b.ruleName(rule));
            KafkaAction kafka = got.rule().actions().get(0).kafka();
            assertThat(kafka.topic()).isEqualTo("sdk-out");
            assertThat(kafka.partition()).isEqualTo("0");
            assertThat(kafka.headers().get(0).value()).isEqualTo("${topic(2)}");
            HttpAction http = got.rule().actions().get(1).http();
            assertThat(http.url()).isEqualTo(endpoint.base + "/in");
            assertThat(http.headers().get(0).key()).isEqualTo("x-d");

            iot.deleteTopicRule(b -> b.ruleName(rule));
            iot.deleteTopicRuleDestination(b -> b.arn(arn));
            assertThatThrownBy(() -> iot.getTopicRuleDestination(b -> b.arn(arn)))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
    }
}
