package io.openiot.rules.sql;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** AWS IoT SQL semantics, one row per behaviour: statement, topic, payload → value of the WHERE clause. */
class RuleQueryConformanceTest {

    private static final String TOPIC = "iot/ccar-ad/car-7/telemetry";
    private static final String UNDEFINED = "Undefined";

    static Stream<Arguments> whereClauses() {
        return Stream.of(
                // the example
                row("speed > 120", "{\"speed\":140}", "true"),
                row("speed > 120", "{\"speed\":100}", "false"),
                row("speed > 120", "{}", UNDEFINED),
                row("speed > 120", "not json at all", UNDEFINED),
                row("speed > 120", "", UNDEFINED),
                row("speed > 120", "[1,2]", UNDEFINED),
                // ordering converts both sides to Decimal; a String only if it looks numeric
                row("speed > 120", "{\"speed\":\"140\"}", "true"),
                row("speed > 120", "{\"speed\":\"1.4E2\"}", "true"),
                row("speed > 120", "{\"speed\":\"fast\"}", UNDEFINED),
                row("speed > 120", "{\"speed\":true}", UNDEFINED),
                row("speed > 120", "{\"speed\":null}", UNDEFINED),
                row("speed > 120.5", "{\"speed\":120.50001}", "true"),
                row("speed >= 120", "{\"speed\":120.0}", "true"),
                row("speed < 120", "{\"speed\":-3}", "true"),
                row("speed <= -3", "{\"speed\":-3}", "true"),
                row("speed > 99999999999999999999", "{\"speed\":100000000000000000000}", "true"),
                // = and <> : numbers by value, type mismatch is simply unequal
                row("speed = 140", "{\"speed\":140.0}", "true"),
                row("speed = '140'", "{\"speed\":140}", "false"),
                row("speed <> '140'", "{\"speed\":140}", "true"),
                row("speed != 140", "{\"speed\":140}", "false"),
                row("name = 'car'", "{\"name\":\"car\"}", "true"),
                row("name = \"car\"", "{\"name\":\"car\"}", "true"),
                row("flag = true", "{\"flag\":true}", "true"),
                row("flag = 'true'", "{\"flag\":true}", "false"),
                row("v = NULL", "{\"v\":null}", "true"),
                row("v <> NULL", "{\"v\":null}", "false"),
                row("missing = 1", "{}", UNDEFINED),
                row("missing <> 1", "{}", UNDEFINED),
                row("a = b", "{\"a\":[1,{\"x\":2}],\"b\":[1,{\"x\":2.0}]}", "true"),
                row("a = b", "{\"a\":[1,2],\"b\":[2,1]}", "false"),
                row("a = b", "{\"a\":{\"x\":1,\"y\":2},\"b\":{\"y\":2,\"x\":1}}", "true"),
                // nested fields and array indexes
                row("state.reported.temp > 30", "{\"state\":{\"reported\":{\"temp\":31}}}", "true"),
                row("state.reported.temp > 30", "{\"state\":{\"reported\":5}}", UNDEFINED),
                row("a.b[1].c = 'y'", "{\"a\":{\"b\":[{\"c\":\"x\"},{\"c\":\"y\"}]}}", "true"),
                row("a.b[5].c = 'y'", "{\"a\":{\"b\":[{\"c\":\"x\"}]}}", UNDEFINED),
                // AND / OR / NOT with Booleans, "true"/"false" strings, and Undefined
                row("speed > 120 AND gear = 5", "{\"speed\":140,\"gear\":5}", "true"),
                row("speed > 120 AND gear = 5", "{\"speed\":140,\"gear\":4}", "false"),
                row("speed > 120 AND gear = 5", "{\"speed\":140}", UNDEFINED),
                row("speed > 120 OR gear = 5", "{\"speed\":100,\"gear\":5}", "true"),
                row("speed > 120 OR gear = 5", "{\"speed\":100}", UNDEFINED),
                row("NOT speed > 120", "{\"speed\":100}", "true"),
                row("NOT speed > 120", "{}", UNDEFINED),
                row("NOT (speed > 120 OR gear = 5)", "{\"speed\":1,\"gear\":1}", "true"),
                row("ok AND ok2", "{\"ok\":\"TRUE\",\"ok2\":true}", "true"),
                row("ok AND ok2", "{\"ok\":\"yes\",\"ok2\":true}", UNDEFINED),
                row("ok OR ok2", "{\"ok\":1,\"ok2\":true}", UNDEFINED),
                row("a = 1 OR b = 2 AND c = 3", "{\"a\":1,\"b\":0,\"c\":0}", "true"),
                // arithmetic
                row("speed * 2 = 280", "{\"speed\":140}", "true"),
                row("speed / 3 = 46", "{\"speed\":140}", "true"),
                row("speed / 4.0 = 35", "{\"speed\":140}", "true"),
                row("speed % 100 = 40", "{\"speed\":140}", "true"),
                row("speed - -10 = 150", "{\"speed\":140}", "true"),
                row("-speed = -140", "{\"speed\":140}", "true"),
                row("name + '!' = 'car!'", "{\"name\":\"car\"}", "true"),
                row("speed / 0 = 1", "{\"speed\":140}", UNDEFINED),
                // functions
                row("topic() = 'iot/ccar-ad/car-7/telemetry'", "{}", "true"),
                row("topic(3) = 'car-7'", "{}", "true"),
                row("topic(9) = 'x'", "{}", UNDEFINED),
                row("clientid() = 'car-7-client'", "{}", "true"),
                row("traceid() = 'trace-1'", "{}", "true"),
                row("timestamp() = 1700000000000", "{}", "true"),
                row("upper(name) = 'CAR'", "{\"name\":\"car\"}", "true"),
                row("isUndefined(nothing)", "{}", "true"),
                row("isNull(v)", "{\"v\":null}", "true"));
    }

    @ParameterizedTest(name = "WHERE {0} on {1} is {2}")
    @MethodSource("whereClauses")
    void evaluatesWhereClausesWithAwsSemantics(String where, String payload, String expected) {
        RuleQuery query = SqlParser.parseQuery("SELECT * FROM 'iot/ccar-ad/#' WHERE " + where);
        Value value = query.condition(context(payload));
        assertThat(describe(value)).isEqualTo(expected);
        assertThat(query.matches(context(payload))).isEqualTo(expected.equals("true"));
    }

    @Test
    void firesOnlyForMatchingTopics() {
        RuleQuery query = SqlParser.parseQuery("SELECT * FROM 'iot/ccar-ad/#' WHERE speed > 120");
        assertThat(query.matches(context("{\"speed\":140}"))).isTrue();
        assertThat(query.matches(MessageContext.of("other/topic", null, null, 0, "{\"speed\":140}".getBytes(UTF_8))))
                .isFalse();
    }

    @Test
    void selectStarPassesTheRawPayloadThrough() {
        RuleQuery query = SqlParser.parseQuery("SELECT * FROM '#'");
        SelectResult json = query.project(context("{ \"speed\" : 140 }"));
        assertThat(new String(json.bytes(), UTF_8)).isEqualTo("{ \"speed\" : 140 }");
        assertThat(json.isJson()).isTrue();
        SelectResult raw = query.project(context("\u0001binary"));
        assertThat(new String(raw.bytes(), UTF_8)).isEqualTo("\u0001binary");
        assertThat(raw.isJson()).isFalse();
    }

    @Test
    void selectListLeavesUndefinedKeysOut() {
        RuleQuery query = SqlParser.parseQuery("SELECT speed, state.reported.temp AS t, missing, topic(2) AS fleet, "
                + "clientid(), speed * 2 FROM '#'");
        SelectResult result = query.project(context("{\"speed\":140,\"state\":{\"reported\":{\"temp\":21.5}}}"));
        assertThat(new String(result.bytes(), UTF_8)).isEqualTo(
                "{\"speed\":140,\"t\":21.5,\"fleet\":\"ccar-ad\",\"clientid\":\"car-7-client\",\"_6\":280}");
    }

    @Test
    void selectStarWithExtraItemsAddsKeys() {
        RuleQuery query = SqlParser.parseQuery("SELECT *, topic(3) AS car FROM '#'");
        assertThat(new String(query.project(context("{\"speed\":1}")).bytes(), UTF_8))
                .isEqualTo("{\"speed\":1,\"car\":\"car-7\"}");
    }

    @Test
    void keepsTheTopicFilterWithoutQuotes() {
        assertThat(SqlParser.parseQuery("select * from 'iot/+/x' where a = 1").topicFilter())
                .hasToString("iot/+/x");
    }

    private static MessageContext context(String payload) {
        return new MessageContext(TOPIC, "car-7-client", null, "trace-1", 1_700_000_000_000L,
                new Payload(payload.getBytes(UTF_8)));
    }

    private static String describe(Value value) {
        if (value.isUndefined()) {
            return UNDEFINED;
        }
        if (value instanceof Value.Bool b) {
            return Boolean.toString(b.value());
        }
        return value.toString();
    }

    private static Arguments row(String where, String payload, String expected) {
        return Arguments.of(where, payload, expected);
    }
}
