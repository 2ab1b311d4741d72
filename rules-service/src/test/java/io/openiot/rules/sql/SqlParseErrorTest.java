package io.openiot.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Statements the engine refuses, and where it says the problem is. */
class SqlParseErrorTest {

    @ParameterizedTest(name = "{0} → line {1}, column {2}")
    @CsvSource(delimiter = '|', textBlock = """
            SELECT * FROM 'a' WHERE speed >>> 3               | 1 | 33 | Encountered
            SELEC * FROM 'a'                                   | 1 | 1  | Encountered
            SELECT * FROM 'a' WHERE x = 'unterminated          | 1 | 42 | Lexical error
            SELECT * FROM 'a' extra words                      | 1 | 25 | Encountered
            SELECT * FROM 'a'; SELECT * FROM 'b'               | 1 | 20 | after the end
            SELECT * FROM 'a' JOIN b ON x = 1                  | 1 | 19 | JOIN
            SELECT * FROM 'a' GROUP BY x                       | 1 | 19 | GROUP BY
            SELECT * FROM 'a' ORDER BY x                       | 1 | 19 | ORDER BY
            SELECT DISTINCT x FROM 'a'                         | 1 | 8  | DISTINCT
            SELECT * FROM a                                    | 1 | 15 | single quotes
            SELECT * FROM 'a/#/b'                              | 1 | 15 | '#'
            SELECT * FROM 'a/b+'                               | 1 | 15 | '+'
            SELECT * FROM ''                                   | 1 | 15 | must not be empty
            SELECT AS VALUE x FROM 'a'                         | 1 | 8  | SELECT AS
            SELECT x                                           | 1 | 1  | FROM
            SELECT openiot_empty_object() FROM 'a'             | 1 | 8  | unknown function
            SELECT * FROM 'a' WHERE x = 1 AND length(y) = 2 AND nosuch(z) | 1 | 53 | unknown function
            SELECT long.x FROM 'a' WHERE >                     | 1 | 24 | Encountered
            SELECT * FROM 'a' WHERE nosuch(x) = 1              | 1 | 25 | unknown function
            SELECT * FROM 'a' WHERE topic(1, 2) = 'a'          | 1 | 25 | takes 0 to 1
            SELECT * FROM 'a' WHERE aws_lambda(x) = 1          | 1 | 25 | another service
            SELECT * FROM 'a' WHERE x IS UNKNOWN               | 1 | 30 | IS UNDEFINED
            SELECT * FROM 'a' UNION SELECT * FROM 'b'          | 1 | 1  | single SELECT
            DELETE FROM t                                      | 1 | 1  | single SELECT
            """)
    void rejectsWithPosition(String sql, int line, int column, String messagePart) {
        SqlParseException e = catchThrowableOfType(SqlParseException.class, () -> SqlParser.parseQuery(sql));
        assertThat(e).as(sql).isNotNull();
        assertThat(e.getMessage()).contains(messagePart);
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.column()).isEqualTo(column);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            SELECT *\\nFROM 'a'\\nWHERE speed >>> 3 | 3 | 15
            SELECT *\\nFROM 'a'\\nGROUP BY x          | 3 | 1
            """)
    void countsLinesAndColumns(String sql, int line, int column) {
        SqlParseException e = catchThrowableOfType(SqlParseException.class,
                () -> SqlParser.parseQuery(sql.replace("\\n", "\n")));
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.column()).isEqualTo(column);
    }
}
