package io.openiot.rules.sql;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The AWS IoT SQL dialect as tables: one row is a statement (FROM 't/x' added when it has none), a payload and the
 * output the rule produces, or {@code SKIP} when WHERE is not true. Rows marked AWS are the SQL reference's own
 * examples. SQL version 2016-03-23 unless the table says otherwise.
 */
class SqlDialectConformanceTest {

    private static final String TOPIC = "t/x";
    private static final String SKIP = "SKIP";

    static Stream<Arguments> select() {
        return Stream.of(
                row("SELECT *", "{\"a\":1}", "{\"a\":1}"),
                row("SELECT a", "{\"a\":1,\"b\":2}", "{\"a\":1}"),
                row("SELECT a.b.c", "{\"a\":{\"b\":{\"c\":3}}}", "{\"c\":3}"),
                row("SELECT a.b.c AS x", "{\"a\":{\"b\":{\"c\":3}}}", "{\"x\":3}"),
                row("SELECT a AS x.y, b AS x.z", "{\"a\":1,\"b\":2}", "{\"x\":{\"y\":1,\"z\":2}}"),
                row("SELECT d[1] AS v", "{\"d\":[10,20]}", "{\"v\":20}"),
                row("SELECT e[1].f AS v", "{\"e\":[{\"f\":1},{\"f\":2}]}", "{\"v\":2}"),
                row("SELECT m[0][1] AS v", "{\"m\":[[1,2],[3]]}", "{\"v\":2}"),
                row("SELECT *, a + 1 AS b", "{\"a\":1}", "{\"a\":1,\"b\":2}"),
                row("SELECT a, missing", "{\"a\":1}", "{\"a\":1}"),
                row("SELECT a, n", "{\"a\":1,\"n\":null}", "{\"a\":1,\"n\":null}"),
                // field names that are JSqlParser keywords
                row("SELECT long, map.int AS i, x.select AS s, decimal, window.from AS f",
                        "{\"long\":1,\"map\":{\"int\":2},\"x\":{\"select\":3},\"decimal\":4,\"window\":{\"from\":5}}",
                        "{\"long\":1,\"i\":2,\"s\":3,\"decimal\":4,\"f\":5}"),
                row("SELECT a WHERE is.when = 1", "{\"a\":1,\"is\":{\"when\":1}}", "{\"a\":1}"),
                row("SELECT value, timestamp", "{\"value\":1,\"timestamp\":2}", "{\"value\":1,\"timestamp\":2}"),
                row("SELECT get(*, \"a-b\") AS v", "{\"a-b\":7}", "{\"v\":7}"),
                // SELECT VALUE (AWS: SQL versions page)
                row("SELECT VALUE arr", "{\"a\":{\"b\":\"c\"},\"arr\":[1,2,3,4]}", "[1,2,3,4]"),
                row("SELECT VALUE a.b", "{\"a\":{\"b\":\"c\"}}", "\"c\""),
                row("SELECT VALUE *", "{\"a\":1}", "{\"a\":1}"),
                row("SELECT VALUE missing", "{\"a\":1}", ""),
                row("SELECT VALUE 10.0", "{}", "10"),
                row("SELECT VALUE {'x': a}", "{\"a\":1}", "{\"x\":1}"),
                // non-JSON payload
                row("SELECT *", "raw bytes", "raw bytes"),
                row("SELECT encode(*, 'base64') AS data", "raw bytes", "{\"data\":\"cmF3IGJ5dGVz\"}"),
                row("SELECT a", "raw bytes", "{}"),
                // no FROM (Basic Ingest)
                row("SELECT a WHERE a > 0", "{\"a\":1}", "{\"a\":1}"));
    }

    @org.junit.jupiter.api.Test
    void statementWithoutFromParsesWithAVersionAndMatchesNoTopic() {
        RuleQuery query = SqlParser.parseQuery("SELECT * WHERE a > 0", SqlVersion.V2016_03_23);
        assertThat(query.hasFrom()).isFalse();
        assertThat(query.topicFilter()).isNull();
        MessageContext context = MessageContext.of(TOPIC, "c", "t", 1L, "{\"a\":1}".getBytes(UTF_8));
        assertThat(query.conditionHolds(context)).isTrue();
        assertThat(query.matches(context)).isFalse();
    }

    static Stream<Arguments> where() {
        return Stream.of(
                row("SELECT a WHERE a IN (1, 2, 3)", "{\"a\":2}", "{\"a\":2}"),
                row("SELECT a WHERE a IN (1, 3)", "{\"a\":2}", SKIP),
                row("SELECT a WHERE a NOT IN (1, 3)", "{\"a\":2}", "{\"a\":2}"),
                row("SELECT a WHERE 3 IN arr", "{\"a\":1,\"arr\":[1,3]}", "{\"a\":1}"),
                row("SELECT a WHERE a BETWEEN 1 AND 3", "{\"a\":3}", "{\"a\":3}"),
                row("SELECT a WHERE a BETWEEN 1 AND 3", "{\"a\":4}", SKIP),
                row("SELECT a WHERE a NOT BETWEEN 1 AND 3", "{\"a\":4}", "{\"a\":4}"),
                row("SELECT a WHERE a BETWEEN 1 AND 3", "{\"a\":\"x\"}", SKIP),
                row("SELECT a WHERE a LIKE 'ab%'", "{\"a\":\"abc\"}", "{\"a\":\"abc\"}"),
                row("SELECT a WHERE a LIKE 'a_c'", "{\"a\":\"abc\"}", "{\"a\":\"abc\"}"),
                row("SELECT a WHERE a LIKE 'b%'", "{\"a\":\"abc\"}", SKIP),
                row("SELECT a WHERE a NOT LIKE 'b%'", "{\"a\":\"abc\"}", "{\"a\":\"abc\"}"),
                row("SELECT a WHERE n IS NULL", "{\"a\":1,\"n\":null}", "{\"a\":1}"),
                row("SELECT a WHERE n IS NULL", "{\"a\":1}", SKIP),
                row("SELECT a WHERE a IS NOT NULL", "{\"a\":1}", "{\"a\":1}"),
                row("SELECT a WHERE n IS UNDEFINED", "{\"a\":1}", "{\"a\":1}"),
                row("SELECT a WHERE a IS NOT UNDEFINED", "{\"a\":1}", "{\"a\":1}"),
                row("SELECT a WHERE n IS UNDEFINED", "{\"a\":1,\"n\":null}", SKIP),
                row("SELECT a WHERE a = 1 AND NOT b", "{\"a\":1,\"b\":false}", "{\"a\":1}"),
                row("SELECT a WHERE 'x'", "{\"a\":1}", SKIP),
                row("SELECT a WHERE 1", "{\"a\":1}", SKIP),
                row("SELECT a WHERE 'it''s' = s", "{\"a\":1,\"s\":\"it's\"}", "{\"a\":1}"),
                row("SELECT a WHERE \"car\" = s", "{\"a\":1,\"s\":\"car\"}", "{\"a\":1}"),
                row("SELECT a WHERE topic(2) = 'x'", "{\"a\":1}", "{\"a\":1}"));
    }

    static Stream<Arguments> literalsAndCase() {
        return Stream.of(
                row("SELECT {'a': x, 'b': [x, 2]} AS o", "{\"x\":1}", "{\"o\":{\"a\":1,\"b\":[1,2]}}"),
                row("SELECT {} AS o, [] AS a", "{}", "{\"o\":{},\"a\":[]}"),
                row("SELECT {'a': missing} AS o", "{}", "{\"o\":{}}"),
                row("SELECT 'x' AS s, 1 AS i, 1.5 AS d, true AS b, NULL AS n", "{}",
                        "{\"s\":\"x\",\"i\":1,\"d\":1.5,\"b\":true,\"n\":null}"),
                row("SELECT 100 / 2.0 AS v", "{}", "{\"v\":50}"),
                row("SELECT 10.0 AS v", "{}", "{\"v\":10}"),
                row("SELECT 1 / 3.0 AS v", "{}", "{\"v\":0.3333333333333333333333333333333333}"),
                row("SELECT 7 / 2 AS v, 7 % 3 AS m, 2 * 3.5 AS p", "{}", "{\"v\":3,\"m\":1,\"p\":7}"),
                row("SELECT a + 'x' AS s", "{\"a\":1}", "{\"s\":\"1x\"}"),
                row("SELECT CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END AS v", "{\"a\":2}",
                        "{\"v\":\"two\"}"),
                row("SELECT CASE a WHEN 1 THEN 'one' ELSE 'many' END AS v", "{\"a\":5}", "{\"v\":\"many\"}"),
                row("SELECT CASE a WHEN 1 THEN 'one' END AS v", "{\"a\":5}", "{}"),
                row("SELECT CASE a WHEN 1 THEN 'one' ELSE 'x' END AS v", "{}", "{}"),
                row("SELECT CASE WHEN a > 1 THEN 'big' ELSE 'small' END AS v", "{\"a\":5}", "{\"v\":\"big\"}"),
                row("SELECT CASE WHEN a > 1 THEN 'big' ELSE 'small' END AS v", "{}", "{\"v\":\"small\"}"));
    }

    static Stream<Arguments> nestedSelect() {
        String payload = "{\"e\":[{\"n\":\"a\",\"v\":1},{\"n\":\"b\",\"v\":2},{\"n\":\"a\",\"v\":3}]}";
        return Stream.of(
                row("SELECT (SELECT v FROM e WHERE n = 'a') AS r", payload, "{\"r\":[{\"v\":1},{\"v\":3}]}"),
                row("SELECT (SELECT VALUE v FROM e WHERE n = 'a') AS r", payload, "{\"r\":[1,3]}"),
                row("SELECT (SELECT * FROM e WHERE v > 2) AS r", payload, "{\"r\":[{\"n\":\"a\",\"v\":3}]}"),
                row("SELECT (SELECT VALUE v FROM e) AS r", payload, "{\"r\":[1,2,3]}"),
                row("SELECT (SELECT v FROM missing) AS r", payload, "{}"),
                row("SELECT VALUE (SELECT VALUE v * 10 FROM e WHERE n = 'b')", payload, "[20]"));
    }

    static Stream<Arguments> conversions() {
        return Stream.of(
                row("SELECT cast(a AS Int) AS v", "{\"a\":2.9}", "{\"v\":2}"),
                row("SELECT cast(a AS Int) AS v", "{\"a\":\"3.7\"}", "{\"v\":3}"),
                row("SELECT cast(a AS Int) AS v", "{\"a\":true}", "{\"v\":1}"),
                row("SELECT cast(a AS Int) AS v", "{\"a\":\"x\"}", "{}"),
                row("SELECT cast(a AS Int) AS v", "{\"a\":null}", "{\"v\":null}"),
                row("SELECT cast(a AS Decimal) AS v", "{\"a\":2}", "{\"v\":2}"),
                row("SELECT cast(a AS String) AS v", "{\"a\":2.5}", "{\"v\":\"2.5\"}"),
                row("SELECT cast(a AS String) AS v", "{\"a\":[1]}", "{\"v\":\"[1]\"}"),
                row("SELECT cast(a AS String) AS v", "{\"a\":null}", "{}"),
                row("SELECT cast(a AS Boolean) AS v", "{\"a\":\"TRUE\"}", "{\"v\":true}"),
                row("SELECT cast(a AS Bool) AS v", "{\"a\":0}", "{\"v\":false}"),
                row("SELECT cast(a AS Boolean) AS v", "{\"a\":\"yes\"}", "{}"),
                row("SELECT a * 2 AS v", "{\"a\":\"21\"}", "{\"v\":42}"),
                row("SELECT a * 2 AS v", "{\"a\":true}", "{}"),
                row("SELECT isNull(a) AS n, isUndefined(a) AS u, isUndefined(b) AS ub", "{\"a\":null}",
                        "{\"n\":true,\"u\":false,\"ub\":true}"));
    }

    static Stream<Arguments> mathFunctions() {
        return Stream.of(
                row("SELECT abs(-5) AS a, abs(-1.5) AS b", "{}", "{\"a\":5,\"b\":1.5}"),
                row("SELECT ceil(1.2) AS a, ceil(-1.2) AS b", "{}", "{\"a\":2,\"b\":-1}"),
                row("SELECT floor(1.2) AS a, floor(-1.2) AS b", "{}", "{\"a\":1,\"b\":-2}"),
                row("SELECT round(1.5) AS a, round(1.2) AS b", "{}", "{\"a\":2,\"b\":1}"),
                row("SELECT sign(-3) AS a, sign(0) AS b, sign(2.5) AS c", "{}", "{\"a\":-1,\"b\":0,\"c\":1}"),
                row("SELECT mod(8, 3) AS a, remainder(8, 3) AS b, 8 % 3 AS c", "{}", "{\"a\":2,\"b\":2,\"c\":2}"),
                row("SELECT power(2, 5) AS a, sqrt(9) AS b", "{}", "{\"a\":32.0,\"b\":3.0}"),
                row("SELECT trunc(2.3123, 2) AS a, trunc(2.888, 2) AS b, trunc(2.3, 0) AS c", "{}",
                        "{\"a\":2.31,\"b\":2.88,\"c\":2}"),
                row("SELECT ln(1) AS a, log(100) AS b, exp(0) AS c", "{}", "{\"a\":0.0,\"b\":2.0,\"c\":1.0}"),
                row("SELECT sin(0) AS a, cos(0) AS b, tan(0) AS c, atan2(0, 1) AS d", "{}",
                        "{\"a\":0.0,\"b\":1.0,\"c\":0.0,\"d\":0.0}"),
                row("SELECT sinh(0) AS a, cosh(0) AS b, tanh(0) AS c, asin(0) AS d, acos(1) AS e, atan(0) AS f",
                        "{}", "{\"a\":0.0,\"b\":1.0,\"c\":0.0,\"d\":0.0,\"e\":0.0,\"f\":0.0}"),
                row("SELECT acos(2) AS a, sqrt(-1) AS b, ln(0) AS c", "{}", "{}"),
                row("SELECT bitand(13, 5) AS a, bitor(8, 5) AS b, bitxor(13, 5) AS c, bitnot(13) AS d", "{}",
                        "{\"a\":5,\"b\":13,\"c\":8,\"d\":-14}"),
                row("SELECT nanvl(8, 3) AS a, nanvl('NaN', 3) AS b", "{}", "{\"a\":8,\"b\":3}"),
                row("SELECT abs('x') AS a, ceil(true) AS b", "{}", "{}"));
    }

    static Stream<Arguments> stringFunctions() {
        return Stream.of(
                row("SELECT lower('AbC') AS a, upper('abc') AS b, upper(x) AS c", "{\"x\":[\"a\"]}",
                        "{\"a\":\"abc\",\"b\":\"ABC\",\"c\":\"[\\\"A\\\"]\"}"),
                row("SELECT concat() AS a, concat('a') AS b, concat('a', 'b', 1) AS c", "{}",
                        "{\"b\":\"a\",\"c\":\"ab1\"}"),
                row("SELECT concat(x, [3], 4) AS a", "{\"x\":[1,2]}", "{\"a\":[1,2,3,4]}"),
                row("SELECT substring('012345', 0) AS a, substring('012345', 2) AS b, "
                        + "substring('012345', 2, 3) AS c, substring('012345', 3, 1) AS d, "
                        + "substring('012345', -1, 100) AS e", "{}",
                        "{\"a\":\"012345\",\"b\":\"2345\",\"c\":\"2\",\"d\":\"\",\"e\":\"012345\"}"),
                row("SELECT length('hi€') AS a, numbytes('€') AS b, indexof('abcd', 'cd') AS c", "{}",
                        "{\"a\":3,\"b\":3,\"c\":2}"),
                row("SELECT startswith('abc', 'a') AS a, endswith('abc', 'c') AS b, startswith(n, 'a') AS c",
                        "{\"n\":null}", "{\"a\":true,\"b\":true}"),
                row("SELECT trim('  a  ') AS a, ltrim('  a  ') AS b, rtrim('  a  ') AS c", "{}",
                        "{\"a\":\"a\",\"b\":\"a  \",\"c\":\"  a\"}"),
                row("SELECT lpad('hello', 2) AS a, rpad('hello', 2) AS b, lpad('x', -3) AS c", "{}",
                        "{\"a\":\"  hello\",\"b\":\"hello  \",\"c\":\"x\"}"),
                row("SELECT replace('abcabc', 'b', 'X') AS a, chr(65) AS b", "{}", "{\"a\":\"aXcaXc\",\"b\":\"A\"}"),
                row("SELECT regexp_matches('aaabbb', 'a+b') AS a, regexp_matches('abc', 'x') AS b", "{}",
                        "{\"a\":true,\"b\":false}"),
                row("SELECT regexp_replace('abc', 'b(.)', 'X$1') AS a, regexp_substr('hihello', 'hel+') AS b",
                        "{}", "{\"a\":\"aXc\",\"b\":\"hell\"}"),
                row("SELECT get(arr, 1) AS a, get('abc', 1) AS b, get(o, 'k') AS c, get(arr, 9) AS d",
                        "{\"arr\":[1,2],\"o\":{\"k\":\"v\"}}", "{\"a\":2,\"b\":\"b\",\"c\":\"v\"}"),
                row("SELECT get(arr, 0).v AS a", "{\"arr\":[{\"v\":5}]}", "{\"a\":5}"));
    }

    static Stream<Arguments> otherFunctions() {
        return Stream.of(
                row("SELECT encode('hello', 'base64') AS a, decode('aGVsbG8=', 'base64') AS b", "{}",
                        "{\"a\":\"aGVsbG8=\",\"b\":\"hello\"}"),
                row("SELECT decode('eyJhIjoxfQ==', 'base64').a AS a", "{}", "{\"a\":1}"),
                row("SELECT decode('!!!', 'base64') AS a", "{}", "{\"a\":null}"),
                row("SELECT md5('hello') AS a", "{}", "{\"a\":\"5d41402abc4b2a76b9719d911017c592\"}"),
                row("SELECT sha1('hello') AS a", "{}", "{\"a\":\"aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d\"}"),
                row("SELECT sha256('hello') AS a", "{}",
                        "{\"a\":\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\"}"),
                row("SELECT md2('') AS a", "{}", "{\"a\":\"8350e5a3e24c153df2275c9f80692773\"}"),
                row("SELECT parse_time('yyyy-MM-dd HH:mm:ss', 1481230800000) AS a", "{}",
                        "{\"a\":\"2016-12-08 21:00:00\"}"),
                row("SELECT parse_time('HH:mm', 0, 'Europe/Berlin') AS a", "{}", "{\"a\":\"01:00\"}"),
                row("SELECT time_to_epoch('2016-12-08 21:00:00', 'yyyy-MM-dd HH:mm:ss') AS a", "{}",
                        "{\"a\":1481230800000}"),
                row("SELECT time_to_epoch('2020-01-01+01:00', 'yyyy-MM-ddXXX') AS a", "{}",
                        "{\"a\":1577833200000}"),
                row("SELECT transform('enrichArray', o, arr) AS a", "{\"o\":{\"k\":1},\"arr\":[{\"x\":1},2]}",
                        "{\"a\":[{\"x\":1,\"k\":1}]}"),
                row("SELECT topic() AS t, topic(1) AS t1, clientid() AS c, timestamp() AS ts, accountid() AS a",
                        "{}", "{\"t\":\"t/x\",\"t1\":\"t\",\"c\":\"dev-1\",\"ts\":1700000000000,\"a\":\"123456789012\"}"),
                row("SELECT sql_version() AS v", "{}", "{\"v\":\"2016-03-23\"}"));
    }

    @ParameterizedTest(name = "{0} on {1} → {2}")
    @MethodSource({"select", "where", "literalsAndCase", "nestedSelect", "conversions", "mathFunctions",
            "stringFunctions", "otherFunctions"})
    void producesTheOutputAwsDoes(String sql, String payload, String expected) {
        assertThat(run(sql, SqlVersion.V2016_03_23, payload)).isEqualTo(expected);
    }

    static Stream<Arguments> version2015() {
        return Stream.of(
                row("SELECT 100 / 2.0 AS v", "{}", "{\"v\":50}"),
                row("SELECT 10.0 AS v", "{}", "{\"v\":10.0}"),
                row("SELECT 1.5 * 2 AS v", "{}", "{\"v\":3.0}"),
                row("SELECT sql_version() AS v", "{}", "{\"v\":\"2015-10-08\"}"),
                row("SELECT cast(a AS Int) AS v", "{\"a\":1.5}", "{\"v\":1}"));
    }

    @ParameterizedTest(name = "2015-10-08: {0} on {1} → {2}")
    @MethodSource("version2015")
    void version2015KeepsDecimals(String sql, String payload, String expected) {
        assertThat(run(sql, SqlVersion.V2015_10_08, payload)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "2015-10-08 refuses {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "SELECT length(a) FROM 't'", "SELECT isUndefined(a) FROM 't'", "SELECT {'a': 1} AS o FROM 't'",
            "SELECT [1] AS o FROM 't'", "SELECT (SELECT v FROM e) AS r FROM 't'", "SELECT cast(a AS Decimal) FROM 't'",
            "SELECT encode(*, 'base64') AS d FROM 't'"})
    void version2015RefusesTheNewerDialect(String sql) {
        SqlParseException e = catchThrowableOfType(SqlParseException.class,
                () -> SqlParser.parseQuery(sql, SqlVersion.V2015_10_08));
        assertThat(e).as(sql).isNotNull();
        assertThat(e.getMessage()).contains("2016-03-23");
        assertThat(SqlParser.parseQuery(sql, SqlVersion.V2016_03_23)).isNotNull();
    }

    private static String run(String sql, SqlVersion version, String payload) {
        String statement = sql.contains(" FROM ") || sql.contains(" WHERE ") && !sql.contains("(SELECT")
                ? sql : sql + " FROM '" + TOPIC + "'";
        if (sql.contains(" WHERE ") && !sql.contains(" FROM ") && !sql.contains("(SELECT")) {
            statement = sql; // Basic Ingest form: no FROM
        }
        RuleQuery query = SqlParser.parseQuery(statement, version);
        MessageContext context = new MessageContext(TOPIC, "dev-1", "principal-1", "trace-1", 1_700_000_000_000L,
                new Payload(payload.getBytes(UTF_8)), "123456789012", null);
        if (!query.conditionHolds(context)) {
            return SKIP;
        }
        return new String(query.project(context).bytes(), UTF_8);
    }

    private static Arguments row(String sql, String payload, String expected) {
        return Arguments.of(sql, payload, expected);
    }
}
