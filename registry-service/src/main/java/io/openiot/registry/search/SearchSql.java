package io.openiot.registry.search;

import io.openiot.registry.search.domain.Query;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a parsed query into a SQL condition on {@code thing t}, with every value a bind parameter. Each condition is
 * one an index answers: the name and type by B-tree ({@code text_pattern_ops} for prefixes), attribute equality by
 * the GIN index on {@code attributes} ({@code @>}), attribute prefixes and ranges by the indexes of the
 * trigger-maintained {@code thing_attribute} table, group names through the membership index.
 */
final class SearchSql {

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    private final JsonMapper json;
    private final List<Object> params;

    private SearchSql(JsonMapper json, List<Object> params) {
        this.json = json;
        this.params = params;
    }

    /** The condition; its parameters are appended to {@code params} in order. */
    static String where(Query query, JsonMapper json, List<Object> params) {
        return new SearchSql(json, params).sql(query);
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
        if (field.kind() == Query.Field.Kind.ATTRIBUTE && !match.prefix()) {
            params.add(json.writeValueAsString(Map.of(field.attribute(), match.value())));
            return "t.attributes @> ?::jsonb";
        }
        if (field.kind() == Query.Field.Kind.ATTRIBUTE) {
            params.add(field.attribute());
            params.add(likePrefix(match.value()));
            return "EXISTS (SELECT 1 FROM thing_attribute a WHERE a.thing_name = t.name AND a.name = ?"
                    + " AND a.value LIKE ?)";
        }
        if (field.kind() == Query.Field.Kind.THING_GROUP_NAMES) {
            params.add(match.prefix() ? likePrefix(match.value()) : match.value());
            return "EXISTS (SELECT 1 FROM thing_group_member m WHERE m.thing_name = t.name AND m.group_name "
                    + (match.prefix() ? "LIKE ?" : "= ?") + ")";
        }
        String column = column(field);
        params.add(match.prefix() ? likePrefix(match.value()) : match.value());
        return column + (match.prefix() ? " LIKE ?" : " = ?");
    }

    private String range(Query.Range range) {
        boolean numeric = (range.lower() == null || NUMBER.matcher(range.lower()).matches())
                && (range.upper() == null || NUMBER.matcher(range.upper()).matches());
        Query.Field.Kind kind = range.field().kind();
        String column;
        String prefix;
        if (kind == Query.Field.Kind.ATTRIBUTE) {
            // only values that are numbers take part in a numeric range, as in AWS's index
            column = numeric ? "a.number" : "a.value";
            prefix = "EXISTS (SELECT 1 FROM thing_attribute a WHERE a.thing_name = t.name AND a.name = ? AND ";
            params.add(range.field().attribute());
        } else if (kind == Query.Field.Kind.THING_GROUP_NAMES) {
            column = "m.group_name";
            numeric = false;
            prefix = "EXISTS (SELECT 1 FROM thing_group_member m WHERE m.thing_name = t.name AND ";
        } else {
            column = column(range.field());
            numeric = false;
            prefix = "(";
        }
        String bind = numeric ? "?::numeric" : "?";
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

    /**
     * The column of a field. An attribute name goes into the SQL as a literal: the parser admits only AWS's
     * attribute-name characters, which contain no quote.
     */
    private static String column(Query.Field field) {
        return switch (field.kind()) {
            case THING_NAME -> "t.name";
            case THING_ID -> "t.id::text";
            case THING_TYPE_NAME -> "t.thing_type";
            case THING_GROUP_NAMES -> throw new IllegalStateException("handled by the caller");
            case ATTRIBUTE -> "(t.attributes ->> '" + field.attribute() + "')";
        };
    }

    static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
