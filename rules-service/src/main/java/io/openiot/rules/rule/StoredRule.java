package io.openiot.rules.rule;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** A row of {@code topic_rule}. {@code payload} is the normalised topicRulePayload. */
record StoredRule(String ruleName, String sql, String topicFilter, String awsIotSqlVersion, String description,
                  boolean ruleDisabled, JsonNode payload, Instant createdAt, Instant updatedAt) {
}
