package io.openiot.rules.rule;

import io.openiot.rules.action.ActionParser;
import io.openiot.rules.sql.RuleQuery;
import io.openiot.rules.sql.SqlParser;
import io.openiot.rules.sql.SqlVersion;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated AWS {@code topicRulePayload}: the SQL parses, the actions can run. {@code errorAction} is checked for
 * shape and kept for a later version.
 */
record TopicRulePayload(String sql, RuleQuery query, String description, JsonNode actions, boolean ruleDisabled,
                        String awsIotSqlVersion, JsonNode errorAction) {

    /** What a new rule without {@code awsIotSqlVersion} gets (the current version, as the issue asks). */
    static final String DEFAULT_SQL_VERSION = "2016-03-23";
    /** The values AWS accepts. */
    static final Set<String> SQL_VERSIONS = Set.of("2015-10-08", "2016-03-23", "beta");

    /**
     * Reads a request body: the payload itself (what the AWS CLI sends) or wrapped as {@code {"topicRulePayload":...}}.
     */
    static TopicRulePayload read(byte[] body, JsonMapper json) {
        if (body == null || body.length == 0) {
            throw new Exceptions.InvalidRequestException("request body with a topicRulePayload is required");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new Exceptions.InvalidRequestException("request body is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new Exceptions.InvalidRequestException("request body must be a JSON object");
        }
        JsonNode payload = root.has("topicRulePayload") ? root.get("topicRulePayload") : root;
        if (!payload.isObject()) {
            throw new Exceptions.InvalidRequestException("topicRulePayload must be a JSON object");
        }
        return of(payload);
    }

    static TopicRulePayload of(JsonNode payload) {
        JsonNode sqlNode = payload.get("sql");
        if (sqlNode == null || sqlNode.isNull()) {
            throw new Exceptions.InvalidRequestException("topicRulePayload.sql is required");
        }
        if (!sqlNode.isString() || sqlNode.stringValue().isBlank()) {
            throw new Exceptions.InvalidRequestException("topicRulePayload.sql must be a non-empty string");
        }
        String description = optionalText(payload, "description");
        String version = optionalText(payload, "awsIotSqlVersion");
        if (version == null) {
            version = DEFAULT_SQL_VERSION;
        } else if (!SQL_VERSIONS.contains(version)) {
            throw new Exceptions.InvalidRequestException("awsIotSqlVersion must be one of " + SQL_VERSIONS);
        }
        JsonNode disabled = payload.get("ruleDisabled");
        if (disabled != null && !disabled.isNull() && !disabled.isBoolean()) {
            throw new Exceptions.InvalidRequestException("ruleDisabled must be true or false");
        }
        JsonNode actions = payload.get("actions");
        if (actions == null || actions.isNull()) {
            actions = JsonNodeFactory.instance.arrayNode();
        }
        ActionParser.parseAll(actions);
        JsonNode errorAction = payload.get("errorAction");
        if (errorAction != null && errorAction.isNull()) {
            errorAction = null;
        }
        if (errorAction != null) {
            // validated like any action now, so that it can run once error actions are executed
            ActionParser.parse(errorAction, "errorAction");
        }
        String sql = sqlNode.stringValue();
        // the rule's version decides what parses and how results print; without FROM it runs only through Basic Ingest
        RuleQuery query = SqlParser.parseQuery(sql, SqlVersion.of(version));
        return new TopicRulePayload(sql, query, description, actions, disabled != null && disabled.asBoolean(),
                version, errorAction);
    }

    private static String optionalText(JsonNode payload, String field) {
        JsonNode node = payload.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new Exceptions.InvalidRequestException(field + " must be a string");
        }
        return node.stringValue();
    }

    /** The FROM topic filter, or null for a rule without FROM (Basic Ingest only). */
    String topicFilter() {
        return query.hasFrom() ? query.topicFilter().toString() : null;
    }

    /** What is stored: the payload's fields, normalised (defaults filled in). */
    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("sql", sql);
        if (description != null) {
            node.put("description", description);
        }
        node.set("actions", actions);
        node.put("ruleDisabled", ruleDisabled);
        node.put("awsIotSqlVersion", awsIotSqlVersion);
        if (errorAction != null) {
            node.set("errorAction", errorAction);
        }
        return node;
    }
}
