package io.openiot.rules.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * An action field with {@code ${expression}} substitutions, e.g. {@code cars/${topic(2)}/speed}. The expressions use
 * the SQL parser and evaluator and see the original payload (not the SELECT result, so aliases are invisible).
 * Undefined renders as nothing, Strings as they are, other values as JSON. {@code $$} stands for a literal {@code $}.
 */
public final class SubstitutionTemplate {

    private sealed interface Part {
    }

    private record Text(String text) implements Part {
    }

    private record Substitution(Expr expression) implements Part {
    }

    private final String source;
    private final List<Part> parts;

    private SubstitutionTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /** Parses a template; a bad expression is a {@link SqlParseException} whose column counts in the template. */
    public static SubstitutionTemplate parse(String template) {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '$' && template.startsWith("$$", i)) {
                text.append('$');
                i += 2;
            } else if (c == '$' && template.startsWith("${", i)) {
                int end = closingBrace(template, i + 2);
                if (end < 0) {
                    throw new SqlParseException("unterminated ${ in template \"" + template + "\"", 1, i + 1);
                }
                if (text.length() > 0) {
                    parts.add(new Text(text.toString()));
                    text.setLength(0);
                }
                String expression = template.substring(i + 2, end);
                try {
                    parts.add(new Substitution(SqlParser.parseExpression(expression)));
                } catch (SqlParseException e) {
                    int column = e.line() == 1 ? i + 2 + e.column() : e.column();
                    throw new SqlParseException("in template \"" + template + "\": " + e.getMessage(), e.line(),
                            column);
                }
                i = end + 1;
            } else {
                text.append(c);
                i++;
            }
        }
        if (text.length() > 0) {
            parts.add(new Text(text.toString()));
        }
        return new SubstitutionTemplate(template, parts);
    }

    /** The matching {@code }}, skipping quoted strings and nested braces; -1 if there is none. */
    private static int closingBrace(String template, int from) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < template.length(); i++) {
            char c = template.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return -1;
    }

    public String render(MessageContext context) {
        if (parts.size() == 1 && parts.get(0) instanceof Text t) {
            return t.text();
        }
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Text t) {
                out.append(t.text());
            } else {
                out.append(Operators.text(Evaluator.evaluate(((Substitution) part).expression(), context)));
            }
        }
        return out.toString();
    }

    public boolean hasSubstitutions() {
        return parts.stream().anyMatch(Substitution.class::isInstance);
    }

    @Override
    public String toString() {
        return source;
    }
}
