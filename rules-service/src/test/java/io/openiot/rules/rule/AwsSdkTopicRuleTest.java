package io.openiot.rules.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openiot.rules.RulesServiceTestBase;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.Action;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.RepublishAction;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iot.model.SqlParseException;
import software.amazon.awssdk.services.iot.model.TopicRule;
import software.amazon.awssdk.services.iot.model.TopicRuleListItem;
import software.amazon.awssdk.services.iot.model.TopicRulePayload;

/**
 * The AWS SDK for Java v2 {@code IotClient}, unchanged but for its endpoint, against the rules API: create, get, list
 * with filters, replace, enable, disable, delete, and AWS's errors as the SDK's exception types, signed with SigV4 by
 * the SDK itself (the test base holds the access key where policy-service would).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AwsSdkTopicRuleTest extends RulesServiceTestBase {

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
    void createsGetsListsReplacesEnablesDisablesAndDeletesARule() {
        String name = newRuleName("sdk");
        String topic = "sdk/" + name + "/+";
        iot.createTopicRule(r -> r.ruleName(name).topicRulePayload(payload("SELECT * FROM '" + topic + "'",
                "sdk/out/" + name, null)));

        TopicRule rule = iot.getTopicRule(r -> r.ruleName(name)).rule();
        assertThat(rule.ruleName()).isEqualTo(name);
        assertThat(rule.sql()).isEqualTo("SELECT * FROM '" + topic + "'");
        assertThat(rule.awsIotSqlVersion()).isEqualTo("2016-03-23");
        assertThat(rule.ruleDisabled()).isFalse();
        assertThat(rule.actions()).singleElement().extracting(a -> a.republish().topic())
                .isEqualTo("sdk/out/" + name);
        assertThat(listed(topic, null)).extracting(TopicRuleListItem::ruleName).containsExactly(name);

        iot.disableTopicRule(r -> r.ruleName(name));
        assertThat(iot.getTopicRule(r -> r.ruleName(name)).rule().ruleDisabled()).isTrue();
        assertThat(listed(topic, true)).extracting(TopicRuleListItem::ruleName).containsExactly(name);
        assertThat(listed(topic, false)).isEmpty();

        iot.enableTopicRule(r -> r.ruleName(name));
        assertThat(iot.getTopicRule(r -> r.ruleName(name)).rule().ruleDisabled()).isFalse();
        assertThat(listed(topic, false)).extracting(TopicRuleListItem::ruleName).containsExactly(name);

        String replaced = "sdk/" + name + "/replaced";
        iot.replaceTopicRule(r -> r.ruleName(name).topicRulePayload(payload(
                "SELECT temp FROM '" + replaced + "' WHERE temp > 1", "sdk/out2/" + name, "2015-10-08")));
        TopicRule after = iot.getTopicRule(r -> r.ruleName(name)).rule();
        assertThat(after.sql()).isEqualTo("SELECT temp FROM '" + replaced + "' WHERE temp > 1");
        assertThat(after.awsIotSqlVersion()).isEqualTo("2015-10-08");
        assertThat(after.createdAt()).isEqualTo(rule.createdAt());
        assertThat(after.actions()).singleElement().extracting(a -> a.republish().topic())
                .isEqualTo("sdk/out2/" + name);
        assertThat(listed(replaced, null)).extracting(TopicRuleListItem::topicPattern).containsExactly(replaced);
        assertThat(listed(topic, null)).isEmpty();

        iot.deleteTopicRule(r -> r.ruleName(name));
        assertThatThrownBy(() -> iot.getTopicRule(r -> r.ruleName(name)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void answersWithAwsErrorsTheSdkKnows() {
        String name = newRuleName("sdkerr");
        TopicRulePayload good = payload("SELECT * FROM 'sdkerr/x'", "sdkerr/out", null);
        iot.createTopicRule(r -> r.ruleName(name).topicRulePayload(good));

        assertThatThrownBy(() -> iot.createTopicRule(r -> r.ruleName(name).topicRulePayload(good)))
                .isInstanceOf(ResourceAlreadyExistsException.class);
        String missing = newRuleName("missing");
        assertThatThrownBy(() -> iot.replaceTopicRule(r -> r.ruleName(missing).topicRulePayload(good)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> iot.enableTopicRule(r -> r.ruleName(missing)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> iot.disableTopicRule(r -> r.ruleName(missing)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> iot.replaceTopicRule(r -> r.ruleName(name).topicRulePayload(
                payload("SELECT FROM WHERE", "sdkerr/out", null))))
                .isInstanceOf(SqlParseException.class);
        // a 2016-03-23 feature (an object literal) in a 2015-10-08 rule
        assertThatThrownBy(() -> iot.replaceTopicRule(r -> r.ruleName(name).topicRulePayload(
                payload("SELECT {'a': 1} AS o FROM 'sdkerr/x'", "sdkerr/out", "2015-10-08"))))
                .isInstanceOf(SqlParseException.class);
        assertThatThrownBy(() -> iot.replaceTopicRule(r -> r.ruleName(name).topicRulePayload(
                payload("SELECT * FROM 'sdkerr/x'", "sdkerr/out", "2017-01-01"))))
                .isInstanceOf(InvalidRequestException.class);
        // the failed replacements left the rule as it was
        assertThat(iot.getTopicRule(r -> r.ruleName(name)).rule().sql()).isEqualTo("SELECT * FROM 'sdkerr/x'");
    }

    private java.util.List<TopicRuleListItem> listed(String topic, Boolean disabled) {
        return iot.listTopicRules(r -> r.topic(topic).ruleDisabled(disabled)).rules();
    }

    private static TopicRulePayload payload(String sql, String republishTopic, String version) {
        return TopicRulePayload.builder().sql(sql).awsIotSqlVersion(version)
                .actions(Action.builder().republish(RepublishAction.builder().topic(republishTopic)
                        .roleArn("arn:aws:iam::000000000000:role/ignored").build()).build())
                .build();
    }
}
