package io.openiot.rules.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.PlainSelect;

/**
 * Token-level rewrite of AWS IoT SQL into what JSqlParser 5.4 parses correctly (see STACK.md): {@code SELECT VALUE}
 * becomes BigQuery's {@code SELECT AS VALUE}, field names that are JSqlParser keywords are backtick-quoted,
 * {@code {}} becomes an internal call, {@code IS [NOT] UNDEFINED} becomes {@code IS [NOT] UNKNOWN}. Quoted text is
 * never touched. Keeps, per character of the result, its offset in the source so that errors point at what the
 * user wrote.
 */
final class DialectRewriter {

    /** Name the empty object literal {@code {}} is rewritten to; the user cannot call it. */
    static final String EMPTY_OBJECT = "openiot_empty_object";

    /** Words with a meaning of their own in AWS IoT SQL: left alone unless they clearly stand for a field. */
    private static final Set<String> AWS_KEYWORDS = Set.of("SELECT", "FROM", "WHERE", "AS", "AND", "OR", "NOT", "IN",
            "BETWEEN", "LIKE", "IS", "NULL", "TRUE", "FALSE", "CASE", "WHEN", "THEN", "ELSE", "END", "VALUE",
            "UNDEFINED", "ESCAPE");

    /** Clause words the translator refuses with a clear message; quoting them would hide that. */
    private static final Set<String> CLAUSE_WORDS = Set.of("WITH", "DISTINCT", "TOP", "INTO", "JOIN", "GROUP", "BY",
            "HAVING", "QUALIFY", "WINDOW", "ORDER", "LIMIT", "OFFSET", "FETCH", "UNION", "INNER", "LEFT", "RIGHT",
            "OUTER", "CROSS", "ON", "ALL", "EXCEPT", "INTERSECT", "MINUS", "FOR", "UPDATE", "DELETE", "INSERT",
            "NATURAL", "FULL", "USING", "UNKNOWN");

    /** Whether JSqlParser refuses (or misreads) a word as a column name; probed once per word. */
    private static final Map<String, Boolean> NEEDS_QUOTES = new ConcurrentHashMap<>();

    record Rewritten(String text, int[] origin) {
        /** The source offset of a character of the rewritten text. */
        int sourceOffset(int rewrittenOffset) {
            if (origin.length == 0) {
                return 0;
            }
            return origin[Math.max(0, Math.min(rewrittenOffset, origin.length - 1))];
        }
    }

    private enum Kind { WORD, QUOTED, NUMBER, SYMBOL, SPACE }

    private record Token(Kind kind, String text, int start) {
        boolean is(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }
    }

    private final String source;
    private final StringBuilder out = new StringBuilder();
    private final List<Integer> origin = new ArrayList<>();

    private DialectRewriter(String source) {
        this.source = source;
    }

    static Rewritten rewrite(String source) {
        return new DialectRewriter(source).run();
    }

    private Rewritten run() {
        List<Token> tokens = tokenize();
        // paren depth at which a cast( ... ) was opened: "AS <type>" inside it is a type, not an alias
        List<Integer> castDepths = new ArrayList<>();
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() == Kind.SPACE) {
                emit(t.text(), t.start());
                continue;
            }
            int nextIndex = nextSignificant(tokens, i);
            Token previous = at(tokens, previousSignificant(tokens, i));
            Token next = at(tokens, nextIndex);
            Token afterNext = at(tokens, nextSignificant(tokens, nextIndex));
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                if (!castDepths.isEmpty() && castDepths.get(castDepths.size() - 1) == depth) {
                    castDepths.remove(castDepths.size() - 1);
                }
                depth--;
            }
            if (t.kind() == Kind.WORD && previous != null && previous.is("AS") && next != null && next.isSymbol(".")
                    && !(castDepths.size() > 0 && castDepths.get(castDepths.size() - 1) == depth)) {
                // a dotted alias, AS a.b.c: one quoted name, nested in the output
                StringBuilder alias = new StringBuilder(t.text());
                int j = i;
                while (j + 2 < tokens.size() && tokens.get(j + 1).isSymbol(".")
                        && tokens.get(j + 2).kind() == Kind.WORD) {
                    alias.append('.').append(tokens.get(j + 2).text());
                    j += 2;
                }
                emit("`" + alias + "`", t.start());
                i = j;
                continue;
            }
            if (t.kind() == Kind.WORD && rewriteWord(t, previous, next, afterNext, castDepths, depth)) {
                continue;
            }
            if (t.isSymbol("{") && next != null && next.isSymbol("}")) {
                emit(EMPTY_OBJECT + "()", t.start());
                i = nextIndex;
                continue;
            }
            emit(t.text(), t.start());
        }
        int[] offsets = new int[origin.size() + 1];
        for (int i = 0; i < origin.size(); i++) {
            offsets[i] = origin.get(i);
        }
        offsets[origin.size()] = source.length();
        return new Rewritten(out.toString(), offsets);
    }

    /** Emits a rewritten word and returns true, or returns false to have it copied as it is. */
    private boolean rewriteWord(Token t, Token previous, Token next, Token afterNext, List<Integer> castDepths,
                                int depth) {
        String upper = t.text().toUpperCase(Locale.ROOT);
        boolean afterDot = previous != null && previous.isSymbol(".");
        if (upper.equals("SELECT") && !afterDot && next != null && next.is("AS")) {
            throw error("SELECT AS is not AWS IoT SQL; write SELECT VALUE", next.start());
        }
        if (upper.equals("SELECT") && !afterDot && next != null && next.is("VALUE") && startsValue(afterNext)) {
            emit(t.text(), t.start());
            emit(" AS", next.start());
            return true;
        }
        if (upper.equals(EMPTY_OBJECT.toUpperCase(Locale.ROOT))) {
            throw error("unknown function " + t.text() + "()", t.start());
        }
        boolean afterIs = previous != null && (previous.is("IS") || previous.is("NOT"));
        if (upper.equals("UNKNOWN") && afterIs) {
            throw error("IS UNKNOWN is not AWS IoT SQL; write IS UNDEFINED", t.start());
        }
        if (upper.equals("UNDEFINED") && afterIs) {
            emit("UNKNOWN", t.start());
            return true;
        }
        if (upper.equals("CAST") && next != null && next.isSymbol("(")) {
            castDepths.add(depth + 1);
        }
        boolean keyword = AWS_KEYWORDS.contains(upper) || CLAUSE_WORDS.contains(upper);
        // "SELECT [1]" and "IN [..]" are keywords before an array literal; "long[0]" is a field
        boolean fieldPosition = previous != null && previous.isSymbol(".")
                || next != null && (next.isSymbol(".") || !keyword && next.isSymbol("["));
        boolean call = next != null && next.isSymbol("(");
        boolean castType = previous != null && previous.is("AS") && !castDepths.isEmpty()
                && castDepths.get(castDepths.size() - 1) == depth;
        if (!call && !castType && (fieldPosition || !keyword) && needsQuotes(t.text())) {
            emit("`" + t.text() + "`", t.start());
            return true;
        }
        return false;
    }

    private static Token at(List<Token> tokens, int index) {
        return index < 0 || index >= tokens.size() ? null : tokens.get(index);
    }

    private static int nextSignificant(List<Token> tokens, int index) {
        int i = index + 1;
        while (i < tokens.size() && tokens.get(i).kind() == Kind.SPACE) {
            i++;
        }
        return i;
    }

    private static int previousSignificant(List<Token> tokens, int index) {
        int i = index - 1;
        while (i >= 0 && tokens.get(i).kind() == Kind.SPACE) {
            i--;
        }
        return i;
    }

    /** {@code SELECT VALUE} is the keyword form unless VALUE is itself the selected field ({@code SELECT value, x}). */
    private static boolean startsValue(Token afterValue) {
        return afterValue != null && !afterValue.isSymbol(",") && !afterValue.is("FROM") && !afterValue.is("AS")
                && !afterValue.is("WHERE") && !afterValue.isSymbol(".") && !afterValue.isSymbol("[");
    }

    private void emit(String text, int sourceStart) {
        for (int i = 0; i < text.length(); i++) {
            out.append(text.charAt(i));
            origin.add(Math.min(sourceStart + i, source.length()));
        }
    }

    private List<Token> tokenize() {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            int start = i;
            if (Character.isWhitespace(c)) {
                while (i < n && Character.isWhitespace(source.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Kind.SPACE, source.substring(start, i), start));
            } else if (c == '\'' || c == '"' || c == '`') {
                i++;
                while (i < n) {
                    if (source.charAt(i) == c) {
                        if (c == '\'' && i + 1 < n && source.charAt(i + 1) == '\'') {
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    i++;
                }
                // an unterminated quote is left for the parser to report where it starts
                tokens.add(new Token(Kind.QUOTED, source.substring(start, i), start));
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                while (i < n && (Character.isLetterOrDigit(source.charAt(i)) || source.charAt(i) == '_'
                        || source.charAt(i) == '$')) {
                    i++;
                }
                tokens.add(new Token(Kind.WORD, source.substring(start, i), start));
            } else if (Character.isDigit(c)) {
                while (i < n && (Character.isLetterOrDigit(source.charAt(i)) || source.charAt(i) == '.')) {
                    i++;
                }
                tokens.add(new Token(Kind.NUMBER, source.substring(start, i), start));
            } else {
                i++;
                tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), start));
            }
        }
        return tokens;
    }

    /** Asks JSqlParser itself whether a word works as a plain column name, both alone and after a dot. */
    private static boolean needsQuotes(String word) {
        return NEEDS_QUOTES.computeIfAbsent(word.toUpperCase(Locale.ROOT), w -> {
            try {
                var statement = CCJSqlParserUtil.newParser("SELECT " + w + ", a." + w + " FROM 't'").Statement();
                if (!(statement instanceof PlainSelect select) || select.getSelectItems().size() != 2) {
                    return true;
                }
                return !(select.getSelectItems().get(0).getExpression() instanceof Column first
                        && first.getColumnName().equalsIgnoreCase(w) && select.getSelectItems().get(0).getAlias() == null
                        && select.getSelectItems().get(1).getExpression() instanceof Column second
                        && second.getColumnName().equalsIgnoreCase(w));
            } catch (Exception | Error e) {
                return true;
            }
        });
    }

    private SqlParseException error(String message, int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset && i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new SqlParseException(message + " (line " + line + ", column " + column + ")", line, column);
    }
}
