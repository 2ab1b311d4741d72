package io.openiot.registry.search.domain;

import io.openiot.registry.domain.RegistryRules;
import io.openiot.registry.domain.RegistryValidationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser of AWS IoT's fleet-indexing query syntax (the Lucene-like subset AWS documents):
 *
 * <pre>
 * query   := or
 * or      := and ("OR" and)*
 * and     := unary (["AND"] unary)*          -- juxtaposition means AND, as in AWS
 * unary   := ("NOT" | "-") unary | primary
 * primary := "(" or ")" | field ":" value | field ":" range | field (">"|">="|"<"|"<=") value | value
 * range   := ("[" | "{") bound "TO" bound ("]" | "}")   -- bound "*" is open
 * value   := word | word"*" | quoted
 * </pre>
 *
 * A bare value searches the thing name. Leading wildcards are refused, as in AWS.
 */
public final class QueryParser {

    private final List<QueryTokenizer.Token> tokens;
    private int position;

    private QueryParser(List<QueryTokenizer.Token> tokens) {
        this.tokens = tokens;
    }

    public static Query parse(String queryString) {
        if (queryString == null || queryString.isBlank()) {
            throw new RegistryValidationException("queryString must not be empty");
        }
        QueryParser parser = new QueryParser(QueryTokenizer.tokenize(queryString));
        Query query = parser.or();
        if (!parser.atEnd()) {
            throw parser.error("unexpected " + parser.peek().text());
        }
        return query;
    }

    private Query or() {
        List<Query> operands = new ArrayList<>(List.of(and()));
        while (keyword("OR")) {
            operands.add(and());
        }
        return operands.size() == 1 ? operands.get(0) : new Query.Or(operands);
    }

    private Query and() {
        List<Query> operands = new ArrayList<>(List.of(unary()));
        while (!atEnd() && peek().type() != QueryTokenizer.Type.RPAREN && !isKeyword("OR")) {
            keyword("AND");
            operands.add(unary());
        }
        return operands.size() == 1 ? operands.get(0) : new Query.And(operands);
    }

    private Query unary() {
        if (keyword("NOT") || accept(QueryTokenizer.Type.MINUS)) {
            return new Query.Not(unary());
        }
        return primary();
    }

    private Query primary() {
        if (accept(QueryTokenizer.Type.LPAREN)) {
            Query inner = or();
            expect(QueryTokenizer.Type.RPAREN, ")");
            return inner;
        }
        QueryTokenizer.Token first = next("a term");
        if (first.type() == QueryTokenizer.Type.WORD && !atEnd()) {
            QueryTokenizer.Type after = peek().type();
            if (after == QueryTokenizer.Type.COLON) {
                position++;
                return condition(field(first.text()));
            }
            if (after == QueryTokenizer.Type.COMPARE) {
                return comparison(field(first.text()), next("a comparison").text());
            }
        }
        return match(new Query.Field(Query.Field.Kind.THING_NAME, null), first);
    }

    private Query condition(Query.Field field) {
        if (!atEnd() && peek().type() == QueryTokenizer.Type.COMPARE) {
            return comparison(field, next("a comparison").text());
        }
        if (!atEnd() && (peek().type() == QueryTokenizer.Type.LBRACKET
                || peek().type() == QueryTokenizer.Type.LBRACE)) {
            boolean lowerInclusive = next("a range").type() == QueryTokenizer.Type.LBRACKET;
            String lower = bound(value("a lower bound"));
            if (!keyword("TO")) {
                throw error("TO expected in range");
            }
            String upper = bound(value("an upper bound"));
            QueryTokenizer.Token close = next("] or }");
            if (close.type() != QueryTokenizer.Type.RBRACKET && close.type() != QueryTokenizer.Type.RBRACE) {
                throw error("] or } expected to close the range");
            }
            return new Query.Range(field, lower, lowerInclusive, upper,
                    close.type() == QueryTokenizer.Type.RBRACKET);
        }
        return match(field, next("a value"));
    }

    private Query comparison(Query.Field field, String operator) {
        String value = value("a value after " + operator).text();
        return switch (operator) {
            case ">" -> new Query.Range(field, value, false, null, false);
            case ">=" -> new Query.Range(field, value, true, null, false);
            case "<" -> new Query.Range(field, null, false, value, false);
            default -> new Query.Range(field, null, false, value, true);
        };
    }

    private Query match(Query.Field field, QueryTokenizer.Token token) {
        if (token.type() == QueryTokenizer.Type.QUOTED) {
            return new Query.Match(field, token.text(), false);
        }
        if (token.type() != QueryTokenizer.Type.WORD) {
            throw error("a value expected, found " + token.text());
        }
        String text = token.text();
        if (text.startsWith("*") || text.startsWith("?")) {
            throw error("leading wildcards are not supported");
        }
        if (text.indexOf('?') >= 0 || text.indexOf('*') >= 0 && text.indexOf('*') != text.length() - 1) {
            throw error("only a trailing * is supported as a wildcard: " + text);
        }
        return text.endsWith("*") ? new Query.Match(field, text.substring(0, text.length() - 1), true)
                : new Query.Match(field, text, false);
    }

    private static String bound(QueryTokenizer.Token token) {
        return token.type() == QueryTokenizer.Type.WORD && token.text().equals("*") ? null : token.text();
    }

    private QueryTokenizer.Token value(String what) {
        QueryTokenizer.Token token = next(what);
        if (token.type() != QueryTokenizer.Type.WORD && token.type() != QueryTokenizer.Type.QUOTED) {
            throw error(what + " expected, found " + token.text());
        }
        return token;
    }

    private Query.Field field(String name) {
        return switch (name) {
            case "thingName" -> new Query.Field(Query.Field.Kind.THING_NAME, null);
            case "thingId" -> new Query.Field(Query.Field.Kind.THING_ID, null);
            case "thingTypeName" -> new Query.Field(Query.Field.Kind.THING_TYPE_NAME, null);
            case "thingGroupNames" -> new Query.Field(Query.Field.Kind.THING_GROUP_NAMES, null);
            default -> {
                if (name.startsWith("attributes.") && name.length() > "attributes.".length()) {
                    RegistryRules.attributes(java.util.Map.of(name.substring("attributes.".length()), ""));
                    yield new Query.Field(Query.Field.Kind.ATTRIBUTE, name.substring("attributes.".length()));
                }
                if (name.startsWith("shadow.") || name.startsWith("connectivity.")
                        || name.startsWith("deviceDefender.")) {
                    throw error("field " + name + " needs shadow or connectivity indexing, which is not enabled");
                }
                throw error("unknown field " + name);
            }
        };
    }

    private boolean atEnd() {
        return position >= tokens.size();
    }

    private QueryTokenizer.Token peek() {
        return tokens.get(position);
    }

    private QueryTokenizer.Token next(String what) {
        if (atEnd()) {
            throw error(what + " expected at the end of the query");
        }
        return tokens.get(position++);
    }

    private boolean accept(QueryTokenizer.Type type) {
        if (!atEnd() && peek().type() == type) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(QueryTokenizer.Type type, String text) {
        if (!accept(type)) {
            throw error(text + " expected");
        }
    }

    private boolean isKeyword(String word) {
        return !atEnd() && peek().type() == QueryTokenizer.Type.WORD && peek().text().equals(word);
    }

    private boolean keyword(String word) {
        if (isKeyword(word)) {
            position++;
            return true;
        }
        return false;
    }

    private RegistryValidationException error(String message) {
        return new RegistryValidationException("Invalid query string: " + message);
    }
}
