package io.openiot.rules.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openiot.rules.RulesServiceTestBase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.Action;
import software.amazon.awssdk.services.iot.model.DynamoDBAction;
import software.amazon.awssdk.services.iot.model.DynamoDBv2Action;
import software.amazon.awssdk.services.iot.model.DynamoKeyType;
import software.amazon.awssdk.services.iot.model.FirehoseAction;
import software.amazon.awssdk.services.iot.model.HttpAction;
import software.amazon.awssdk.services.iot.model.HttpActionHeader;
import software.amazon.awssdk.services.iot.model.HttpAuthorization;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.KafkaAction;
import software.amazon.awssdk.services.iot.model.KafkaActionHeader;
import software.amazon.awssdk.services.iot.model.KinesisAction;
import software.amazon.awssdk.services.iot.model.MqttHeaders;
import software.amazon.awssdk.services.iot.model.PutItemInput;
import software.amazon.awssdk.services.iot.model.RepublishAction;
import software.amazon.awssdk.services.iot.model.SigV4Authorization;
import software.amazon.awssdk.services.iot.model.TopicRule;
import software.amazon.awssdk.services.iot.model.TopicRulePayload;
import software.amazon.awssdk.services.iot.model.UserProperty;

/**
 * The action shapes of the AWS SDK for Java v2 model ({@code software.amazon.awssdk.services.iot.model.*Action}), whose
 * field names are AWS's wire names: one rule holding each action the platform runs, every member AWS documents set,
 * created with {@code createTopicRule} and read back with {@code getTopicRule} as the SDK's own objects.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AwsSdkActionShapesTest extends RulesServiceTestBase {

    private static final String ROLE = "arn:aws:iam::000000000000:role/ignored";

    private IotClient iot;

    @BeforeEach
    void client() {
        iot = iotClient();
    }

    @AfterEach
    void close() {
        iot.close();
    }

    @Test
    void everyActionWithEveryDocumentedFieldRoundTripsThroughCreateAndGetTopicRule() {
        String name = newRuleName("shapes");
        List<Action> actions = List.of(
                Action.builder().republish(RepublishAction.builder().roleArn(ROLE)
                        .topic("out/${topic(2)}").qos(1)
                        .headers(MqttHeaders.builder().payloadFormatIndicator("UTF8_DATA")
                                .contentType("application/json").responseTopic("reply/${topic(2)}")
                                .correlationData("Y29ycmVsYXRpb24=").messageExpiry("3600")
                                .userProperties(UserProperty.builder().key("device").value("${topic(2)}").build(),
                                        UserProperty.builder().key("fixed").value("1").build())
                                .build())
                        .build()).build(),
                Action.builder().kafka(KafkaAction.builder()
                        .destinationArn("arn:aws:iot:us-east-1:000000000000:ruledestination/vpc/shapes")
                        .topic("shapes-out").key("${topic(2)}").partition("0")
                        .clientProperties(Map.of("bootstrap.servers", "kafka.example:9092", "acks", "all"))
                        .headers(KafkaActionHeader.builder().key("device").value("${topic(2)}").build())
                        .build()).build(),
                Action.builder().kinesis(KinesisAction.builder().roleArn(ROLE).streamName("shapes-stream")
                        .partitionKey("${topic(2)}").build()).build(),
                Action.builder().firehose(FirehoseAction.builder().roleArn(ROLE).deliveryStreamName("shapes-delivery")
                        .separator("\n").batchMode(false).build()).build(),
                Action.builder().http(HttpAction.builder().url("https://shapes.example/ingest/${topic(2)}")
                        .confirmationUrl("https://shapes.example/ingest")
                        .headers(HttpActionHeader.builder().key("x-device").value("${topic(2)}").build())
                        .build()).build(),
                Action.builder().dynamoDB(DynamoDBAction.builder().tableName("shapes_table").roleArn(ROLE)
                        .operation("INSERT").hashKeyField("device").hashKeyValue("${topic(2)}")
                        .hashKeyType(DynamoKeyType.STRING).rangeKeyField("ts").rangeKeyValue("${timestamp()}")
                        .rangeKeyType(DynamoKeyType.NUMBER).payloadField("data").build()).build(),
                Action.builder().dynamoDBv2(DynamoDBv2Action.builder().roleArn(ROLE)
                        .putItem(PutItemInput.builder().tableName("shapes_v2").build()).build()).build());
        Action errorAction = Action.builder().republish(RepublishAction.builder().roleArn(ROLE)
                .topic("errors/${topic(2)}").qos(0).build()).build();

        iot.createTopicRule(r -> r.ruleName(name).topicRulePayload(TopicRulePayload.builder()
                .sql("SELECT * FROM 'shapes/+'").description("every action").awsIotSqlVersion("2016-03-23")
                .ruleDisabled(false).actions(actions).errorAction(errorAction).build()));

        TopicRule rule = iot.getTopicRule(r -> r.ruleName(name)).rule();
        // the SDK's objects compare by value: every member, nested ones included, came back as sent
        assertThat(rule.actions()).containsExactlyElementsOf(actions);
        assertThat(rule.errorAction()).isEqualTo(errorAction);
        assertThat(rule.description()).isEqualTo("every action");
        // the members the SDK reads most often, spelled out
        assertThat(rule.actions().get(0).republish().headers().userProperties()).extracting(UserProperty::key)
                .containsExactly("device", "fixed");
        assertThat(rule.actions().get(1).kafka().clientProperties()).containsEntry("bootstrap.servers",
                "kafka.example:9092");
        assertThat(rule.actions().get(5).dynamoDB().rangeKeyType()).isEqualTo(DynamoKeyType.NUMBER);
        assertThat(rule.actions().get(6).dynamoDBv2().putItem().tableName()).isEqualTo("shapes_v2");
    }

    @Test
    void anActionThatDiffersFromAwsIsRefusedWithTheReasonNotStoredHalfUnderstood() {
        // SigV4 signing for AWS service endpoints: there is no IAM here to sign with (docs/services/rules-service.md)
        assertRefused(Action.builder().http(HttpAction.builder().url("https://shapes.example/x")
                .auth(HttpAuthorization.builder().sigv4(SigV4Authorization.builder().signingRegion("us-east-1")
                        .serviceName("execute-api").roleArn(ROLE).build()).build()).build()).build(), "auth");
        assertRefused(Action.builder().republish(RepublishAction.builder().topic("t")
                .headers(MqttHeaders.builder().payloadFormatIndicator("TEXT").build()).build()).build(),
                "payloadFormatIndicator");
        assertRefused(Action.builder().republish(RepublishAction.builder().topic("t")
                .headers(MqttHeaders.builder().correlationData("not base64!").build()).build()).build(),
                "correlationData");
        assertRefused(Action.builder().republish(RepublishAction.builder().topic("t")
                .headers(MqttHeaders.builder().messageExpiry("soon").build()).build()).build(), "messageExpiry");
        assertRefused(Action.builder().dynamoDB(DynamoDBAction.builder().tableName("t").hashKeyField("k")
                .hashKeyValue("v").operation("UPSERT").build()).build(), "operation");
    }

    private void assertRefused(Action action, String reason) {
        String name = newRuleName("refused");
        assertThatThrownBy(() -> iot.createTopicRule(r -> r.ruleName(name).topicRulePayload(TopicRulePayload
                .builder().sql("SELECT * FROM 'refused/+'").actions(action).build())))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining(reason);
    }
}
