package io.openiot.sink.ingest;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Why a database write failed, which decides what happens to the records: only {@link #BAD_DATA} may send a record to
 * the dead-letter topic; the other two keep the batch and retry it until the database takes it. PostgreSQL's SQL state
 * is the first evidence (it is what the server says); Spring's exception types are the fallback for failures that
 * never reached a server (no connection from the pool).
 */
enum WriteFailure {

    /** The database cannot be reached or is short of something (connection, disk, memory, a lock): it will pass. */
    UNAVAILABLE,
    /** The schema, a privilege or the credentials are wrong: no record is at fault, an operator has to fix it. */
    MISCONFIGURED,
    /** The database refuses this data (a value, a constraint, a size limit): the same record fails every time. */
    BAD_DATA;

    /** SQL state classes of a refused value: 22 data exception, 23 integrity constraint, 54 program limit exceeded. */
    private static final Set<String> DATA_CLASSES = Set.of("22", "23", "54");
    /** 42 syntax or access rule (42P01 undefined table, 42501 permission denied), 28 authorization, 3D/3F no such
     *  database or schema, 0A feature not supported, F0 configuration file error. */
    private static final Set<String> CONFIGURATION_CLASSES = Set.of("42", "28", "3D", "3F", "0A", "F0");

    /**
     * Classifies a failure of a write. Anything not recognised counts as {@link #UNAVAILABLE}: retrying a batch that
     * could have been dead-lettered costs time, dead-lettering one that only needed a retry would lose it from the
     * table until somebody replays it.
     */
    static WriteFailure of(Throwable failure) {
        String state = sqlState(failure);
        if (state != null && state.length() == 5) {
            String stateClass = state.substring(0, 2).toUpperCase(Locale.ROOT);
            if (DATA_CLASSES.contains(stateClass)) {
                return BAD_DATA;
            }
            if (CONFIGURATION_CLASSES.contains(stateClass)) {
                return MISCONFIGURED;
            }
            // 08 connection, 53 insufficient resources, 57 operator intervention (57P01..57P03 shutdown, restart),
            // 40 rollback (deadlock, serialization), 55 lock not available, 58 I/O, XX internal: all pass
            return UNAVAILABLE;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CannotGetJdbcConnectionException || cause instanceof TransientDataAccessException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof RecoverableDataAccessException || cause instanceof SQLTransientException
                    || cause instanceof SQLRecoverableException || cause instanceof ConnectException) {
                return UNAVAILABLE;
            }
            if (cause instanceof BadSqlGrammarException || cause instanceof PermissionDeniedDataAccessException) {
                return MISCONFIGURED;
            }
            if (cause instanceof DataIntegrityViolationException) {
                return BAD_DATA;
            }
        }
        return UNAVAILABLE;
    }

    /**
     * What the database said, for logs and the dead-letter reason: SQL state and the first line of the server's (or
     * driver's) message, which names the object (table, index, constraint) but not the values of a statement.
     */
    static String describe(Throwable failure) {
        SQLException innermost = null;
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                innermost = sql;
                while (innermost.getNextException() != null) {
                    innermost = innermost.getNextException();
                }
            }
        }
        Throwable source = innermost != null ? innermost : failure;
        String message = source.getMessage() == null ? source.getClass().getSimpleName() : source.getMessage();
        int lineEnd = message.indexOf('\n');
        return "SQL state " + sqlState(failure) + ": " + (lineEnd < 0 ? message : message.substring(0, lineEnd)).strip();
    }

    /** The first SQL state in the chain, looking into the next-exception list a JDBC batch failure carries. */
    static String sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if (next.getSQLState() != null) {
                        return next.getSQLState();
                    }
                }
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}
