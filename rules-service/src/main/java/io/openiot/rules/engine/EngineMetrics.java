package io.openiot.rules.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    EngineMetrics(MeterRegistry registry, RuleSnapshot snapshot, EngineProperties properties, Clock clock) {
        this.registry = registry;
        this.clock = clock;
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

    void matched() {
        matched.increment();
        matchesSinceSummary.incrementAndGet();
    }

    void evaluationFailed() {
        evaluationFailed.increment();
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

    void batchDone() {
        batchesSinceSummary.incrementAndGet();
        long now = clock.millis();
        long last = lastSummary.get();
        // only one consumer thread wins the right to log a summary for this interval
        if (now - last < summaryIntervalMillis || !lastSummary.compareAndSet(last, now)) {
            return;
        }
        log.info("Evaluated {} messages in {} batches over the last {} s: {} rule matches, {} actions done, {} failed",
                messagesSinceSummary.getAndSet(0), batchesSinceSummary.getAndSet(0), (now - last) / 1000,
                matchesSinceSummary.getAndSet(0), actionsSinceSummary.getAndSet(0),
                failuresSinceSummary.getAndSet(0));
    }
}
