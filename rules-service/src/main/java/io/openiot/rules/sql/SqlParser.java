package io.openiot.rules.sql;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.statement.Statement;

/**
 * Entry point of the SQL domain: parses rule statements and template expressions with JSqlParser and translates
 * them into {@link RuleQuery} / {@link Expr}. Every failure is a {@link SqlParseException} with a line and column.
 */
public final class SqlParser {

    /** AWS's limit on a rule's size; also keeps the parser away from pathological input. */
    static final int MAX_SQL_LENGTH = 256 * 1024;

    private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

    private SqlParser() {
    }

    /**
     * Parses a rule statement as SQL version 2016-03-23, the most capable, and, as before versions were known,
     * requires a FROM clause (its callers use {@link RuleQuery#topicFilter()} as non-null). Callers that know the
     * rule's {@code awsIotSqlVersion} use {@link #parseQuery(String, SqlVersion)}.
     */
    public static RuleQuery parseQuery(String sql) {
        RuleQuery query = parseQuery(sql, SqlVersion.V2016_03_23);
        if (!query.hasFrom()) {
            throw new SqlParseException("FROM '<topic filter>' is required (line 1, column 1)", 1, 1);
        }
        return query;
    }

    /**
     * Parses a rule statement as the given SQL version: features of a later version are refused. FROM may be left
     * out, for rules invoked only through Basic Ingest ({@link RuleQuery#hasFrom()}).
     */
    public static RuleQuery parseQuery(String sql, SqlVersion version) {
        if (sql == null || sql.isBlank()) {
            throw new SqlParseException("SQL statement is empty", 1, 1);
        }
        if (sql.length() > MAX_SQL_LENGTH) {
            throw new SqlParseException("SQL statement longer than " + MAX_SQL_LENGTH + " characters", 1, 1);
        }
        Statement statement = parse(sql, CCJSqlParser::Statement);
        return new AstTranslator(sql, version).query(statement);
    }

    /** Parses one expression, as found between {@code ${ }} in a substitution template. */
    public static Expr parseExpression(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new SqlParseException("expression is empty", 1, 1);
        }
        net.sf.jsqlparser.expression.Expression parsed = parse(expression, CCJSqlParser::Expression);
        return new AstTranslator(expression).expression(parsed);
    }

    @FunctionalInterface
    private interface Production<T> {
        T parse(CCJSqlParser parser) throws ParseException;
    }

    /** Runs one grammar production over the whole text; every failure becomes a positioned SqlParseException. */
    private static <T> T parse(String text, Production<T> production) {
        DialectRewriter.Rewritten rewritten = DialectRewriter.rewrite(text);
        try {
            // AWS reads "text" as a string; field names that need quoting get backticks from the rewriter
            CCJSqlParser parser = CCJSqlParserUtil.newParser(rewritten.text()).withDoubleQuotedStrings(true);
            T result = production.parse(parser);
            expectEnd(parser);
            return result;
        } catch (ParseException e) {
            throw toSource(fromParseException(e), rewritten, text);
        } catch (SqlParseException e) {
            throw toSource(e, rewritten, text);
        } catch (RuntimeException | StackOverflowError e) {
            throw toSource(fromLexicalError(e), rewritten, text);
        }
    }

    /** Moves an error's position from the rewritten text back to where the user wrote it. */
    private static SqlParseException toSource(SqlParseException e, DialectRewriter.Rewritten rewritten,
                                              String source) {
        String text = rewritten.text();
        int offset = 0;
        int line = 1;
        while (offset < text.length() && line < e.line()) {
            if (text.charAt(offset++) == '\n') {
                line++;
            }
        }
        offset = Math.min(text.length(), offset + Math.max(0, e.column() - 1));
        int sourceOffset = rewritten.sourceOffset(offset);
        int sourceLine = 1;
        int sourceColumn = 1;
        for (int i = 0; i < sourceOffset && i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                sourceLine++;
                sourceColumn = 1;
            } else {
                sourceColumn++;
            }
        }
        if (sourceLine == e.line() && sourceColumn == e.column()) {
            return e;
        }
        String message = e.getMessage().replace("line " + e.line() + ", column " + e.column(),
                "line " + sourceLine + ", column " + sourceColumn);
        return new SqlParseException(message, sourceLine, sourceColumn);
    }

    /** JSqlParser stops at the end of the first statement; anything after it is an error, not silently ignored. */
    private static void expectEnd(CCJSqlParser parser) {
        Token next = parser.getToken(1);
        if (next.kind == CCJSqlParserConstants.EOF) {
            return;
        }
        if (";".equals(next.image) && parser.getToken(2).kind == CCJSqlParserConstants.EOF) {
            return;
        }
        throw new SqlParseException("Unexpected \"" + next.image + "\" after the end of the statement",
                next.beginLine, next.beginColumn);
    }

    private static SqlParseException fromParseException(ParseException e) {
        Token at = e.currentToken == null ? null : e.currentToken.next;
        String message = firstLine(e.getMessage());
        if (at != null && at.beginLine > 0) {
            return new SqlParseException(message, at.beginLine, at.beginColumn);
        }
        return fromMessage(message);
    }

    private static SqlParseException fromLexicalError(Throwable e) {
        return fromMessage(e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage()));
    }

    private static SqlParseException fromMessage(String message) {
        Matcher m = POSITION.matcher(message);
        if (m.find()) {
            return new SqlParseException(message, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        return new SqlParseException(message, 1, 1);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }
}
