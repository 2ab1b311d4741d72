package io.openiot.rules.engine;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageIds;
import io.openiot.rules.action.ActionExecutor;
import io.openiot.rules.action.ActionFailedException;
import io.openiot.rules.action.ActionInvocation;
import io.openiot.rules.action.RuleAction;
import io.openiot.rules.sql.ExternalData;
import io.openiot.rules.sql.LookupFailedException;
import io.openiot.rules.sql.MessageContext;
import io.openiot.rules.sql.Payload;
import io.openiot.rules.sql.SelectResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs every enabled rule whose topic filter matches a message: WHERE must be exactly true, then each action gets the
 * SELECT result. One failing rule or action never stops the others.
 *
 * <p>Every action of every record ends in one of three outcomes: it succeeded; it failed permanently (the message does
 * not fit it), and then the rule's error action gets AWS's error payload with all of that (rule, message)'s failures,
 * or, without an error action or when that fails too, the record goes to the rules dead-letter topic; or it failed
 * transiently (Kafka did not take the record), and then {@link #run} reports it so that the batch is tried again —
 * with the successes of this attempt remembered in the {@link AttemptMemory}, so that only the failed actions repeat.
 * A (rule, message) with a transient failure waits for its error action until the transient one has an outcome too,
 * so that it gets one error-action message with all its failures.
 *
 * <p>The sends of a batch run side by side: each stage (actions, error actions, dead letters) starts all its sends,
 * then waits once for all of them.
 */
@Component
public class RulesEngine {

    private static final Logger log = LoggerFactory.getLogger(RulesEngine.class);

    private final RuleSnapshot snapshot;
    private final ActionExecutor executor;
    private final EngineMetrics metrics;
    private final EngineProperties properties;
    private final Clock clock;
    private final ExternalData externalData;

    RulesEngine(RuleSnapshot snapshot, ActionExecutor executor, EngineMetrics metrics, EngineProperties properties,
                Clock clock, ExternalData externalData) {
        this.snapshot = snapshot;
        this.executor = executor;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
        this.externalData = externalData;
    }

    /** What an attempt at a batch left to do. */
    record Outcome(int transientFailures, int actionsDone, int deadLettered, String firstTransientError) {
    }

    /** What a replay of one dead-lettered record did. */
    public enum ReplayResult {
        /** The rule matched and its actions ran (those that had succeeded before are de-duplicated downstream). */
        REPLAYED,
        /** The rule's actions failed again; the record is on the dead-letter topic (or the error action) anew. */
        FAILED_AGAIN,
        /** The rule, as it is now, does not match the record (or the record reached the hop limit). */
        NOT_MATCHED,
        /** No enabled rule of that name. */
        RULE_MISSING,
        /** Kafka did not take the records: replay it later. */
        RETRY_LATER
    }

    /**
     * Runs one attempt at a batch.
     *
     * @param memory    the successes of earlier attempts at this batch, not repeated; this attempt's are added
     * @param giveUp    whether transient failures count as failures now (the retries took longer than allowed)
     */
    Outcome run(List<IotMessage> batch, AttemptMemory memory, boolean giveUp) {
        return run(batch, rule -> true, memory, giveUp);
    }

    /** Runs the named rule again on a record from the dead-letter topic, once (no retry here). */
    public ReplayResult replay(IotMessage message, String ruleName) {
        if (snapshot.rule(ruleName).isEmpty()) {
            return ReplayResult.RULE_MISSING;
        }
        AttemptMemory memory = new AttemptMemory();
        List<RuleRun> runs = new ArrayList<>();
        Outcome outcome = run(List.of(message), ruleName::equals, memory, false, runs);
        if (outcome.transientFailures() > 0) {
            return ReplayResult.RETRY_LATER;
        }
        if (runs.isEmpty()) {
            return ReplayResult.NOT_MATCHED;
        }
        return runs.stream().anyMatch(run -> !run.failures.isEmpty()) ? ReplayResult.FAILED_AGAIN
                : ReplayResult.REPLAYED;
    }

    private Outcome run(List<IotMessage> batch, Predicate<String> rules, AttemptMemory memory, boolean giveUp) {
        return run(batch, rules, memory, giveUp, new ArrayList<>());
    }

    private Outcome run(List<IotMessage> batch, Predicate<String> rules, AttemptMemory memory, boolean giveUp,
                        List<RuleRun> runs) {
        Attempt attempt = new Attempt(memory, giveUp);
        for (IotMessage message : batch) {
            evaluate(message, rules, runs, attempt);
        }
        attempt.awaitStage();
        for (RuleRun run : runs) {
            if (!run.failures.isEmpty() && !run.transientPending && !memory.isDone(run.errorId())) {
                startErrorAction(run, attempt);
            }
        }
        attempt.awaitStage();
        for (RuleRun run : runs) {
            if (run.deadLetterReason != null && !memory.isDone(run.deadLetterId())) {
                Failure first = run.failures.get(0);
                attempt.start(new Started(Kind.DEAD_LETTER, run, null, run.deadLetterId(),
                        KafkaTopics.RULES_DEAD_LETTERS, () -> executor.deadLetter(run.message, run.rule.name(),
                        run.deadLetterReason, first.failedAction() + ":" + first.resource(),
                        run.deadLetterError)));
            }
        }
        attempt.awaitStage();
        return new Outcome(attempt.transientFailures, attempt.done, attempt.deadLettered, attempt.firstTransientError);
    }

    private void evaluate(IotMessage message, Predicate<String> wanted, List<RuleRun> runs, Attempt attempt) {
        if (message.hopCount() >= properties.maxHopCount()) {
            metrics.hopLimitReached();
            log.debug("Not evaluating {}: hop count {} reached the limit {}", message, message.hopCount(),
                    properties.maxHopCount());
            return;
        }
        metrics.evaluated();
        // Basic Ingest ($aws/rules/<name>/...) runs the named rule only, and topic() sees the topic without the prefix
        List<CompiledRule> rules = snapshot.rulesFor(message.topic());
        if (rules.isEmpty()) {
            return;
        }
        // one context, so one parse of the payload, however many rules match
        MessageContext context = new MessageContext(BasicIngest.ruleTopic(message.topic()), message.clientId(),
                message.principal(), message.traceId(), clock.millis(), new Payload(message.payload()), null, null,
                externalData);
        for (CompiledRule rule : rules) {
            if (!wanted.test(rule.name())) {
                continue;
            }
            SelectResult result;
            try {
                // the snapshot's topic index chose the rule: only WHERE is left to decide
                if (!rule.query().conditionHolds(context)) {
                    continue;
                }
                result = rule.query().project(context);
            } catch (LookupFailedException e) {
                // AWS: a function that fails fails the rule's actions; the error action (or dead letter) gets it
                metrics.evaluationFailed();
                log.warn("Rule {} could not evaluate {}: {}", rule.name(), message, e.getMessage());
                RuleRun run = new RuleRun(rule, message, context);
                runs.add(run);
                for (RuleAction action : rule.actions()) {
                    run.failures.add(new Failure(action.failedActionName(), action.target(), e.getMessage()));
                }
                continue;
            } catch (RuntimeException e) {
                metrics.evaluationFailed();
                log.error("Rule {} failed on {}", rule.name(), message, e);
                continue;
            }
            metrics.matched(rule.name());
            RuleRun run = new RuleRun(rule, message, context);
            runs.add(run);
            List<RuleAction> actions = rule.actions();
            for (int i = 0; i < actions.size(); i++) {
                RuleAction action = actions.get(i);
                ActionInvocation invocation = new ActionInvocation(rule.name(), rule.actionKeys().get(i), message,
                        context, result);
                attempt.start(new Started(Kind.ACTION, run, action, invocation.derivedId(), action.kafkaTopic(),
                        () -> executor.execute(action, invocation)));
            }
        }
    }

    private void startErrorAction(RuleRun run, Attempt attempt) {
        CompiledRule rule = run.rule;
        Failure first = run.failures.get(0);
        if (rule.errorAction() == null) {
            run.deadLetter(run.retriesExhausted ? "retries-exhausted" : "action-failed", first.message());
            return;
        }
        ActionInvocation invocation = new ActionInvocation(rule.name(), rule.errorActionKey(), run.message,
                run.context, SelectResult.ofJsonTree(errorPayload(run)));
        attempt.start(new Started(Kind.ERROR_ACTION, run, rule.errorAction(), invocation.derivedId(),
                rule.errorAction().kafkaTopic(), () -> executor.execute(rule.errorAction(), invocation)));
    }

    /** AWS's error action payload: one per (rule, message), with every failure. */
    private static ObjectNode errorPayload(RuleRun run) {
        return ErrorPayload.of(run.rule.name(), run.message, run.failures.stream()
                .map(f -> new ErrorPayload.Entry(f.failedAction(), f.resource(), f.message())).toList());
    }

    private enum Kind { ACTION, ERROR_ACTION, DEAD_LETTER }

    /** One action's failure as the error payload lists it. */
    private record Failure(String failedAction, String resource, String message) {
    }

    /** One rule matched by one message, and what became of its actions in this attempt. */
    private static final class RuleRun {
        final CompiledRule rule;
        final IotMessage message;
        final MessageContext context;
        final List<Failure> failures = new ArrayList<>();
        boolean transientPending;
        boolean retriesExhausted;
        String deadLetterReason;
        String deadLetterError;

        RuleRun(CompiledRule rule, IotMessage message, MessageContext context) {
            this.rule = rule;
            this.message = message;
            this.context = context;
        }

        String errorId() {
            return MessageIds.derived(message.messageId(), rule.name(),
                    rule.errorActionKey() == null ? "errorAction:none" : rule.errorActionKey());
        }

        String deadLetterId() {
            return MessageIds.derived(message.messageId(), rule.name(), "deadLetter");
        }

        void deadLetter(String reason, String error) {
            deadLetterReason = reason;
            deadLetterError = error;
        }
    }

    /** A send under way. */
    private record Started(Kind kind, RuleRun run, RuleAction action, String id, String kafkaTopic,
                           Supplier<CompletableFuture<Void>> send) {

        String describe() {
            return switch (kind) {
                case ACTION -> "Rule " + run.rule.name() + " action " + action.baseKey();
                case ERROR_ACTION -> "Rule " + run.rule.name() + " error action " + action.baseKey();
                case DEAD_LETTER -> "Dead letter of rule " + run.rule.name();
            };
        }

        String resource(ActionFailedException failure) {
            String rendered = failure.resource();
            return rendered != null ? rendered : action.target();
        }
    }

    /** One attempt: the sends of the current stage, and what became of them. */
    private final class Attempt {
        private final AttemptMemory memory;
        private final boolean giveUp;
        /** Kafka topics that failed transiently in this attempt: later sends to them wait for the next attempt. */
        private final Set<String> unavailable = new HashSet<>();
        private final List<Map.Entry<Started, CompletableFuture<Void>>> stage = new ArrayList<>();
        int transientFailures;
        int done;
        int deadLettered;
        String firstTransientError;

        Attempt(AttemptMemory memory, boolean giveUp) {
            this.memory = memory;
            this.giveUp = giveUp;
        }

        void start(Started started) {
            if (memory.isDone(started.id())) {
                return;
            }
            if (unavailable.contains(started.kafkaTopic())) {
                // a send to a topic Kafka has no metadata for blocks for max.block.ms; one per attempt is enough
                failed(started, new ActionFailedException("not sent: an earlier send to " + started.kafkaTopic()
                        + " failed in this attempt", true, null));
                return;
            }
            CompletableFuture<Void> future;
            long startedAt = System.nanoTime();
            try {
                future = started.send().get();
            } catch (ActionFailedException e) {
                failed(started, e);
                return;
            } catch (RuntimeException e) {
                log.error("{} failed on {}", started.describe(), started.run().message, e);
                failed(started, new ActionFailedException(String.valueOf(e.getMessage()), false, e));
                return;
            }
            if (future.isCompletedExceptionally()) {
                // failed at once (no metadata within max.block.ms): handled now, so that the topic is skipped
                ActionFailedException failure = await(future, System.nanoTime());
                failed(started, failure);
                return;
            }
            if (started.kind() == Kind.ACTION) {
                // the time Kafka took to acknowledge, recorded when it answers, not when this thread looks
                future.whenComplete((ignored, error) -> metrics.actionLatency(started.run().rule.name(),
                        started.action().type(), System.nanoTime() - startedAt));
            }
            stage.add(Map.entry(started, future));
        }

        void awaitStage() {
            // one deadline for the whole stage: the sends run side by side, so waiting for each in turn with the
            // full timeout could hold the consumer for many times that
            long deadline = System.nanoTime() + properties.actionTimeout().toNanos();
            for (Map.Entry<Started, CompletableFuture<Void>> entry : stage) {
                ActionFailedException failure = await(entry.getValue(), deadline);
                if (failure == null) {
                    succeeded(entry.getKey());
                } else {
                    failed(entry.getKey(), failure);
                }
            }
            stage.clear();
        }

        private void succeeded(Started started) {
            memory.markDone(started.id());
            done++;
            switch (started.kind()) {
                case ACTION -> metrics.actionExecuted(started.run().rule.name(), started.action().type());
                case ERROR_ACTION -> metrics.errorActionExecuted();
                case DEAD_LETTER -> {
                    deadLettered++;
                    metrics.deadLettered(started.run().deadLetterReason);
                    log.warn("Dead-lettered {} for rule {} ({}): {}", started.run().message,
                            started.run().rule.name(), started.run().deadLetterReason,
                            started.run().deadLetterError);
                }
            }
        }

        private void failed(Started started, ActionFailedException failure) {
            RuleRun run = started.run();
            boolean retry = failure.isTransient() && !(giveUp && started.kind() == Kind.ACTION);
            if (retry) {
                unavailable.add(started.kafkaTopic());
                transientFailures++;
                metrics.transientFailure(started.kind() == Kind.ACTION ? started.action().type() : kindTag(started));
                if (firstTransientError == null) {
                    firstTransientError = started.describe() + ": " + failure.getMessage();
                }
                run.transientPending = true;
                return;
            }
            switch (started.kind()) {
                case ACTION -> {
                    metrics.actionFailed(started.run().rule.name(), started.action().type());
                    log.warn("{} failed permanently on {}: {}", started.describe(), run.message, failure.getMessage());
                    run.failures.add(new Failure(started.action().failedActionName(), started.resource(failure),
                            failure.getMessage()));
                    run.retriesExhausted |= failure.isTransient();
                }
                case ERROR_ACTION -> {
                    metrics.actionFailed(MetricTags.ERROR_ACTION);
                    log.warn("{} failed permanently on {}: {}", started.describe(), run.message, failure.getMessage());
                    run.deadLetter("error-action-failed", failure.getMessage());
                }
                case DEAD_LETTER -> {
                    // Kafka refuses the record itself (too large): nothing is left to put it anywhere
                    metrics.deadLetterFailed();
                    log.error("{} refused for {}; the record stays only on its source topic: {}",
                            started.describe(), run.message, failure.getMessage());
                }
            }
        }

        private String kindTag(Started started) {
            return started.kind() == Kind.ERROR_ACTION ? MetricTags.ERROR_ACTION : MetricTags.DEAD_LETTER;
        }

        /** Waits for Kafka's answer until the deadline ({@link System#nanoTime()}); returns the failure, or null. */
        private ActionFailedException await(CompletableFuture<Void> sent, long deadline) {
            try {
                sent.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return null;
            } catch (ExecutionException e) {
                return e.getCause() instanceof ActionFailedException failure
                        ? failure : new ActionFailedException(String.valueOf(e.getCause().getMessage()), true,
                        e.getCause());
            } catch (TimeoutException e) {
                return new ActionFailedException("no answer from Kafka before the deadline", true, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ActionFailedException("interrupted while waiting for Kafka", true, e);
            }
        }
    }

    /** Tags of the failure metrics for what is not one of the rule's own actions. */
    private static final class MetricTags {
        static final String ERROR_ACTION = "errorAction";
        static final String DEAD_LETTER = "deadLetter";
    }
}
