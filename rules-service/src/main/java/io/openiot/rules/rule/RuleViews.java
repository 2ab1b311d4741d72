package io.openiot.rules.rule;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Response bodies in the shapes of AWS GetTopicRule and ListTopicRules. */
final class RuleViews {

    private RuleViews() {
    }

    /** {@code GET /rules/{ruleName}}. */
    record GetTopicRuleResponse(String ruleArn, TopicRule rule) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TopicRule(String ruleName, String sql, String description, BigDecimal createdAt, JsonNode actions,
                     boolean ruleDisabled, String awsIotSqlVersion, JsonNode errorAction) {
    }

    /** {@code GET /rules}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ListTopicRulesResponse(List<TopicRuleListItem> rules, String nextToken) {
    }

    record TopicRuleListItem(String ruleArn, String ruleName, String topicPattern, BigDecimal createdAt,
                             boolean ruleDisabled) {
    }

    /** AWS's JSON protocol gives timestamps as epoch seconds with a fraction. */
    static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }
}
