package io.openiot.policylang;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads a policy document into the model, refusing what AWS IoT Core refuses, with the reason. */
final class PolicyParser {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Set<String> DOCUMENT_FIELDS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_FIELDS = Set.of("Sid", "Effect", "Action", "NotAction", "Resource",
            "NotResource", "Condition");
    private static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+");
    // arn:partition:service:region:account:resource, checked with variables blanked out (they may hold ':')
    private static final Pattern ARN = Pattern.compile("arn:[^:]+:[^:]+:[^:]*:[^:]*:.+");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*}");

    private PolicyParser() {
    }

    static PolicyDocument parse(String json) {
        if (json == null || json.isBlank()) {
            throw new MalformedPolicyException("Policy document is empty");
        }
        int characters = countWithoutWhitespace(json);
        if (characters > PolicyDocument.MAX_CHARACTERS_WITHOUT_WHITESPACE) {
            throw new MalformedPolicyException("Policy document has " + characters
                    + " characters without white space; the limit is "
                    + PolicyDocument.MAX_CHARACTERS_WITHOUT_WHITESPACE);
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new MalformedPolicyException("Policy document is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedPolicyException("Policy document must be a JSON object");
        }
        for (String field : root.propertyNames()) {
            if (!DOCUMENT_FIELDS.contains(field)) {
                throw new MalformedPolicyException("Unknown field '" + field + "' in policy document");
            }
        }
        String version = PolicyDocument.VERSION_2008_10_17;
        if (root.has("Version")) {
            JsonNode v = root.get("Version");
            if (!v.isString() || !(PolicyDocument.VERSION_2012_10_17.equals(v.stringValue())
                    || PolicyDocument.VERSION_2008_10_17.equals(v.stringValue()))) {
                throw new MalformedPolicyException("Invalid Version " + v + ": use \""
                        + PolicyDocument.VERSION_2012_10_17 + "\"");
            }
            version = v.stringValue();
        }
        String id = root.has("Id") ? text(root.get("Id"), "Id") : null;
        JsonNode statementNode = root.get("Statement");
        if (statementNode == null) {
            throw new MalformedPolicyException("Policy document has no Statement");
        }
        List<JsonNode> statementNodes = new ArrayList<>();
        if (statementNode.isArray()) {
            statementNode.forEach(statementNodes::add);
        } else {
            statementNodes.add(statementNode);
        }
        if (statementNodes.isEmpty()) {
            throw new MalformedPolicyException("Statement must not be empty");
        }
        boolean variables = PolicyDocument.VERSION_2012_10_17.equals(version);
        List<Statement> statements = new ArrayList<>();
        for (JsonNode node : statementNodes) {
            statements.add(statement(node, variables));
        }
        return new PolicyDocument(version, id, statements);
    }

    private static int countWithoutWhitespace(String json) {
        int count = 0;
        for (int i = 0; i < json.length(); i++) {
            if (!Character.isWhitespace(json.charAt(i))) {
                count++;
            }
        }
        return count;
    }

    private static Statement statement(JsonNode node, boolean variables) {
        if (!node.isObject()) {
            throw new MalformedPolicyException("Each Statement must be a JSON object, not " + node);
        }
        for (String field : node.propertyNames()) {
            if (field.equals("Principal") || field.equals("NotPrincipal")) {
                throw new MalformedPolicyException("An IoT policy must not name a " + field
                        + ": it applies to the principal it is attached to");
            }
            if (!STATEMENT_FIELDS.contains(field)) {
                throw new MalformedPolicyException("Unknown field '" + field + "' in Statement");
            }
        }
        String sid = node.has("Sid") ? text(node.get("Sid"), "Sid") : null;
        JsonNode effectNode = node.get("Effect");
        if (effectNode == null) {
            throw new MalformedPolicyException("Statement" + named(sid) + " has no Effect");
        }
        Effect effect = null;
        for (Effect e : Effect.values()) {
            if (effectNode.isString() && e.jsonName().equals(effectNode.stringValue())) {
                effect = e;
            }
        }
        if (effect == null) {
            throw new MalformedPolicyException("Invalid Effect " + effectNode + " in Statement" + named(sid)
                    + ": use \"Allow\" or \"Deny\"");
        }
        boolean notAction = exactlyOne(node, "Action", "NotAction", sid);
        List<String> actions = strings(node.get(notAction ? "NotAction" : "Action"), notAction ? "NotAction" : "Action");
        List<Glob> actionPatterns = new ArrayList<>();
        for (String action : actions) {
            if (!ACTION.matcher(action).matches()) {
                throw new MalformedPolicyException("Invalid action '" + action + "' in Statement" + named(sid)
                        + ": write service:Action, e.g. iot:Publish");
            }
            actionPatterns.add(Template.parse(action, false).substitute(name -> null));
        }
        boolean notResource = exactlyOne(node, "Resource", "NotResource", sid);
        String resourceField = notResource ? "NotResource" : "Resource";
        List<String> resources = strings(node.get(resourceField), resourceField);
        List<Template> templates = new ArrayList<>();
        for (String resource : resources) {
            if (!resource.equals("*") && !ARN.matcher(VARIABLE.matcher(resource).replaceAll("v")).matches()) {
                throw new MalformedPolicyException("Invalid resource '" + resource + "' in Statement" + named(sid)
                        + ": write an ARN arn:aws:iot:{region}:{account}:{type}/{name} or *");
            }
            templates.add(Template.parse(resource, variables));
        }
        List<ConditionClause> conditions = node.has("Condition")
                ? conditions(node.get("Condition"), variables, sid)
                : List.of();
        return new Statement(sid, effect, actions, notAction, resources, notResource, conditions, actionPatterns,
                templates);
    }

    private static List<ConditionClause> conditions(JsonNode node, boolean variables, String sid) {
        if (!node.isObject() || node.isEmpty()) {
            throw new MalformedPolicyException("Condition in Statement" + named(sid)
                    + " must be a non-empty object {operator: {key: value}}");
        }
        List<ConditionClause> clauses = new ArrayList<>();
        for (Map.Entry<String, JsonNode> operator : node.properties()) {
            JsonNode keys = operator.getValue();
            if (!keys.isObject() || keys.isEmpty()) {
                throw new MalformedPolicyException("Condition operator " + operator.getKey() + " in Statement"
                        + named(sid) + " must map condition keys to values");
            }
            for (Map.Entry<String, JsonNode> key : keys.properties()) {
                List<String> values = conditionValues(key.getValue(), operator.getKey() + " " + key.getKey());
                clauses.add(ConditionClause.parse(new Condition(operator.getKey(), key.getKey(), values), variables));
            }
        }
        return clauses;
    }

    private static List<String> conditionValues(JsonNode node, String where) {
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        if (items.isEmpty()) {
            throw new MalformedPolicyException("Condition " + where + " has no value");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : items) {
            if (!(item.isString() || item.isBoolean() || item.isNumber())) {
                throw new MalformedPolicyException("Condition " + where
                        + " values must be strings, numbers or booleans, not " + item);
            }
            values.add(item.asString());
        }
        return values;
    }

    private static boolean exactlyOne(JsonNode node, String field, String notField, String sid) {
        boolean has = node.has(field);
        boolean hasNot = node.has(notField);
        if (has == hasNot) {
            throw new MalformedPolicyException("Statement" + named(sid) + " must have exactly one of " + field
                    + " and " + notField);
        }
        return hasNot;
    }

    private static List<String> strings(JsonNode node, String field) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode item : node) {
                values.add(text(item, field));
            }
        } else {
            values.add(text(node, field));
        }
        if (values.isEmpty()) {
            throw new MalformedPolicyException(field + " must not be empty");
        }
        return values;
    }

    private static String text(JsonNode node, String field) {
        if (!node.isString()) {
            throw new MalformedPolicyException(field + " must be a string, not " + node);
        }
        if (node.stringValue().isEmpty()) {
            throw new MalformedPolicyException(field + " must not be an empty string");
        }
        return node.stringValue();
    }

    private static String named(String sid) {
        return sid == null ? "" : " '" + sid + "'";
    }
}
