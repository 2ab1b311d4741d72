package io.openiot.registry.search;

import io.openiot.registry.domain.KeysetPage;
import io.openiot.registry.search.domain.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a parsed query into a SQL condition on {@code thing t}, with every value a bind parameter. Values match
 * case-insensitively as in AWS's fleet indexing ("search is case insensitive"; field and attribute names are
 * case-sensitive), so every text comparison is on {@code lower(...)}, and each is one an expression index answers
 * (V5): the name and type by B-tree ({@code text_pattern_ops} for prefixes), attribute values, prefixes and ranges by
 * the indexes of the trigger-maintained {@code thing_attribute} table, group names through the membership index.
 */
final class SearchSql {

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    /** SELECT of SearchIndex up to its condition. */
    private static final String SELECT = """
            SELECT t.name, t.id, t.thing_type, t.attributes::text AS attributes,
                   ARRAY(SELECT g.group_name FROM thing_group_member g WHERE g.thing_name = t.name
                         ORDER BY g.group_name) AS groups
            FROM thing t WHERE\s""";

    /** A statement and its bind parameters in order. */
    record Statement(String sql, List<Object> params) {
    }

    private final List<Object> params;

    private SearchSql(List<Object> params) {
        this.params = params;
    }

    /** The SearchIndex statement of one page: the query's condition, in thing-name order after the page's key. */
    static Statement statement(Query query, KeysetPage page) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder(SELECT).append(new SearchSql(params).sql(query));
        page.appendTo(sql, params, "t.name");
        return new Statement(sql.toString(), params);
    }

    private String sql(Query query) {
        if (query instanceof Query.And and) {
            return "(" + String.join(" AND ", and.operands().stream().map(this::sql).toList()) + ")";
        }
        if (query instanceof Query.Or or) {
            return "(" + String.join(" OR ", or.operands().stream().map(this::sql).toList()) + ")";
        }
        if (query instanceof Query.Not not) {
            // a missing attribute or type makes a condition NULL; NOT of it must be true, as in AWS
            return "(NOT COALESCE(" + sql(not.operand()) + ", FALSE))";
        }
        if (query instanceof Query.Match match) {
            return match(match);
        }
        return range((Query.Range) query);
    }

    private String match(Query.Match match) {
        Query.Field field = match.field();
        String condition = match.prefix() ? " LIKE lower(?)" : " = lower(?)";
        String value = match.prefix() ? likePrefix(match.value()) : match.value();
        if (field.kind() == Query.Field.Kind.ATTRIBUTE) {
            params.add(field.attribute());
            params.add(value);
            return "EXISTS (SELECT 1 FROM thing_attribute a WHERE a.thing_name = t.name AND a.name = ?"
                    + " AND lower(a.value)" + condition + ")";
        }
        if (field.kind() == Query.Field.Kind.THING_GROUP_NAMES) {
            params.add(value);
            return "EXISTS (SELECT 1 FROM thing_group_member m WHERE m.thing_name = t.name AND lower(m.group_name)"
                    + condition + ")";
        }
        params.add(value);
        return column(field) + condition;
    }

    private String range(Query.Range range) {
        boolean numeric = (range.lower() == null || NUMBER.matcher(range.lower()).matches())
                && (range.upper() == null || NUMBER.matcher(range.upper()).matches());
        Query.Field.Kind kind = range.field().kind();
        String column;
        String prefix;
        if (kind == Query.Field.Kind.ATTRIBUTE) {
            // only values that are numbers take part in a numeric range, as in AWS's index
            column = numeric ? "a.number" : "lower(a.value)";
            prefix = "EXISTS (SELECT 1 FROM thing_attribute a WHERE a.thing_name = t.name AND a.name = ? AND ";
            params.add(range.field().attribute());
        } else if (kind == Query.Field.Kind.THING_GROUP_NAMES) {
            column = "lower(m.group_name)";
            numeric = false;
            prefix = "EXISTS (SELECT 1 FROM thing_group_member m WHERE m.thing_name = t.name AND ";
        } else {
            column = column(range.field());
            numeric = false;
            prefix = "(";
        }
        String bind = numeric ? "?::numeric" : "lower(?)";
        StringBuilder sql = new StringBuilder(prefix).append(column).append(" IS NOT NULL");
        if (range.lower() != null) {
            sql.append(" AND ").append(column).append(range.lowerInclusive() ? " >= " : " > ").append(bind);
            params.add(range.lower());
        }
        if (range.upper() != null) {
            sql.append(" AND ").append(column).append(range.upperInclusive() ? " <= " : " < ").append(bind);
            params.add(range.upper());
        }
        return sql.append(")").toString();
    }

    /** The column of a thing's own field, lower-cased as its expression index is (a UUID's text is already). */
    private static String column(Query.Field field) {
        return switch (field.kind()) {
            case THING_NAME -> "lower(t.name)";
            case THING_ID -> "t.id::text";
            case THING_TYPE_NAME -> "lower(t.thing_type)";
            case THING_GROUP_NAMES, ATTRIBUTE -> throw new IllegalStateException("handled by the caller");
        };
    }

    static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
