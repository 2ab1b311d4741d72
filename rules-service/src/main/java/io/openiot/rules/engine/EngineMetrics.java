package io.openiot.rules.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Counters of the engine's work, under {@code iot.rules.*}. */
@Component
class EngineMetrics {

    private final MeterRegistry registry;
    private final Counter evaluated;
    private final Counter hopLimit;
    private final Counter matched;
    private final Counter evaluationFailed;
    private final Counter malformed;
    private final Map<String, Counter> executed = new ConcurrentHashMap<>();
    private final Map<String, Counter> failed = new ConcurrentHashMap<>();

    EngineMetrics(MeterRegistry registry, RuleSnapshot snapshot) {
        this.registry = registry;
        this.evaluated = Counter.builder("iot.rules.messages.evaluated")
                .description("messages evaluated against the rules").register(registry);
        this.hopLimit = Counter.builder("iot.rules.messages.skipped").tag("reason", "hop-limit")
                .description("messages not evaluated because they were republished too often").register(registry);
        this.matched = Counter.builder("iot.rules.rules.matched")
                .description("rule matches (WHERE true) over all messages").register(registry);
        this.evaluationFailed = Counter.builder("iot.rules.evaluation.failed")
                .description("rule evaluations that failed unexpectedly").register(registry);
        this.malformed = Counter.builder("iot.rules.messages.skipped").tag("reason", "malformed")
                .description("records on the message topic without an MQTT topic").register(registry);
        Gauge.builder("iot.rules.active", snapshot, RuleSnapshot::size)
                .description("enabled rules in the snapshot").register(registry);
    }

    void evaluated() {
        evaluated.increment();
    }

    void hopLimitReached() {
        hopLimit.increment();
    }

    void malformed() {
        malformed.increment();
    }

    void matched() {
        matched.increment();
    }

    void evaluationFailed() {
        evaluationFailed.increment();
    }

    void actionExecuted(String type) {
        executed.computeIfAbsent(type, t -> Counter.builder("iot.rules.actions.executed").tag("action", t)
                .description("actions carried out").register(registry)).increment();
    }

    void actionFailed(String type) {
        failed.computeIfAbsent(type, t -> Counter.builder("iot.rules.actions.failed").tag("action", t)
                .description("actions that failed").register(registry)).increment();
    }
}
