package io.openiot.rules.sql;

/**
 * A rule's SQL (or a substitution template's expression) that cannot be parsed or is not supported. Carries the
 * 1-based line and column of the offending token, as AWS's {@code SqlParseException} message does.
 */
public class SqlParseException extends RuntimeException {

    private final int line;
    private final int column;

    public SqlParseException(String message, int line, int column) {
        super(message);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
