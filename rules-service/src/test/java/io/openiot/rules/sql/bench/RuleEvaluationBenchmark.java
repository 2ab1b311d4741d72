package io.openiot.rules.sql.bench;

import io.openiot.rules.sql.MessageContext;
import io.openiot.rules.sql.Payload;
import io.openiot.rules.sql.RuleQuery;
import io.openiot.rules.sql.SqlParser;
import io.openiot.rules.sql.SqlVersion;
import io.openiot.rules.sql.TopicFilter;
import io.openiot.rules.sql.TopicFilterIndex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The rules engine's per-message work in the SQL package: one rule evaluated on a 300-byte JSON message (payload
 * parsed, WHERE, SELECT, output serialised), and finding the rules of a topic among 10,000 topic filters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RuleEvaluationBenchmark {

    private static final String SQL = "SELECT a, b.c AS d FROM 't/+' WHERE x > 10 AND startswith(y, 'z')";
    private static final int FILTERS = 10_000;

    RuleQuery query;
    byte[] payload;
    TopicFilterIndex<Integer> trie;
    TopicFilterIndex<Integer> linear;
    String topic;

    @Setup
    public void setUp() {
        query = SqlParser.parseQuery(SQL, SqlVersion.V2016_03_23);
        StringBuilder json = new StringBuilder("{\"a\":\"sensor-4711\",\"b\":{\"c\":21.5,\"unit\":\"C\"},\"x\":42,"
                + "\"y\":\"zone-7\",\"site\":\"plant-7\",\"firmware\":\"1.4.2\",\"readings\":[1,2,3,4,5,6,7,8],"
                + "\"status\":{\"battery\":87,\"rssi\":-61,\"uptime\":123456},\"pad\":\"");
        while (json.length() < 298) {
            json.append('p');
        }
        payload = json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
        if (payload.length != 300 || !query.matches(context())) {
            throw new IllegalStateException("benchmark message is not as intended: " + payload.length + " bytes");
        }
        // 10,000 filters of a fleet: per-device exact filters, per-site wildcards, a few catch-alls
        List<String> filters = new ArrayList<>(FILTERS);
        for (int i = 0; filters.size() < FILTERS; i++) {
            filters.add("fleet/site-" + (i % 100) + "/device-" + i + "/telemetry");
            if (i % 10 == 0) {
                filters.add("fleet/site-" + (i % 100) + "/+/events/" + i);
            }
            if (i % 1000 == 0) {
                filters.add("fleet/+/+/alarms/#");
            }
        }
        List<Integer> entries = new ArrayList<>();
        for (int i = 0; i < FILTERS; i++) {
            entries.add(i);
        }
        trie = TopicFilterIndex.trie(entries, i -> TopicFilter.parse(filters.get(i)));
        linear = TopicFilterIndex.linear(entries, i -> TopicFilter.parse(filters.get(i)));
        topic = "fleet/site-42/device-4242/telemetry";
        if (!trie.matching(topic).equals(linear.matching(topic)) || trie.matching(topic).size() != 1) {
            throw new IllegalStateException("indexes disagree on " + topic);
        }
    }

    private MessageContext context() {
        return MessageContext.of("t/device-1", "device-1", "trace-1", 1_700_000_000_000L, payload);
    }

    /** What the engine does per message and rule: a fresh payload is parsed, WHERE holds, the result serialised. */
    @Benchmark
    public byte[] evaluateRuleOn300ByteMessage() {
        MessageContext context = context();
        return query.conditionHolds(context) ? query.project(context).bytes() : null;
    }

    @Benchmark
    public List<Integer> topicMatchTrie10000Filters() {
        return trie.matching(topic);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public List<Integer> topicMatchLinear10000Filters() {
        return linear.matching(topic);
    }
}
