package io.openiot.policylang;

import java.util.List;

/**
 * One condition of a statement as written: {@code "Condition": {operator: {key: values}}}. Conditions of a statement
 * must all hold; within one condition any of the values may match (for negated operators: none may).
 *
 * @param operator the operator as written, e.g. {@code StringLike}, {@code ForAnyValue:StringEquals},
 *                 {@code BoolIfExists}
 * @param key      the condition key, e.g. {@code iot:Connection.Thing.IsAttached}
 * @param values   the values, as text
 */
public record Condition(String operator, String key, List<String> values) {

    public Condition {
        values = List.copyOf(values);
    }
}
