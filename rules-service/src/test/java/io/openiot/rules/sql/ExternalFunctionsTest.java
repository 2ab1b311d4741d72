package io.openiot.rules.sql;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code get_thing_shadow} and {@code get_dynamodb} against the {@link ExternalData} port: AWS's arguments, the
 * document or item as an Object, Undefined for what does not exist or bad arguments, failures that fail the rule,
 * and each rule's cache.
 */
class ExternalFunctionsTest {

    private static final String ROLE = "'arn:aws:iam::123456789012:role/AllowsThingShadowAccess'";
    private static final String SHADOW = "{\"state\":{\"desired\":{\"alarm\":\"OFF\"},\"reported\":{\"alarm\":\"ON\","
            + "\"temp\":21}},\"metadata\":{\"reported\":{\"alarm\":{\"timestamp\":1700000000}}},\"version\":3,"
            + "\"timestamp\":1700000001}";
    private static final String LAMP = "{\"state\":{\"reported\":{\"on\":true}},\"version\":1,\"timestamp\":1}";
    private static final String ITEM = "{\"deviceId\":\"car-7\",\"owner\":\"ana\",\"limits\":{\"speed\":120},"
            + "\"tags\":[\"a\",\"b\"]}";
    private static final String READING = "{\"deviceId\":\"car-7\",\"ts\":1700,\"speed\":99.5}";

    /** The port as the shadow service and the sink would answer, counting what it was asked. */
    private static final class Services implements ExternalData {
        final Map<String, String> shadows = new HashMap<>();
        final Map<String, String> items = new HashMap<>();
        final List<String> asked = new ArrayList<>();
        Duration ttl = Duration.ZERO;
        int size = 0;
        RuntimeException failure;

        @Override
        public Optional<byte[]> thingShadow(String thingName, String shadowName) {
            String key = thingName + (shadowName == null ? "" : "/" + shadowName);
            asked.add("shadow " + key);
            if (failure != null) {
                throw failure;
            }
            return Optional.ofNullable(shadows.get(key)).map(s -> s.getBytes(UTF_8));
        }

        @Override
        public Optional<byte[]> item(String tableName, String partitionKey, String sortKey) {
            String key = tableName + "/" + partitionKey + (sortKey == null ? "" : "/" + sortKey);
            asked.add("item " + key);
            if (failure != null) {
                throw failure;
            }
            return Optional.ofNullable(items.get(key)).map(s -> s.getBytes(UTF_8));
        }

        @Override
        public Duration cacheTtl() {
            return ttl;
        }

        @Override
        public int cacheSize() {
            return size;
        }
    }

    private static Services services() {
        Services services = new Services();
        services.shadows.put("car-7", SHADOW);
        services.shadows.put("lamp-1/config", LAMP);
        services.items.put("devices/car-7", ITEM);
        services.items.put("readings/car-7/1700", READING);
        return services;
    }

    private static MessageContext context(ExternalData data, String payload, long now) {
        return new MessageContext("cars/car-7/telemetry", "car-7", null, "trace", now,
                new Payload(payload.getBytes(UTF_8)), null, null, data);
    }

    private static String select(String sql, String payload, ExternalData data) {
        RuleQuery query = SqlParser.parseQuery(sql, SqlVersion.V2016_03_23);
        return new String(query.project(context(data, payload, 1000)).bytes(), UTF_8);
    }

    static Stream<Arguments> selects() {
        return Stream.of(
                // the classic shadow, as AWS's example reads it
                Arguments.of("SELECT get_thing_shadow('car-7', " + ROLE + ").state.reported.alarm AS alarm "
                        + "FROM 'cars/#'", "{}", "{\"alarm\":\"ON\"}"),
                Arguments.of("SELECT get_thing_shadow('car-7', " + ROLE + ") AS shadow FROM 'cars/#'", "{}",
                        "{\"shadow\":" + SHADOW + "}"),
                // the thing name from the topic or the payload
                Arguments.of("SELECT get_thing_shadow(topic(2), " + ROLE + ").version AS v FROM 'cars/#'", "{}",
                        "{\"v\":3}"),
                Arguments.of("SELECT get_thing_shadow(thing, 'config', " + ROLE + ").state AS s FROM 'cars/#'",
                        "{\"thing\":\"lamp-1\"}", "{\"s\":{\"reported\":{\"on\":true}}}"),
                // no such shadow, a name AWS does not accept, a roleArn that is no String: Undefined, left out
                Arguments.of("SELECT 1 AS one, get_thing_shadow('nobody', " + ROLE + ") AS s FROM 'cars/#'", "{}",
                        "{\"one\":1}"),
                Arguments.of("SELECT 1 AS one, get_thing_shadow('car 7', " + ROLE + ") AS s FROM 'cars/#'", "{}",
                        "{\"one\":1}"),
                Arguments.of("SELECT 1 AS one, get_thing_shadow('car-7', 'bad/name', " + ROLE + ") AS s "
                        + "FROM 'cars/#'", "{}", "{\"one\":1}"),
                Arguments.of("SELECT 1 AS one, get_thing_shadow('car-7', 5) AS s FROM 'cars/#'", "{}",
                        "{\"one\":1}"),
                Arguments.of("SELECT 1 AS one, get_thing_shadow(missing, " + ROLE + ") AS s FROM 'cars/#'", "{}",
                        "{\"one\":1}"),
                // get_dynamodb: the item in plain JSON, by partition key, and by partition and sort key
                Arguments.of("SELECT get_dynamodb('devices', 'deviceId', topic(2), " + ROLE + ") AS d FROM 'cars/#'",
                        "{}", "{\"d\":" + ITEM + "}"),
                Arguments.of("SELECT get_dynamodb('devices', 'deviceId', clientid(), " + ROLE + ").limits.speed "
                        + "AS limit FROM 'cars/#'", "{}", "{\"limit\":120}"),
                Arguments.of("SELECT get_dynamodb('readings', 'deviceId', 'car-7', 'ts', ts, " + ROLE + ").speed "
                        + "AS s FROM 'cars/#'", "{\"ts\":1700}", "{\"s\":99.5}"),
                Arguments.of("SELECT get_dynamodb('readings', 'deviceId', 'car-7', 'ts', ts, " + ROLE + ").speed "
                        + "AS s FROM 'cars/#'", "{\"ts\":1700.0}", "{\"s\":99.5}"),
                // no item, no table, a key name that is not the table's, a key value that is no String or number
                Arguments.of("SELECT 1 AS one, get_dynamodb('devices', 'deviceId', 'car-8', " + ROLE + ") AS d "
                        + "FROM 'cars/#'", "{}", "{\"one\":1}"),
                Arguments.of("SELECT 1 AS one, get_dynamodb('nope', 'deviceId', 'car-7', " + ROLE + ") AS d "
                        + "FROM 'cars/#'", "{}", "{\"one\":1}"),
                Arguments.of("SELECT 1 AS one, get_dynamodb('devices', 'id', 'car-7', " + ROLE + ") AS d "
                        + "FROM 'cars/#'", "{}", "{\"one\":1}"),
                Arguments.of("SELECT 1 AS one, get_dynamodb('devices', 'deviceId', true, " + ROLE + ") AS d "
                        + "FROM 'cars/#'", "{}", "{\"one\":1}"),
                Arguments.of("SELECT 1 AS one, get_dynamodb('readings', 'deviceId', 'car-7', 'ts', " + ROLE + ") "
                        + "AS d FROM 'cars/#'", "{}", "{\"one\":1}"));
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @MethodSource("selects")
    void externalFunctionsReturnTheDocumentOrItemAsAnObjectAndUndefinedWhenThereIsNone(String sql, String payload,
                                                                                      String expected) {
        assertThat(select(sql, payload, services())).isEqualTo(expected);
    }

    @Test
    void badNamesNeverReachTheService() {
        Services services = services();
        select("SELECT get_thing_shadow('car 7', " + ROLE + ") AS s FROM 'cars/#'", "{}", services);
        select("SELECT get_dynamodb('devices', 'deviceId', true, " + ROLE + ") AS s FROM 'cars/#'", "{}", services);
        assertThat(services.asked).isEmpty();
    }

    @Test
    void aShadowInTheWhereClauseDecidesWhetherTheRuleFires() {
        RuleQuery query = SqlParser.parseQuery("SELECT * FROM 'cars/#' WHERE get_thing_shadow(topic(2), " + ROLE
                + ").state.reported.alarm = 'ON'", SqlVersion.V2016_03_23);
        Services services = services();
        assertThat(query.conditionHolds(context(services, "{}", 1))).isTrue();
        services.shadows.put("car-7", LAMP);
        assertThat(query.conditionHolds(context(services, "{}", 2))).isFalse();
    }

    @Test
    void aLookupThatCannotBeMadeFailsTheEvaluationInsteadOfBeingUndefined() {
        Services services = services();
        services.failure = new LookupFailedException("shadow-service did not answer");
        RuleQuery query = SqlParser.parseQuery("SELECT get_thing_shadow('car-7', " + ROLE + ") AS s FROM 'cars/#'",
                SqlVersion.V2016_03_23);
        assertThatThrownBy(() -> query.project(context(services, "{}", 1)))
                .isInstanceOf(LookupFailedException.class).hasMessageContaining("did not answer");
        assertThatThrownBy(() -> query.project(context(ExternalData.NONE, "{}", 1)))
                .isInstanceOf(LookupFailedException.class).hasMessageContaining("no shadow service");
    }

    @Test
    void theFunctionsNeedSql2016AndAtMostOneGetDynamoDbPerStatement() {
        assertThatThrownBy(() -> SqlParser.parseQuery("SELECT get_thing_shadow('a', " + ROLE + ") FROM 'x'",
                SqlVersion.V2015_10_08)).isInstanceOf(SqlParseException.class).hasMessageContaining("2016-03-23");
        assertThatThrownBy(() -> SqlParser.parseQuery("SELECT get_dynamodb('t', 'k', 'v', " + ROLE + ") AS a, "
                + "get_dynamodb('t', 'k', 'w', " + ROLE + ") AS b FROM 'x'", SqlVersion.V2016_03_23))
                .isInstanceOf(SqlParseException.class).hasMessageContaining("at most once");
        assertThatThrownBy(() -> SqlParser.parseQuery("SELECT get_thing_shadow('a') FROM 'x'",
                SqlVersion.V2016_03_23)).isInstanceOf(SqlParseException.class).hasMessageContaining("2 to 3");
        // one get_dynamodb beside shadows is fine
        assertThat(SqlParser.parseQuery("SELECT get_dynamodb('t', 'k', 'v', " + ROLE + ") AS a FROM 'x' WHERE "
                + "get_thing_shadow('a', " + ROLE + ").version > 1 AND get_thing_shadow('b', " + ROLE
                + ").version > 1", SqlVersion.V2016_03_23).callsExternalFunctions()).isTrue();
        assertThat(SqlParser.parseQuery("SELECT a FROM 'x'", SqlVersion.V2016_03_23).callsExternalFunctions())
                .isFalse();
    }

    @Test
    void eachRuleKeepsItsAnswersForTheTtlOfTheMessageClock() {
        Services services = services();
        services.ttl = Duration.ofSeconds(1);
        services.size = 100;
        String sql = "SELECT get_thing_shadow(topic(2), " + ROLE + ").version AS v FROM 'cars/#' WHERE "
                + "get_thing_shadow(topic(2), " + ROLE + ").state.reported.alarm = 'ON'";
        RuleQuery rule = SqlParser.parseQuery(sql, SqlVersion.V2016_03_23);
        RuleQuery other = SqlParser.parseQuery(sql, SqlVersion.V2016_03_23);

        // WHERE and SELECT of one message, and the next message within the TTL: one request
        assertThat(rule.conditionHolds(context(services, "{}", 10_000))).isTrue();
        assertThat(rule.project(context(services, "{}", 10_000)).jsonNode().path("v").asInt()).isEqualTo(3);
        assertThat(rule.conditionHolds(context(services, "{}", 10_999))).isTrue();
        assertThat(services.asked).containsExactly("shadow car-7");

        // another rule has its own cache
        other.conditionHolds(context(services, "{}", 10_000));
        assertThat(services.asked).hasSize(2);

        // once the TTL has passed the rule asks again and sees the change
        services.shadows.put("car-7", LAMP);
        assertThat(rule.conditionHolds(context(services, "{}", 11_000))).isFalse();
        assertThat(services.asked).hasSize(3);

        // "no such shadow" is kept too; failures are not
        RuleQuery missing = SqlParser.parseQuery("SELECT get_thing_shadow('nobody', " + ROLE + ") AS s "
                + "FROM 'cars/#'", SqlVersion.V2016_03_23);
        missing.project(context(services, "{}", 20_000));
        missing.project(context(services, "{}", 20_001));
        assertThat(services.asked).hasSize(4);
        services.failure = new LookupFailedException("down");
        RuleQuery failing = SqlParser.parseQuery("SELECT get_thing_shadow('car-9', " + ROLE + ") AS s "
                + "FROM 'cars/#'", SqlVersion.V2016_03_23);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> failing.project(context(services, "{}", 30_000)))
                    .isInstanceOf(LookupFailedException.class);
        }
        assertThat(services.asked).hasSize(6);
    }

    @Test
    void aRulesCacheHoldsAtMostTheConfiguredNumberOfAnswers() {
        Services services = services();
        services.ttl = Duration.ofMinutes(1);
        services.size = 2;
        RuleQuery rule = SqlParser.parseQuery("SELECT get_thing_shadow(thing, " + ROLE + ") AS s FROM 'cars/#'",
                SqlVersion.V2016_03_23);
        for (String thing : List.of("a", "b", "c", "a")) {
            rule.project(context(services, "{\"thing\":\"" + thing + "\"}", 1));
        }
        // "a" was pushed out by "c" (least recently used first), so it is asked for again
        assertThat(services.asked).containsExactly("shadow a", "shadow b", "shadow c", "shadow a");
    }
}
