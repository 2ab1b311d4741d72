package io.openiot.rules.sql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed rule statement: {@code SELECT <items> FROM '<topic filter>' [WHERE <condition>]}. Safe to share between
 * threads; evaluating it never throws, whatever the payload, except {@link LookupFailedException} when an external
 * function ({@code get_thing_shadow}, {@code get_dynamodb}) cannot reach its service.
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
    private final boolean selectValue;
    private final SqlVersion version;
    /** This rule's answers of get_thing_shadow/get_dynamodb; null when the statement calls neither. */
    private final LookupCache lookups;

    RuleQuery(String sql, TopicFilter topicFilter, List<SelectItem> select, Expr where) {
        this(sql, topicFilter, select, where, false, SqlVersion.V2016_03_23, false);
    }

    RuleQuery(String sql, TopicFilter topicFilter, List<SelectItem> select, Expr where, boolean selectValue,
              SqlVersion version, boolean callsExternalFunctions) {
        this.sql = sql;
        this.topicFilter = topicFilter;
        this.select = List.copyOf(select);
        this.where = where;
        this.selectValue = selectValue;
        this.version = version;
        this.lookups = callsExternalFunctions ? new LookupCache() : null;
    }

    /** Whether the statement calls get_thing_shadow or get_dynamodb, which read other services. */
    public boolean callsExternalFunctions() {
        return lookups != null;
    }

    /** The context as this statement evaluates it: its SQL version, and its own cache of external answers. */
    private MessageContext scoped(MessageContext context) {
        MessageContext scoped = context.withSqlVersion(version);
        return lookups == null ? scoped
                : scoped.withExternalData(lookups.over(context.externalData(), context.now()));
    }

    /** Whether the statement has a FROM clause; without one it runs only through Basic Ingest. */
    public boolean hasFrom() {
        return topicFilter != null;
    }

    /** {@code SELECT VALUE expr}: the result is the bare value, not an object. */
    public boolean selectValue() {
        return selectValue;
    }

    public SqlVersion sqlVersion() {
        return version;
    }

    public String sql() {
        return sql;
    }

    /** The topic filter of FROM; null when the statement has none (Basic Ingest only, see {@link #hasFrom()}). */
    public TopicFilter topicFilter() {
        return topicFilter;
    }

    public List<SelectItem> select() {
        return select;
    }

    /** The WHERE clause's value; a statement without WHERE is true. */
    public Value condition(MessageContext context) {
        return where == null ? Value.TRUE : Evaluator.evaluate(where, scoped(context));
    }

    /** Whether the rule fires: the topic matches and WHERE is exactly {@code true}; false and Undefined do not. */
    public boolean matches(MessageContext context) {
        return topicFilter != null && topicFilter.matches(context.topic()) && conditionHolds(context);
    }

    /** WHERE alone, for callers that found the rule by its topic filter already (the engine's topic index). */
    public boolean conditionHolds(MessageContext context) {
        return condition(context) instanceof Value.Bool b && b.value();
    }

    /**
     * The SELECT result. Keys whose value is Undefined are left out; a dotted alias ({@code AS a.b}) nests. A lone
     * {@code *} (or {@code SELECT VALUE *}) passes the payload through as it arrived, JSON or not.
     */
    public SelectResult project(MessageContext context) {
        MessageContext scoped = scoped(context);
        Payload payload = context.payload();
        if (select.size() == 1 && select.get(0) instanceof SelectItem.AllFields) {
            return SelectResult.passThrough(payload.bytes(), payload.isJson() ? payload.root() : null);
        }
        Value root = payload.root();
        if (selectValue) {
            return SelectResult.of(Evaluator.project(select, true, scoped, root));
        }
        return SelectResult.of(Evaluator.project(select, false, scoped, root));
    }

    /** {@code a.b} puts b inside the object a (made, or merged with what is there). */
    static void put(Map<String, Value> fields, String key, Value value) {
        int dot = key.indexOf('.');
        if (dot <= 0 || dot == key.length() - 1) {
            fields.put(key, value);
            return;
        }
        String head = key.substring(0, dot);
        Map<String, Value> inner = fields.get(head) instanceof Value.Obj existing
                ? new LinkedHashMap<>(existing.fields()) : new LinkedHashMap<>();
        put(inner, key.substring(dot + 1), value);
        fields.put(head, new Value.Obj(inner));
    }
}
