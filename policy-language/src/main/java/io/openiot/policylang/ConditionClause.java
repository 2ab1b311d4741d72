package io.openiot.policylang;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One parsed condition, decided once per principal: every condition key AWS IoT offers devices (client id, source
 * IP, thing, certificate) is fixed for the life of a connection. IAM semantics: any value may match; a negated
 * operator holds when none does; a missing key fails a positive operator and satisfies a negated one;
 * {@code ...IfExists} holds when the key is missing; {@code ForAnyValue:}/{@code ForAllValues:} range over a
 * multi-valued key. A value whose variable cannot be resolved makes the condition fail.
 */
final class ConditionClause {

    private enum Operator {
        STRING_EQUALS("StringEquals", false),
        STRING_NOT_EQUALS("StringNotEquals", true),
        STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", false),
        STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", true),
        STRING_LIKE("StringLike", false),
        STRING_NOT_LIKE("StringNotLike", true),
        NUMERIC_EQUALS("NumericEquals", false),
        NUMERIC_NOT_EQUALS("NumericNotEquals", true),
        NUMERIC_LESS_THAN("NumericLessThan", false),
        NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", false),
        NUMERIC_GREATER_THAN("NumericGreaterThan", false),
        NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", false),
        BOOL("Bool", false),
        IP_ADDRESS("IpAddress", false),
        NOT_IP_ADDRESS("NotIpAddress", true),
        ARN_EQUALS("ArnEquals", false),
        ARN_NOT_EQUALS("ArnNotEquals", true),
        ARN_LIKE("ArnLike", false),
        ARN_NOT_LIKE("ArnNotLike", true),
        NULL("Null", false);

        final String jsonName;
        final boolean negated;

        Operator(String jsonName, boolean negated) {
            this.jsonName = jsonName;
            this.negated = negated;
        }
    }

    private enum Quantifier { NONE, FOR_ANY_VALUE, FOR_ALL_VALUES }

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9-]+:\\S+");

    private final Condition condition;
    private final Operator operator;
    private final Quantifier quantifier;
    private final boolean ifExists;
    private final List<Template> values;

    private ConditionClause(Condition condition, Operator operator, Quantifier quantifier, boolean ifExists,
            List<Template> values) {
        this.condition = condition;
        this.operator = operator;
        this.quantifier = quantifier;
        this.ifExists = ifExists;
        this.values = values;
    }

    Condition condition() {
        return condition;
    }

    static ConditionClause parse(Condition condition, boolean variables) {
        String name = condition.operator();
        Quantifier quantifier = Quantifier.NONE;
        if (name.regionMatches(true, 0, "ForAnyValue:", 0, 12)) {
            quantifier = Quantifier.FOR_ANY_VALUE;
            name = name.substring(12);
        } else if (name.regionMatches(true, 0, "ForAllValues:", 0, 13)) {
            quantifier = Quantifier.FOR_ALL_VALUES;
            name = name.substring(13);
        }
        boolean ifExists = false;
        if (name.toLowerCase(Locale.ROOT).endsWith("ifexists")) {
            ifExists = true;
            name = name.substring(0, name.length() - "IfExists".length());
        }
        Operator operator = null;
        for (Operator candidate : Operator.values()) {
            if (candidate.jsonName.equalsIgnoreCase(name)) {
                operator = candidate;
            }
        }
        if (operator == null) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("date") || lower.startsWith("binary")) {
                throw new MalformedPolicyException("Condition operator " + condition.operator()
                        + " is not supported: conditions are decided once per connection, on the connection's"
                        + " client id, source IP, thing and certificate");
            }
            throw new MalformedPolicyException("Unknown condition operator " + condition.operator());
        }
        if (operator == Operator.NULL && (ifExists || quantifier != Quantifier.NONE)) {
            throw new MalformedPolicyException("Condition operator " + condition.operator() + " is not valid");
        }
        if (!KEY.matcher(condition.key()).matches()) {
            throw new MalformedPolicyException("Invalid condition key '" + condition.key() + "'");
        }
        List<Template> templates = new ArrayList<>();
        for (String value : condition.values()) {
            Template template = Template.parse(value, variables);
            if (!template.hasVariables()) {
                validate(operator, condition, value);
            }
            templates.add(template);
        }
        return new ConditionClause(condition, operator, quantifier, ifExists, List.copyOf(templates));
    }

    private static void validate(Operator operator, Condition condition, String value) {
        switch (operator) {
            case BOOL, NULL -> {
                if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    throw new MalformedPolicyException("Condition " + condition.operator() + " " + condition.key()
                            + " takes true or false, not '" + value + "'");
                }
            }
            case NUMERIC_EQUALS, NUMERIC_NOT_EQUALS, NUMERIC_LESS_THAN, NUMERIC_LESS_THAN_EQUALS,
                    NUMERIC_GREATER_THAN, NUMERIC_GREATER_THAN_EQUALS -> {
                if (number(value) == null) {
                    throw new MalformedPolicyException("Condition " + condition.operator() + " " + condition.key()
                            + " takes a number, not '" + value + "'");
                }
            }
            case IP_ADDRESS, NOT_IP_ADDRESS -> {
                if (Cidr.parse(value) == null) {
                    throw new MalformedPolicyException("Condition " + condition.operator() + " " + condition.key()
                            + " takes an IP address or CIDR block, not '" + value + "'");
                }
            }
            default -> {
            }
        }
    }

    /** The condition key, if it has no value here, and the variables of the values that cannot be resolved. */
    void addMissing(PrincipalContext context, java.util.Set<String> into) {
        if (Variables.values(context, condition.key()) == null && !ifExists && operator != Operator.NULL) {
            into.add(condition.key());
        }
        for (Template value : values) {
            value.addUnresolved(context, into);
        }
    }

    /** Whether the condition holds for this principal. */
    boolean holds(PrincipalContext context) {
        List<String> keyValues = Variables.values(context, condition.key());
        if (operator == Operator.NULL) {
            boolean expectMissing = values.get(0).source().equalsIgnoreCase("true");
            return (keyValues == null) == expectMissing;
        }
        List<Glob> expected = new ArrayList<>(values.size());
        for (Template template : values) {
            Glob glob = template.substitute(name -> Variables.value(context, name));
            if (glob == null) {
                return false;
            }
            expected.add(glob);
        }
        if (keyValues == null || keyValues.isEmpty()) {
            if (ifExists || quantifier == Quantifier.FOR_ALL_VALUES) {
                return true;
            }
            return quantifier == Quantifier.NONE && operator.negated;
        }
        if (quantifier == Quantifier.FOR_ALL_VALUES) {
            for (String keyValue : keyValues) {
                if (!holdsFor(keyValue, expected)) {
                    return false;
                }
            }
            return true;
        }
        // single-valued keys, ForAnyValue, and a multi-valued key without a quantifier: any value may satisfy it
        for (String keyValue : keyValues) {
            if (holdsFor(keyValue, expected)) {
                return true;
            }
        }
        return false;
    }

    private boolean holdsFor(String keyValue, List<Glob> expected) {
        boolean any = false;
        for (Glob value : expected) {
            if (matches(keyValue, value)) {
                any = true;
                break;
            }
        }
        return any != operator.negated;
    }

    private boolean matches(String keyValue, Glob value) {
        switch (operator) {
            case STRING_EQUALS, STRING_NOT_EQUALS:
                return keyValue.equals(value.text());
            case STRING_EQUALS_IGNORE_CASE, STRING_NOT_EQUALS_IGNORE_CASE:
                return keyValue.equalsIgnoreCase(value.text());
            case STRING_LIKE, STRING_NOT_LIKE, ARN_EQUALS, ARN_NOT_EQUALS, ARN_LIKE, ARN_NOT_LIKE:
                return value.matches(keyValue);
            case BOOL:
                return keyValue.equalsIgnoreCase(value.text());
            case IP_ADDRESS, NOT_IP_ADDRESS: {
                Cidr cidr = Cidr.parse(value.text());
                return cidr != null && cidr.contains(keyValue);
            }
            default: {
                BigDecimal left = number(keyValue);
                BigDecimal right = number(value.text());
                if (left == null || right == null) {
                    return false;
                }
                int cmp = left.compareTo(right);
                return switch (operator) {
                    case NUMERIC_EQUALS, NUMERIC_NOT_EQUALS -> cmp == 0;
                    case NUMERIC_LESS_THAN -> cmp < 0;
                    case NUMERIC_LESS_THAN_EQUALS -> cmp <= 0;
                    case NUMERIC_GREATER_THAN -> cmp > 0;
                    case NUMERIC_GREATER_THAN_EQUALS -> cmp >= 0;
                    default -> false;
                };
            }
        }
    }

    private static BigDecimal number(String text) {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return condition.toString();
    }
}
