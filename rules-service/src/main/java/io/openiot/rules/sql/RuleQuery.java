package io.openiot.rules.sql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed rule statement: {@code SELECT <items> FROM '<topic filter>' [WHERE <condition>]}. Immutable and safe to
 * share between threads; evaluating it never throws, whatever the payload.
 */
public final class RuleQuery {

    /** One item of the SELECT list. */
    public sealed interface SelectItem {
        /** {@code *}: every field of the payload, or the raw payload when it is the only item. */
        record AllFields() implements SelectItem {
        }

        /** {@code expr [AS key]}. */
        record Named(Expr expression, String key) implements SelectItem {
        }
    }

    private final String sql;
    private final TopicFilter topicFilter;
    private final List<SelectItem> select;
    private final Expr where;

    RuleQuery(String sql, TopicFilter topicFilter, List<SelectItem> select, Expr where) {
        this.sql = sql;
        this.topicFilter = topicFilter;
        this.select = List.copyOf(select);
        this.where = where;
    }

    public String sql() {
        return sql;
    }

    public TopicFilter topicFilter() {
        return topicFilter;
    }

    public List<SelectItem> select() {
        return select;
    }

    /** The WHERE clause's value; a statement without WHERE is true. */
    public Value condition(MessageContext context) {
        return where == null ? Value.TRUE : Evaluator.evaluate(where, context);
    }

    /** Whether the rule fires: the topic matches and WHERE is exactly {@code true}; false and Undefined do not. */
    public boolean matches(MessageContext context) {
        return topicFilter.matches(context.topic()) && conditionHolds(context);
    }

    /** WHERE alone, for callers that found the rule by its topic filter already (the engine's topic index). */
    public boolean conditionHolds(MessageContext context) {
        return condition(context) instanceof Value.Bool b && b.value();
    }

    /** The SELECT result. Keys whose value is Undefined are left out. */
    public SelectResult project(MessageContext context) {
        Payload payload = context.payload();
        if (select.size() == 1 && select.get(0) instanceof SelectItem.AllFields) {
            return SelectResult.passThrough(payload.bytes(), payload.isJson() ? payload.root() : null);
        }
        Map<String, Value> fields = new LinkedHashMap<>();
        for (SelectItem item : select) {
            if (item instanceof SelectItem.AllFields) {
                if (payload.root() instanceof Value.Obj object) {
                    fields.putAll(object.fields());
                }
            } else {
                SelectItem.Named named = (SelectItem.Named) item;
                Value value = Evaluator.evaluate(named.expression(), context);
                if (!value.isUndefined()) {
                    fields.put(named.key(), value);
                }
            }
        }
        Value.Obj result = new Value.Obj(fields);
        return SelectResult.of(result);
    }
}
