package io.openiot.rules.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Counters of the engine's work, under {@code iot.rules.*}, and a progress summary at INFO at most once per
 * {@link EngineProperties#summaryInterval()} (batches arrive thousands of times a second).
 */
@Component
class EngineMetrics {

    private static final Logger log = LoggerFactory.getLogger(EngineMetrics.class);

    private final MeterRegistry registry;
    private final Clock clock;
    private final long summaryIntervalMillis;
    private final AtomicLong lastSummary;
    private final AtomicLong batchesSinceSummary = new AtomicLong();
    private final AtomicLong messagesSinceSummary = new AtomicLong();
    private final AtomicLong matchesSinceSummary = new AtomicLong();
    private final AtomicLong actionsSinceSummary = new AtomicLong();
    private final AtomicLong failuresSinceSummary = new AtomicLong();
    private final Counter evaluated;
    private final Counter hopLimit;
    private final Counter matched;
    private final Counter evaluationFailed;
    private final Counter malformed;
    private final Map<String, Counter> executed = new ConcurrentHashMap<>();
    private final Map<String, Counter> failed = new ConcurrentHashMap<>();
    private final Map<String, Counter> transientFailures = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
    private final Counter errorActions;
    private final Counter deadLetterFailed;
    private final AtomicInteger waiting = new AtomicInteger();
    private final Counter unmatched;
    // per rule: bounded by the number of rules; the meters of deleted or disabled rules are removed (forgetRulesExcept)
    private final Map<String, Counter> ruleMatched = new ConcurrentHashMap<>();
    private final Map<RuleAction, Counter> ruleFired = new ConcurrentHashMap<>();
    private final Map<RuleAction, Counter> ruleFailed = new ConcurrentHashMap<>();
    private final Map<RuleAction, Timer> actionLatency = new ConcurrentHashMap<>();
    private final RuleSnapshot snapshot;

    private record RuleAction(String rule, String action) {
    }

    EngineMetrics(MeterRegistry registry, RuleSnapshot snapshot, EngineProperties properties, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.snapshot = snapshot;
        this.unmatched = Counter.builder("iot.rules.messages.skipped").tag("reason", "no-rule")
                .description("records whose topic (the record key) matches no rule, skipped before decoding")
                .register(registry);
        this.summaryIntervalMillis = properties.summaryInterval().toMillis();
        this.lastSummary = new AtomicLong(clock.millis());
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
        this.errorActions = Counter.builder("iot.rules.error-actions.executed")
                .description("error-action messages delivered, one per (rule, message) with failures")
                .register(registry);
        this.deadLetterFailed = Counter.builder("iot.rules.dead-letters.failed")
                .description("records Kafka refused even on the dead-letter topic (too large)").register(registry);
        Gauge.builder("iot.rules.retry.waiting", waiting, AtomicInteger::get)
                .description("consumer threads whose batch waits for a transient failure to clear "
                        + "(their partitions are paused)").register(registry);
        Gauge.builder("iot.rules.active", snapshot, RuleSnapshot::size)
                .description("enabled rules in the snapshot").register(registry);
    }

    void evaluated() {
        evaluated.increment();
        messagesSinceSummary.incrementAndGet();
    }

    void hopLimitReached() {
        hopLimit.increment();
    }

    void malformed() {
        malformed.increment();
    }

    void matched(String rule) {
        matched.increment();
        matchesSinceSummary.incrementAndGet();
        ruleMatched.computeIfAbsent(rule, r -> Counter.builder("iot.rules.rule.matched").tag("rule", r)
                .description("messages this rule matched (FROM, or Basic Ingest, and WHERE true)")
                .register(registry)).increment();
    }

    void unmatched() {
        unmatched.increment();
    }

    void actionLatency(String rule, String type, long nanos) {
        actionLatency.computeIfAbsent(new RuleAction(rule, type), key -> Timer.builder("iot.rules.rule.actions.latency")
                .tags("rule", rule, "action", type)
                .description("from starting an action's send until Kafka acknowledged or refused it")
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    void evaluationFailed() {
        evaluationFailed.increment();
    }

    void actionExecuted(String rule, String type) {
        ruleFired.computeIfAbsent(new RuleAction(rule, type), key -> Counter.builder("iot.rules.rule.actions.fired")
                .tags("rule", rule, "action", type).description("actions of this rule carried out")
                .register(registry)).increment();
        actionExecuted(type);
    }

    void actionFailed(String rule, String type) {
        ruleFailed.computeIfAbsent(new RuleAction(rule, type), key -> Counter.builder("iot.rules.rule.actions.failed")
                .tags("rule", rule, "action", type).description("actions of this rule that failed permanently")
                .register(registry)).increment();
        actionFailed(type);
    }

    void actionExecuted(String type) {
        executed.computeIfAbsent(type, t -> Counter.builder("iot.rules.actions.executed").tag("action", t)
                .description("actions carried out").register(registry)).increment();
        actionsSinceSummary.incrementAndGet();
    }

    void actionFailed(String type) {
        failed.computeIfAbsent(type, t -> Counter.builder("iot.rules.actions.failed").tag("action", t)
                .description("actions that failed").register(registry)).increment();
        failuresSinceSummary.incrementAndGet();
    }

    void transientFailure(String type) {
        transientFailures.computeIfAbsent(type, t -> Counter.builder("iot.rules.actions.transient-failures")
                .tag("action", t).description("sends Kafka did not take; retried").register(registry)).increment();
    }

    void errorActionExecuted() {
        errorActions.increment();
    }

    void deadLettered(String reason) {
        deadLettered.computeIfAbsent(reason, r -> Counter.builder("iot.rules.dead-letters").tag("reason", r)
                .description("records put on the rules dead-letter topic, one per (rule, message)")
                .register(registry)).increment();
    }

    void deadLetterFailed() {
        deadLetterFailed.increment();
    }

    void retryWaitStarted() {
        waiting.incrementAndGet();
    }

    void retryWaitEnded() {
        waiting.decrementAndGet();
    }

    /** Removes the per-rule meters of rules that no longer run, so that their number follows the rules. */
    private void forgetDroppedRules() {
        ruleMatched.entrySet().removeIf(entry -> dropped(entry.getKey(), entry.getValue()));
        ruleFired.entrySet().removeIf(entry -> dropped(entry.getKey().rule(), entry.getValue()));
        ruleFailed.entrySet().removeIf(entry -> dropped(entry.getKey().rule(), entry.getValue()));
        actionLatency.entrySet().removeIf(entry -> dropped(entry.getKey().rule(), entry.getValue()));
    }

    private boolean dropped(String rule, Meter meter) {
        if (snapshot.rule(rule).isPresent()) {
            return false;
        }
        registry.remove(meter);
        return true;
    }

    void batchDone() {
        batchesSinceSummary.incrementAndGet();
        long now = clock.millis();
        long last = lastSummary.get();
        // only one consumer thread wins the right to log a summary for this interval
        if (now - last < summaryIntervalMillis || !lastSummary.compareAndSet(last, now)) {
            return;
        }
        forgetDroppedRules();
        log.info("Evaluated {} messages in {} batches over the last {} s: {} rule matches, {} actions done, {} failed",
                messagesSinceSummary.getAndSet(0), batchesSinceSummary.getAndSet(0), (now - last) / 1000,
                matchesSinceSummary.getAndSet(0), actionsSinceSummary.getAndSet(0),
                failuresSinceSummary.getAndSet(0));
    }
}
