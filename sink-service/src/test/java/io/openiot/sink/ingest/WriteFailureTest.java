package io.openiot.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;

class WriteFailureTest {

    @ParameterizedTest(name = "SQL state {0} is {1}")
    @CsvSource({
            "08001, UNAVAILABLE", // connection refused
            "08006, UNAVAILABLE", // connection lost
            "57P01, UNAVAILABLE", // admin shutdown
            "57P02, UNAVAILABLE", // crash shutdown
            "57P03, UNAVAILABLE", // cannot connect now (starting up)
            "53100, UNAVAILABLE", // disk full
            "53300, UNAVAILABLE", // too many connections
            "40001, UNAVAILABLE", // serialization failure
            "40P01, UNAVAILABLE", // deadlock
            "55P03, UNAVAILABLE", // lock not available
            "58030, UNAVAILABLE", // I/O error
            "XX000, UNAVAILABLE", // internal error
            "42601, MISCONFIGURED", // syntax error
            "42501, MISCONFIGURED", // permission denied
            "42P01, MISCONFIGURED", // undefined table
            "42703, MISCONFIGURED", // undefined column
            "28P01, MISCONFIGURED", // wrong password
            "3D000, MISCONFIGURED", // no such database
            "22001, BAD_DATA", // value too long
            "22P02, BAD_DATA", // invalid text representation
            "23502, BAD_DATA", // not null violation
            "54000, BAD_DATA", // index row too large
    })
    void theSqlStateDecides(String state, WriteFailure expected) {
        UncategorizedSQLException failure = new UncategorizedSQLException("insert", "INSERT ...",
                new SQLException("refused", state));
        assertThat(WriteFailure.of(failure)).isEqualTo(expected);
    }

    @Test
    void aJdbcBatchFailureIsClassifiedByTheStatementThatFailedInIt() {
        BatchUpdateException batch = new BatchUpdateException("batch entry 3 failed", null, 0, new int[0], null);
        batch.setNextException(new SQLException("value too long", "22001"));
        assertThat(WriteFailure.of(new UncategorizedSQLException("insert", "INSERT", batch)))
                .isEqualTo(WriteFailure.BAD_DATA);
    }

    @Test
    void noConnectionFromThePoolIsUnavailableEvenWithoutASqlState() {
        assertThat(WriteFailure.of(new CannotCreateTransactionException("no connection",
                new SQLTransientConnectionException("pool timed out")))).isEqualTo(WriteFailure.UNAVAILABLE);
        assertThat(WriteFailure.of(new CannotGetJdbcConnectionException("no connection",
                new SQLException("connect failed")))).isEqualTo(WriteFailure.UNAVAILABLE);
        assertThat(WriteFailure.of(new RuntimeException(new ConnectException("refused"))))
                .isEqualTo(WriteFailure.UNAVAILABLE);
    }

    @Test
    void springTypesDecideWhenThereIsNoSqlState() {
        assertThat(WriteFailure.of(new BadSqlGrammarException("insert", "INSERT", new SQLException("bad"))))
                .isEqualTo(WriteFailure.MISCONFIGURED);
        assertThat(WriteFailure.of(new DataIntegrityViolationException("constraint")))
                .isEqualTo(WriteFailure.BAD_DATA);
    }

    @Test
    void anUnknownFailureIsRetriedNotDeadLettered() {
        assertThat(WriteFailure.of(new IllegalStateException("something else"))).isEqualTo(WriteFailure.UNAVAILABLE);
    }
}
