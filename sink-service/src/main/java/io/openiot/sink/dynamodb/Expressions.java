package io.openiot.sink.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The DynamoDB expression grammars the sink serves, each a recursive-descent parser over one tokenizer:
 * {@code KeyConditionExpression} ({@code =, <, <=, >, >=, BETWEEN, begins_with}, joined by {@code AND}),
 * {@code UpdateExpression} ({@code SET a = :v, ...} and {@code REMOVE a, ...} on top-level attributes),
 * {@code ProjectionExpression} (top-level attributes) and {@code FilterExpression} (comparators, {@code BETWEEN},
 * {@code AND}/{@code OR}/{@code NOT}, parentheses, {@code begins_with}, {@code contains}, {@code attribute_exists},
 * {@code attribute_not_exists} on top-level attributes), which {@link Condition#test} evaluates against an item in
 * attribute-value form.
 * {@code #name} placeholders resolve through {@code ExpressionAttributeNames}, {@code :value} ones through
 * {@code ExpressionAttributeValues} (still attribute-value JSON).
 */
final class Expressions {

    private Expressions() {
    }

    enum Comparator { EQ, LT, LE, GT, GE, NE }

    /** A filter condition; {@link #test} takes an item as attribute-value JSON ({@code {"a": {"S": "x"}}}). */
    sealed interface Condition permits Or, And, Not, Term {
        boolean test(JsonNode item);
    }

    record Or(Condition left, Condition right) implements Condition {
        public boolean test(JsonNode item) {
            return left.test(item) || right.test(item);
        }
    }

    record And(Condition left, Condition right) implements Condition {
        public boolean test(JsonNode item) {
            return left.test(item) && right.test(item);
        }
    }

    record Not(Condition condition) implements Condition {
        public boolean test(JsonNode item) {
            return !condition.test(item);
        }
    }

    /** A comparison, BETWEEN or function on one top-level attribute; see {@link AttributeComparison}. */
    record Term(KeyCondition term) implements Condition {
        public boolean test(JsonNode item) {
            return AttributeComparison.holds(term, item.get(term.attribute()));
        }
    }

    /** One condition of a key condition expression. */
    sealed interface KeyCondition permits Compare, Between, BeginsWith, Contains, Exists {
        String attribute();
    }

    record Compare(String attribute, Comparator comparator, JsonNode value) implements KeyCondition {
    }

    record Between(String attribute, JsonNode low, JsonNode high) implements KeyCondition {
    }

    record BeginsWith(String attribute, JsonNode prefix) implements KeyCondition {
    }

    /** {@code contains(a, :v)}: a substring of a string, or an element of a set or list (filters only). */
    record Contains(String attribute, JsonNode operand) implements KeyCondition {
    }

    /** {@code attribute_exists(a)} ({@code exists} true) or {@code attribute_not_exists(a)} (filters only). */
    record Exists(String attribute, boolean exists) implements KeyCondition {
    }

    /** What an update expression does: attributes set (name to attribute value) and attributes removed. */
    record Update(Map<String, JsonNode> set, List<String> remove) {
    }

    static List<KeyCondition> keyCondition(String expression, JsonNode names, JsonNode values) {
        Parser parser = new Parser(tokenize(expression), names, values);
        List<KeyCondition> conditions = new ArrayList<>();
        parser.keyConditions(conditions);
        parser.expectEnd();
        return conditions;
    }

    static Condition filter(String expression, JsonNode names, JsonNode values) {
        Parser parser = new Parser(tokenize(expression), names, values);
        Condition condition = parser.or();
        parser.expectEnd();
        return condition;
    }

    /** The top-level attributes a projection names, in order, each once. */
    static List<String> projection(String expression, JsonNode names) {
        Parser parser = new Parser(tokenize(expression), names, null);
        java.util.LinkedHashSet<String> attributes = new java.util.LinkedHashSet<>();
        do {
            attributes.add(parser.path());
        } while (parser.accept(Kind.COMMA));
        parser.expectEnd();
        return List.copyOf(attributes);
    }

    static Update update(String expression, JsonNode names, JsonNode values) {
        Parser parser = new Parser(tokenize(expression), names, values);
        Update update = parser.update();
        parser.expectEnd();
        return update;
    }

    // ---- tokenizer

    enum Kind { NAME, PLACEHOLDER_NAME, PLACEHOLDER_VALUE, EQ, LT, LE, GT, GE, NE, LPAREN, RPAREN, COMMA, PLUS, MINUS,
        DOT, LBRACKET, RBRACKET, END }

    record Token(Kind kind, String text, int position) {
    }

    static List<Token> tokenize(String expression) {
        if (expression == null || expression.isBlank()) {
            throw invalid("the expression is empty");
        }
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#' || c == ':') {
                int end = word(expression, i + 1);
                if (end == i + 1) {
                    throw invalid("a placeholder needs a name at position " + i);
                }
                tokens.add(new Token(c == '#' ? Kind.PLACEHOLDER_NAME : Kind.PLACEHOLDER_VALUE,
                        expression.substring(i, end), i));
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int end = word(expression, i);
                tokens.add(new Token(Kind.NAME, expression.substring(i, end), i));
                i = end;
            } else {
                Kind kind;
                int length = 1;
                String two = i + 1 < expression.length() ? expression.substring(i, i + 2) : "";
                switch (two) {
                    case "<=" -> { kind = Kind.LE; length = 2; }
                    case ">=" -> { kind = Kind.GE; length = 2; }
                    case "<>" -> { kind = Kind.NE; length = 2; }
                    default -> kind = switch (c) {
                        case '=' -> Kind.EQ;
                        case '<' -> Kind.LT;
                        case '>' -> Kind.GT;
                        case '(' -> Kind.LPAREN;
                        case ')' -> Kind.RPAREN;
                        case ',' -> Kind.COMMA;
                        case '+' -> Kind.PLUS;
                        case '-' -> Kind.MINUS;
                        case '.' -> Kind.DOT;
                        case '[' -> Kind.LBRACKET;
                        case ']' -> Kind.RBRACKET;
                        default -> throw invalid("unexpected character '" + c + "' at position " + i);
                    };
                }
                tokens.add(new Token(kind, expression.substring(i, i + length), i));
                i += length;
            }
        }
        tokens.add(new Token(Kind.END, "", expression.length()));
        return tokens;
    }

    private static int word(String text, int from) {
        int end = from;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        return end;
    }

    // ---- parser

    private static final class Parser {

        private final List<Token> tokens;
        private final JsonNode names;
        private final JsonNode values;
        private int next;

        Parser(List<Token> tokens, JsonNode names, JsonNode values) {
            this.tokens = tokens;
            this.names = names;
            this.values = values;
        }

        /** keyConditions := keyTerm (AND keyTerm)* */
        void keyConditions(List<KeyCondition> conditions) {
            keyTerm(conditions);
            while (keyword("AND")) {
                keyTerm(conditions);
            }
        }

        /** keyTerm := '(' keyConditions ')' | begins_with '(' path ',' value ')' | path cmp value
         *  | path BETWEEN value AND value */
        private void keyTerm(List<KeyCondition> conditions) {
            if (accept(Kind.LPAREN)) {
                keyConditions(conditions);
                expect(Kind.RPAREN);
                return;
            }
            Token token = peek();
            if (token.kind() == Kind.NAME && tokens.get(next + 1).kind() == Kind.LPAREN) {
                if (!token.text().equals("begins_with")) {
                    throw invalid("function '" + token.text() + "' is not allowed in a key condition");
                }
                next += 2;
                String attribute = path();
                expect(Kind.COMMA);
                JsonNode prefix = value();
                expect(Kind.RPAREN);
                conditions.add(new BeginsWith(attribute, prefix));
                return;
            }
            String attribute = path();
            if (keyword("BETWEEN")) {
                JsonNode low = value();
                if (!keyword("AND")) {
                    throw invalid("BETWEEN needs AND at position " + peek().position());
                }
                conditions.add(new Between(attribute, low, value()));
                return;
            }
            Token operator = tokens.get(next++);
            Comparator comparator = switch (operator.kind()) {
                case EQ -> Comparator.EQ;
                case LT -> Comparator.LT;
                case LE -> Comparator.LE;
                case GT -> Comparator.GT;
                case GE -> Comparator.GE;
                case NE -> throw invalid("<> is not allowed in a key condition");
                default -> throw invalid("expected a comparison at position " + operator.position());
            };
            conditions.add(new Compare(attribute, comparator, value()));
        }

        /** or := and (OR and)* */
        Condition or() {
            Condition condition = and();
            while (keyword("OR")) {
                condition = new Or(condition, and());
            }
            return condition;
        }

        /** and := not (AND not)* */
        private Condition and() {
            Condition condition = not();
            while (keyword("AND")) {
                condition = new And(condition, not());
            }
            return condition;
        }

        /** not := NOT not | '(' or ')' | function | path cmp value | path BETWEEN value AND value */
        private Condition not() {
            if (keyword("NOT")) {
                return new Not(not());
            }
            if (accept(Kind.LPAREN)) {
                Condition inner = or();
                expect(Kind.RPAREN);
                return inner;
            }
            Token token = peek();
            if (token.kind() == Kind.NAME && tokens.get(next + 1).kind() == Kind.LPAREN) {
                next += 2;
                String attribute = path();
                KeyCondition term = switch (token.text()) {
                    case "attribute_exists" -> new Exists(attribute, true);
                    case "attribute_not_exists" -> new Exists(attribute, false);
                    case "begins_with" -> {
                        expect(Kind.COMMA);
                        yield new BeginsWith(attribute, typed(value(), "begins_with", "S", "B"));
                    }
                    case "contains" -> {
                        expect(Kind.COMMA);
                        yield new Contains(attribute, value());
                    }
                    default -> throw invalid("function '" + token.text() + "' is not supported by this service "
                            + "in a filter (attribute_exists, attribute_not_exists, begins_with, contains are)");
                };
                expect(Kind.RPAREN);
                return new Term(term);
            }
            String attribute = path();
            if (keyword("BETWEEN")) {
                JsonNode low = typed(value(), "BETWEEN", "N", "S", "B");
                if (!keyword("AND")) {
                    throw invalid("BETWEEN needs AND at position " + peek().position());
                }
                JsonNode high = typed(value(), "BETWEEN", "N", "S", "B");
                return new Term(new Between(attribute, low, high));
            }
            Token operator = tokens.get(next++);
            Comparator comparator = switch (operator.kind()) {
                case EQ -> Comparator.EQ;
                case NE -> Comparator.NE;
                case LT -> Comparator.LT;
                case LE -> Comparator.LE;
                case GT -> Comparator.GT;
                case GE -> Comparator.GE;
                default -> throw invalid("expected a comparison at position " + operator.position());
            };
            JsonNode value = value();
            if (comparator != Comparator.EQ && comparator != Comparator.NE) {
                typed(value, operator.text(), "N", "S", "B");
            }
            return new Term(new Compare(attribute, comparator, value));
        }

        /** The value, if it is an attribute value of one of the types; else DynamoDB's operand type error. */
        private static JsonNode typed(JsonNode value, String operator, String... types) {
            String type = AttributeComparison.type(value);
            for (String allowed : types) {
                if (allowed.equals(type)) {
                    return value;
                }
            }
            throw invalid("Incorrect operand type for operator or function; operator or function: " + operator
                    + ", operand type: " + type);
        }

        /** update := (SET setAction (',' setAction)* | REMOVE path (',' path)*)+ */
        Update update() {
            Map<String, JsonNode> set = new java.util.LinkedHashMap<>();
            List<String> remove = new ArrayList<>();
            boolean any = false;
            while (peek().kind() != Kind.END) {
                if (keyword("SET")) {
                    do {
                        String attribute = path();
                        expect(Kind.EQ);
                        Token start = peek();
                        if (start.kind() == Kind.NAME && tokens.get(next + 1).kind() == Kind.LPAREN) {
                            throw invalid("function '" + start.text() + "' in SET is not supported by this service");
                        }
                        JsonNode value = value();
                        if (peek().kind() == Kind.PLUS || peek().kind() == Kind.MINUS) {
                            throw invalid("arithmetic in SET is not supported by this service");
                        }
                        if (set.put(attribute, value) != null || remove.contains(attribute)) {
                            throw invalid("Two document paths overlap: " + attribute);
                        }
                    } while (accept(Kind.COMMA));
                } else if (keyword("REMOVE")) {
                    do {
                        String attribute = path();
                        if (set.containsKey(attribute) || remove.contains(attribute)) {
                            throw invalid("Two document paths overlap: " + attribute);
                        }
                        remove.add(attribute);
                    } while (accept(Kind.COMMA));
                } else if (keyword("ADD") || keyword("DELETE")) {
                    throw invalid("ADD and DELETE clauses are not supported by this service");
                } else {
                    throw invalid("expected SET or REMOVE at position " + peek().position());
                }
                any = true;
            }
            if (!any) {
                throw invalid("the expression is empty");
            }
            return new Update(set, remove);
        }

        /** A top-level attribute: a name or a #placeholder; nested paths are not served. */
        String path() {
            Token token = tokens.get(next++);
            String name = switch (token.kind()) {
                case NAME -> {
                    if (isKeyword(token.text())) {
                        throw invalid("Attribute name is a reserved keyword; reserved keyword: " + token.text());
                    }
                    yield token.text();
                }
                case PLACEHOLDER_NAME -> {
                    JsonNode resolved = names == null ? null : names.get(token.text());
                    if (resolved == null || !resolved.isString()) {
                        throw invalid("An expression attribute name used in the document path is not defined; "
                                + "attribute name: " + token.text());
                    }
                    yield resolved.asString();
                }
                default -> throw invalid("expected an attribute name at position " + token.position());
            };
            if (peek().kind() == Kind.DOT || peek().kind() == Kind.LBRACKET) {
                throw invalid("nested attribute paths are not supported by this service");
            }
            return name;
        }

        private JsonNode value() {
            Token token = tokens.get(next++);
            if (token.kind() != Kind.PLACEHOLDER_VALUE) {
                throw invalid("expected a :value placeholder at position " + token.position());
            }
            JsonNode value = values == null ? null : values.get(token.text());
            if (value == null) {
                throw invalid("An expression attribute value used in expression is not defined; attribute value: "
                        + token.text());
            }
            return value;
        }

        private boolean keyword(String word) {
            Token token = peek();
            if (token.kind() == Kind.NAME && token.text().toUpperCase(Locale.ROOT).equals(word)) {
                next++;
                return true;
            }
            return false;
        }

        boolean accept(Kind kind) {
            if (peek().kind() == kind) {
                next++;
                return true;
            }
            return false;
        }

        private void expect(Kind kind) {
            if (!accept(kind)) {
                throw invalid("expected '" + kind + "' at position " + peek().position());
            }
        }

        private Token peek() {
            return tokens.get(next);
        }

        void expectEnd() {
            if (peek().kind() != Kind.END) {
                throw invalid("unexpected '" + peek().text() + "' at position " + peek().position());
            }
        }

        private static boolean isKeyword(String word) {
            return switch (word.toUpperCase(Locale.ROOT)) {
                case "AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE" -> true;
                default -> false;
            };
        }
    }

    private static DynamoDbException.Validation invalid(String problem) {
        return new DynamoDbException.Validation("Invalid expression: " + problem);
    }
}
