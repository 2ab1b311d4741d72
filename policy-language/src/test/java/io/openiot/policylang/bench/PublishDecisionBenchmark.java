package io.openiot.policylang.bench;

import io.openiot.policylang.CompiledPolicies;
import io.openiot.policylang.PolicyDocument;
import io.openiot.policylang.PrincipalContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One publish decision of a principal whose policies (10 or 1,000 statements, with policy variables, wildcards and
 * denies) were compiled for its connection; and the per-connection compile itself.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PublishDecisionBenchmark {

    private static final String ARN = "arn:aws:iot:us-east-1:000000000000:";

    @Param({"10", "1000"})
    int statements;

    List<PolicyDocument> documents;
    PrincipalContext context;
    CompiledPolicies compiled;
    String allowedTopic;
    String deniedTopic;
    String unmatchedTopic;

    @Setup
    public void setUp() {
        // policies of at most 2,048 characters each, as AWS limits them: ~8 statements per document
        documents = new ArrayList<>();
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < statements; i++) {
            batch.add(statement(i));
            if (batch.size() == 8 || i == statements - 1) {
                documents.add(PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":["
                        + String.join(",", batch) + "]}"));
                batch.clear();
            }
        }
        context = PrincipalContext.builder().clientId("sensor-4711")
                .thing(new PrincipalContext.ThingInfo("sensor-4711", "thermometer", Map.of("site", "plant-7")))
                .build();
        compiled = CompiledPolicies.compile(documents, context);
        int last = statements - 1;
        allowedTopic = "devices/sensor-4711/s" + (last - last % 4) + "/telemetry";
        deniedTopic = "devices/sensor-4711/s" + (last - last % 4) + "/admin";
        unmatchedTopic = "other/sensor-4711/telemetry";
        if (!compiled.canPublish(allowedTopic) || compiled.canPublish(deniedTopic)
                || compiled.canPublish(unmatchedTopic)) {
            throw new IllegalStateException("benchmark policies do not decide as intended");
        }
    }

    private static String statement(int i) {
        return switch (i % 4) {
            case 0 -> "{\"Effect\":\"Allow\",\"Action\":[\"iot:Publish\",\"iot:Receive\"],\"Resource\":\"" + ARN
                    + "topic/devices/${iot:ClientId}/s" + i + "/*\"}";
            case 1 -> "{\"Effect\":\"Deny\",\"Action\":\"iot:Publish\",\"Resource\":\"" + ARN
                    + "topic/devices/${iot:ClientId}/s" + (i - 1) + "/admin\"}";
            case 2 -> "{\"Effect\":\"Allow\",\"Action\":\"iot:Subscribe\",\"Resource\":\"" + ARN
                    + "topicfilter/sites/${iot:Connection.Thing.Attributes[site]}/s" + i + "/*\"}";
            default -> "{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"Resource\":\"" + ARN
                    + "topic/fleet/s" + i + "/???/data\"}";
        };
    }

    @Benchmark
    public boolean publishAllowed() {
        return compiled.canPublish(allowedTopic);
    }

    @Benchmark
    public boolean publishExplicitlyDenied() {
        return compiled.canPublish(deniedTopic);
    }

    @Benchmark
    public boolean publishMatchingNoStatement() {
        return compiled.canPublish(unmatchedTopic);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public CompiledPolicies compileForConnection() {
        return CompiledPolicies.compile(documents, context);
    }
}
