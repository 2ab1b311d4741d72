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
    static final String DYNAMO_DB_V2 = "dynamoDBv2";
    static final String KAFKA = "kafka";
    static final String KINESIS = "kinesis";
    static final String FIREHOSE = "firehose";
    static final String HTTP = "http";
    private static final String SUPPORTED = String.join(", ", REPUBLISH, DYNAMO_DB, DYNAMO_DB_V2, KAFKA, KINESIS,
            FIREHOSE, HTTP);
    public static final int MAX_ACTIONS = 10;

    /** The sink's table names. */
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,255}");
    private static final Set<String> KEY_TYPES = Set.of("STRING", "NUMBER");
    /** Kinesis stream names (AWS allows 1-128), Firehose delivery stream names (1-64): both valid Kafka names. */
    private static final Pattern STREAM_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern DELIVERY_STREAM_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** AWS's MqttHeaders members, and the payload format indicators it allows. */
    private static final List<String> MQTT_HEADER_FIELDS = List.of("payloadFormatIndicator", "contentType",
            "responseTopic", "correlationData", "messageExpiry", "userProperties");
    static final Set<String> PAYLOAD_FORMATS = Set.of("UNSPECIFIED_BYTES", "UTF8_DATA");
    /** The operations of the dynamoDB action. */
    static final Set<String> DYNAMO_OPERATIONS = Set.of("INSERT", "UPDATE", "DELETE");
    /** The separators Firehose accepts. */
    private static final Set<String> SEPARATORS = Set.of("\n", "\t", "\r\n", ",");

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
            case DYNAMO_DB_V2 -> dynamoDbV2(body, path);
            case KAFKA -> kafka(body, path);
            case KINESIS -> kinesis(body, path);
            case FIREHOSE -> firehose(body, path);
            case HTTP -> http(body, path);
            default -> throw new InvalidActionException(where + ": action type '" + type
                    + "' is not supported (supported: " + SUPPORTED + ")");
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
        return new RuleAction.Republish(topic, qos, mqttHeaders(body.get("headers"), path + ".headers"));
    }

    /** AWS's MqttHeaders: every member a template of at most 1024 characters (checked now when fixed). */
    private static RuleAction.MqttHeaders mqttHeaders(JsonNode headers, String path) {
        if (headers == null || headers.isNull()) {
            return null;
        }
        if (!headers.isObject()) {
            throw new InvalidActionException(path + " must be an object (MqttHeaders)");
        }
        for (String field : headers.propertyNames()) {
            if (!MQTT_HEADER_FIELDS.contains(field)) {
                throw new InvalidActionException(path + "." + field + " is not an MQTT header (supported: "
                        + String.join(", ", MQTT_HEADER_FIELDS) + ")");
            }
        }
        SubstitutionTemplate format = mqttHeader(headers, "payloadFormatIndicator", path);
        if (format != null && !format.hasSubstitutions()
                && !PAYLOAD_FORMATS.contains(format.render(null))) {
            throw new InvalidActionException(path + ".payloadFormatIndicator must be UNSPECIFIED_BYTES or UTF8_DATA");
        }
        SubstitutionTemplate correlation = mqttHeader(headers, "correlationData", path);
        if (correlation != null && !correlation.hasSubstitutions() && !isBase64(correlation.render(null))) {
            throw new InvalidActionException(path + ".correlationData must be base64-encoded");
        }
        SubstitutionTemplate expiry = mqttHeader(headers, "messageExpiry", path);
        if (expiry != null && !expiry.hasSubstitutions() && !isExpiry(expiry.render(null))) {
            throw new InvalidActionException(path + ".messageExpiry must be a number of seconds (0 to 4294967295)");
        }
        List<RuleAction.HeaderTemplate> userProperties = new ArrayList<>();
        JsonNode properties = headers.get("userProperties");
        if (properties != null && !properties.isNull()) {
            if (!properties.isArray()) {
                throw new InvalidActionException(path + ".userProperties must be an array of {\"key\", \"value\"}");
            }
            for (int i = 0; i < properties.size(); i++) {
                JsonNode property = properties.get(i);
                String where = path + ".userProperties[" + i + "]";
                if (!property.isObject()) {
                    throw new InvalidActionException(where + " must be an object {\"key\", \"value\"}");
                }
                userProperties.add(new RuleAction.HeaderTemplate(template(property, "key", where, true),
                        template(property, "value", where, true)));
            }
        }
        return new RuleAction.MqttHeaders(format, mqttHeader(headers, "contentType", path),
                mqttHeader(headers, "responseTopic", path), correlation, expiry, List.copyOf(userProperties));
    }

    private static SubstitutionTemplate mqttHeader(JsonNode headers, String field, String path) {
        SubstitutionTemplate template = template(headers, field, path, false);
        if (template != null && template.toString().length() > 1024) {
            throw new InvalidActionException(path + "." + field + " has at most 1024 characters");
        }
        return template;
    }

    /** Whether a rendered or fixed correlationData is base64, as AWS requires. */
    static boolean isBase64(String text) {
        try {
            java.util.Base64.getDecoder().decode(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether a rendered or fixed messageExpiry is an MQTT 5 expiry interval (a four-byte unsigned integer). */
    static boolean isExpiry(String text) {
        try {
            long seconds = Long.parseLong(text.trim());
            return seconds >= 0 && seconds <= 0xFFFF_FFFFL;
        } catch (NumberFormatException e) {
            return false;
        }
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
        SubstitutionTemplate operation = template(body, "operation", path, false);
        if (operation != null && !operation.hasSubstitutions()
                && !DYNAMO_OPERATIONS.contains(operation.render(null).toUpperCase(Locale.ROOT))) {
            throw new InvalidActionException(path + ".operation must be INSERT, UPDATE, DELETE or a template");
        }
        return new RuleAction.DynamoDb(tableName, hashKeyField, hashKeyValue, hashKeyType, rangeKeyField,
                rangeKeyValue, rangeKeyType, payloadField, operation);
    }

    private static RuleAction dynamoDbV2(JsonNode body, String path) {
        JsonNode putItem = body.get("putItem");
        if (putItem == null || !putItem.isObject()) {
            throw new InvalidActionException(path + ".putItem is required and must be an object");
        }
        String tableName = text(putItem, "tableName", path + ".putItem", true);
        if (!TABLE_NAME.matcher(tableName).matches()) {
            throw new InvalidActionException(path + ".putItem.tableName must be 1-255 characters of A-Z a-z 0-9 _ . -");
        }
        return new RuleAction.DynamoDbV2(tableName);
    }

    private static RuleAction kafka(JsonNode body, String path) {
        // destinationArn names a VPC destination in AWS; here every record goes to the platform's own Kafka
        text(body, "destinationArn", path, false);
        JsonNode clientProperties = body.get("clientProperties");
        if (clientProperties != null && !clientProperties.isNull() && !clientProperties.isObject()) {
            throw new InvalidActionException(path + ".clientProperties must be an object");
        }
        SubstitutionTemplate topic = template(body, "topic", path, true);
        if (!topic.hasSubstitutions()) {
            KafkaTopicNames.violation(topic.render(null)).ifPresent(violation -> {
                throw new InvalidActionException(path + ".topic: " + violation);
            });
        }
        SubstitutionTemplate partition = template(body, "partition", path, false);
        if (partition != null && !partition.hasSubstitutions()) {
            try {
                if (Integer.parseInt(partition.render(null)) < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new InvalidActionException(path + ".partition must be a partition number or a template");
            }
        }
        return new RuleAction.Kafka(topic, template(body, "key", path, false), partition,
                headers(body, path, Set.of()));
    }

    private static RuleAction kinesis(JsonNode body, String path) {
        String streamName = text(body, "streamName", path, true);
        if (!STREAM_NAME.matcher(streamName).matches()) {
            throw new InvalidActionException(path + ".streamName must be 1-128 characters of A-Z a-z 0-9 _ . -");
        }
        return new RuleAction.Kinesis(streamName, template(body, "partitionKey", path, false));
    }

    private static RuleAction firehose(JsonNode body, String path) {
        String name = text(body, "deliveryStreamName", path, true);
        if (!DELIVERY_STREAM_NAME.matcher(name).matches()) {
            throw new InvalidActionException(path + ".deliveryStreamName must be 1-64 characters of A-Z a-z 0-9 _ . -");
        }
        JsonNode separatorNode = body.get("separator");
        String separator = null;
        if (separatorNode != null && !separatorNode.isNull()) {
            if (!separatorNode.isString() || !SEPARATORS.contains(unescaped(separatorNode.stringValue()))) {
                throw new InvalidActionException(path + ".separator must be one of '\\n', '\\t', '\\r\\n', ','");
            }
            separator = unescaped(separatorNode.stringValue());
        }
        JsonNode batchMode = body.get("batchMode");
        if (batchMode != null && !batchMode.isNull() && !batchMode.isBoolean()) {
            throw new InvalidActionException(path + ".batchMode must be true or false");
        }
        return new RuleAction.Firehose(name, separator, batchMode != null && batchMode.asBoolean());
    }

    /** The separator itself: JSON gives the real characters; the two-character escapes are read as them too. */
    private static String unescaped(String separator) {
        return separator.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
    }

    private static RuleAction http(JsonNode body, String path) {
        SubstitutionTemplate url = template(body, "url", path, true);
        String confirmationUrl = text(body, "confirmationUrl", path, false);
        if (confirmationUrl == null) {
            if (url.hasSubstitutions()) {
                throw new InvalidActionException(path + ".confirmationUrl is required when url has substitution "
                        + "templates");
            }
            confirmationUrl = url.render(null);
        }
        HttpUrls.violation(confirmationUrl).ifPresent(violation -> {
            throw new InvalidActionException(path + ".confirmationUrl: " + violation);
        });
        if (!url.hasSubstitutions()) {
            String fixed = url.render(null);
            HttpUrls.violation(fixed).ifPresent(violation -> {
                throw new InvalidActionException(path + ".url: " + violation);
            });
            if (!fixed.startsWith(confirmationUrl)) {
                throw new InvalidActionException(path + ".url must start with the confirmationUrl");
            }
        }
        JsonNode auth = body.get("auth");
        if (auth != null && !auth.isNull()) {
            throw new InvalidActionException(path + ".auth is not supported (SigV4 to other AWS services)");
        }
        return new RuleAction.Http(url, confirmationUrl, headers(body, path, HttpUrls.RESTRICTED_HEADERS));
    }

    /** AWS's {@code headers: [{"key": ..., "value": ...}]}, both templates. */
    private static List<RuleAction.HeaderTemplate> headers(JsonNode body, String path, Set<String> restricted) {
        JsonNode headers = body.get("headers");
        if (headers == null || headers.isNull()) {
            return List.of();
        }
        if (!headers.isArray()) {
            throw new InvalidActionException(path + ".headers must be an array of {\"key\", \"value\"}");
        }
        if (headers.size() > 100) {
            throw new InvalidActionException(path + ".headers has at most 100 entries");
        }
        List<RuleAction.HeaderTemplate> parsed = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            JsonNode header = headers.get(i);
            String where = path + ".headers[" + i + "]";
            if (!header.isObject()) {
                throw new InvalidActionException(where + " must be an object {\"key\", \"value\"}");
            }
            SubstitutionTemplate key = template(header, "key", where, true);
            if (!key.hasSubstitutions() && restricted.contains(key.render(null).toLowerCase(Locale.ROOT))) {
                throw new InvalidActionException(where + ".key: header '" + key + "' cannot be set");
            }
            JsonNode value = header.get("value");
            SubstitutionTemplate valueTemplate;
            if (value != null && value.isString() && value.stringValue().isEmpty()) {
                valueTemplate = SubstitutionTemplate.parse("");
            } else {
                valueTemplate = template(header, "value", where, true);
            }
            parsed.add(new RuleAction.HeaderTemplate(key, valueTemplate));
        }
        return List.copyOf(parsed);
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
