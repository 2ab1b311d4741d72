package io.openiot.rules.rule;

import io.openiot.rules.action.ActionKeys;
import io.openiot.rules.action.ActionParser;
import io.openiot.rules.action.RuleAction;
import io.openiot.rules.engine.BasicIngest;
import io.openiot.rules.sql.ExternalData;
import io.openiot.rules.sql.JsonValues;
import io.openiot.rules.sql.LookupFailedException;
import io.openiot.rules.sql.MessageContext;
import io.openiot.rules.sql.Payload;
import io.openiot.rules.sql.RuleQuery;
import io.openiot.rules.sql.SelectResult;
import io.openiot.rules.sql.SubstitutionTemplate;
import io.openiot.rules.sql.Value;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /rules/test}: runs a stored or an inline rule on a sample message as the engine would, and returns what
 * it would do: the SELECT output and each action with its templates rendered. Nothing is sent anywhere.
 */
@Service
class RuleDryRun {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final RuleRepository repository;
    private final JsonMapper json;
    private final Clock clock;
    private final ExternalData externalData;

    RuleDryRun(RuleRepository repository, JsonMapper json, Clock clock, ExternalData externalData) {
        this.repository = repository;
        this.json = json;
        this.clock = clock;
        this.externalData = externalData;
    }

    /** Whether a body sent to {@code POST /rules/test} asks for a dry run rather than creating a rule "test". */
    static boolean isDryRun(JsonNode body) {
        return body != null && body.isObject() && (body.has("payload") || body.has("payloadBase64")
                || body.has("ruleName"));
    }

    ObjectNode run(JsonNode request) {
        String name;
        TopicRulePayload rule;
        if (request.hasNonNull("ruleName")) {
            name = text(request, "ruleName");
            JsonNode stored = repository.find(name).map(StoredRule::payload)
                    .orElseThrow(() -> new Exceptions.RuleNotFoundException(name));
            rule = TopicRulePayload.of(stored);
        } else if (request.get("topicRulePayload") != null && request.get("topicRulePayload").isObject()) {
            name = "test";
            rule = TopicRulePayload.of(request.get("topicRulePayload"));
        } else {
            throw new Exceptions.InvalidRequestException("a ruleName or an inline topicRulePayload is required");
        }
        String topic = text(request, "topic");
        if (topic == null || topic.isEmpty()) {
            throw new Exceptions.InvalidRequestException("topic is required");
        }
        byte[] payload = payload(request);
        RuleQuery query = rule.query();
        boolean basicIngest = name.equals(BasicIngest.ruleName(topic));
        String ruleTopic = basicIngest ? BasicIngest.ruleTopic(topic) : topic;
        MessageContext context = new MessageContext(ruleTopic, text(request, "clientId"), null,
                "dry-run-" + UUID.randomUUID(), clock.millis(), new Payload(payload), null, null, externalData);

        ObjectNode response = NODES.objectNode();
        response.put("ruleName", name);
        response.put("awsIotSqlVersion", rule.awsIotSqlVersion());
        response.put("topic", ruleTopic);
        boolean topicMatched = basicIngest || query.hasFrom() && query.topicFilter().matches(topic);
        response.put("topicMatched", topicMatched);
        Value where;
        SelectResult result = null;
        try {
            where = query.condition(context);
            if (topicMatched && where instanceof Value.Bool b && b.value()) {
                result = query.project(context);
            }
        } catch (LookupFailedException e) {
            // the engine would give the message to the error action: the rule's actions fail
            response.put("matched", false);
            response.put("lookupFailed", e.getMessage());
            return response;
        }
        response.set("where", JsonValues.toJson(where));
        response.put("whereType", where.getClass().getSimpleName());
        boolean matched = result != null;
        response.put("matched", matched);
        if (!matched) {
            return response;
        }
        if (result.isJson()) {
            response.set("output", result.jsonNode());
        } else {
            response.put("outputBase64", Base64.getEncoder().encodeToString(result.bytes()));
        }
        List<RuleAction> actions = ActionParser.parseAll(rule.actions());
        List<String> keys = ActionKeys.of(actions);
        var rendered = response.putArray("actions");
        for (int i = 0; i < actions.size(); i++) {
            rendered.add(render(actions.get(i), keys.get(i), context));
        }
        return response;
    }

    /**
     * An action's fields with every template rendered against the message. Read from the action record's components,
     * so that every action type is shown, whatever it holds.
     */
    private static ObjectNode render(RuleAction action, String key, MessageContext context) {
        ObjectNode node = NODES.objectNode();
        node.put("type", action.type());
        node.put("key", key);
        node.put("kafkaTopic", action.kafkaTopic());
        node.set("rendered", renderRecord((Record) action, context));
        return node;
    }

    /** A record's components, templates rendered; nested records (MQTT headers) and lists (headers) too. */
    private static ObjectNode renderRecord(Record record, MessageContext context) {
        ObjectNode fields = NODES.objectNode();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            JsonNode rendered = renderValue(value, context);
            if (rendered != null) {
                fields.set(component.getName(), rendered);
            }
        }
        return fields;
    }

    private static JsonNode renderValue(Object value, MessageContext context) {
        if (value instanceof SubstitutionTemplate template) {
            try {
                return NODES.stringNode(template.render(context));
            } catch (RuntimeException e) {
                return NODES.objectNode().put("error", String.valueOf(e.getMessage()));
            }
        } else if (value instanceof Integer || value instanceof Long) {
            return NODES.numberNode(((Number) value).longValue());
        } else if (value instanceof Boolean flag) {
            return NODES.booleanNode(flag);
        } else if (value instanceof CharSequence || value instanceof Number) {
            return NODES.stringNode(value.toString());
        } else if (value instanceof Record nested) {
            return renderRecord(nested, context);
        } else if (value instanceof List<?> list && !list.isEmpty()) {
            var array = NODES.arrayNode();
            list.forEach(element -> {
                JsonNode rendered = renderValue(element, context);
                if (rendered != null) {
                    array.add(rendered);
                }
            });
            return array;
        }
        return null;
    }

    private byte[] payload(JsonNode request) {
        JsonNode base64 = request.get("payloadBase64");
        if (base64 != null && !base64.isNull()) {
            if (!base64.isString()) {
                throw new Exceptions.InvalidRequestException("payloadBase64 must be a string");
            }
            try {
                return Base64.getDecoder().decode(base64.stringValue());
            } catch (IllegalArgumentException e) {
                throw new Exceptions.InvalidRequestException("payloadBase64 is not valid base64");
            }
        }
        JsonNode payload = request.get("payload");
        if (payload == null || payload.isMissingNode()) {
            return new byte[0];
        }
        try {
            return json.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8);
        } catch (JacksonException e) {
            throw new Exceptions.InvalidRequestException("payload cannot be written as JSON");
        }
    }

    private static String text(JsonNode request, String field) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new Exceptions.InvalidRequestException(field + " must be a string");
        }
        return node.stringValue();
    }
}
