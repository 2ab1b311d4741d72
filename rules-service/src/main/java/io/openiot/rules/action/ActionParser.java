package io.openiot.rules.action;

import io.openiot.contracts.TopicNameValidator;
import io.openiot.rules.sql.SqlParseException;
import io.openiot.rules.sql.SubstitutionTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads actions in AWS's JSON shape ({@code [{"republish": {...}}, {"dynamoDB": {...}}]}) and checks them, so that a
 * rule that is accepted can run. {@code roleArn} is accepted and ignored: nothing here assumes an IAM role.
 */
public final class ActionParser {

    static final String REPUBLISH = "republish";
    static final String DYNAMO_DB = "dynamoDB";
    public static final int MAX_ACTIONS = 10;

    /** The sink's table names. */
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,255}");
    private static final Set<String> KEY_TYPES = Set.of("STRING", "NUMBER");

    private ActionParser() {
    }

    /** Parses a rule's {@code actions} array (absent or null means no actions). */
    public static List<RuleAction> parseAll(JsonNode actions) {
        if (actions == null || actions.isNull() || actions.isMissingNode()) {
            return List.of();
        }
        if (!actions.isArray()) {
            throw new InvalidActionException("actions must be an array");
        }
        if (actions.size() > MAX_ACTIONS) {
            throw new InvalidActionException("a rule has at most " + MAX_ACTIONS + " actions, " + actions.size()
                    + " given");
        }
        List<RuleAction> parsed = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            parsed.add(parse(actions.get(i), "actions[" + i + "]"));
        }
        return parsed;
    }

    /** Parses one action object such as {@code {"republish": {"topic": "x"}}}. */
    public static RuleAction parse(JsonNode action, String where) {
        if (action == null || !action.isObject() || action.size() != 1) {
            throw new InvalidActionException(where + " must be an object with exactly one action type, such as "
                    + "{\"republish\": {...}}");
        }
        Map.Entry<String, JsonNode> only = action.properties().iterator().next();
        String type = only.getKey();
        JsonNode body = only.getValue();
        if (!body.isObject()) {
            throw new InvalidActionException(where + "." + type + " must be an object");
        }
        String path = where + "." + type;
        return switch (type) {
            case REPUBLISH -> republish(body, path);
            case DYNAMO_DB -> dynamoDb(body, path);
            default -> throw new InvalidActionException(where + ": action type '" + type
                    + "' is not supported (supported: " + REPUBLISH + ", " + DYNAMO_DB + ")");
        };
    }

    private static RuleAction republish(JsonNode body, String path) {
        SubstitutionTemplate topic = template(body, "topic", path, true);
        int qos = 0;
        JsonNode qosNode = body.get("qos");
        if (qosNode != null && !qosNode.isNull()) {
            if (!qosNode.isIntegralNumber() || qosNode.asInt() < 0 || qosNode.asInt() > 1) {
                throw new InvalidActionException(path + ".qos must be 0 or 1");
            }
            qos = qosNode.asInt();
        }
        if (!topic.hasSubstitutions()) {
            // a fixed topic is checked now; a templated one when it is rendered (ActionExecutor)
            String text = topic.render(null);
            TopicNameValidator.violation(text).ifPresent(violation -> {
                throw new InvalidActionException(path + ".topic: " + violation);
            });
        }
        return new RuleAction.Republish(topic, qos);
    }

    private static RuleAction dynamoDb(JsonNode body, String path) {
        String tableName = text(body, "tableName", path, true);
        if (!TABLE_NAME.matcher(tableName).matches()) {
            throw new InvalidActionException(path + ".tableName must be 1-255 characters of A-Z a-z 0-9 _ . -");
        }
        String hashKeyField = text(body, "hashKeyField", path, true);
        SubstitutionTemplate hashKeyValue = template(body, "hashKeyValue", path, true);
        String hashKeyType = keyType(body, "hashKeyType", path);
        String rangeKeyField = text(body, "rangeKeyField", path, false);
        SubstitutionTemplate rangeKeyValue = template(body, "rangeKeyValue", path, false);
        String rangeKeyType = keyType(body, "rangeKeyType", path);
        if ((rangeKeyField == null) != (rangeKeyValue == null)) {
            throw new InvalidActionException(path + ": rangeKeyField and rangeKeyValue go together");
        }
        String payloadField = text(body, "payloadField", path, false);
        if (payloadField == null) {
            payloadField = "payload";
        }
        if (payloadField.equals(hashKeyField) || payloadField.equals(rangeKeyField)) {
            throw new InvalidActionException(path + ".payloadField must differ from the key fields");
        }
        return new RuleAction.DynamoDb(tableName, hashKeyField, hashKeyValue, hashKeyType, rangeKeyField,
                rangeKeyValue, rangeKeyType, payloadField);
    }

    private static String keyType(JsonNode body, String field, String path) {
        String type = text(body, field, path, false);
        if (type == null) {
            return "STRING";
        }
        String upper = type.toUpperCase(Locale.ROOT);
        if (!KEY_TYPES.contains(upper)) {
            throw new InvalidActionException(path + "." + field + " must be STRING or NUMBER");
        }
        return upper;
    }

    private static SubstitutionTemplate template(JsonNode body, String field, String path, boolean required) {
        String text = text(body, field, path, required);
        if (text == null) {
            return null;
        }
        try {
            return SubstitutionTemplate.parse(text);
        } catch (SqlParseException e) {
            throw new InvalidActionException(path + "." + field + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode body, String field, String path, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new InvalidActionException(path + "." + field + " is required");
            }
            return null;
        }
        if (!node.isString() || node.stringValue().isEmpty()) {
            throw new InvalidActionException(path + "." + field + " must be a non-empty string");
        }
        return node.stringValue();
    }
}
