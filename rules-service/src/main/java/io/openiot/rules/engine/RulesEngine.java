package io.openiot.rules.engine;

import io.openiot.contracts.IotMessage;
import io.openiot.rules.action.ActionExecutor;
import io.openiot.rules.action.ActionFailedException;
import io.openiot.rules.action.ActionInvocation;
import io.openiot.rules.action.RuleAction;
import io.openiot.rules.sql.MessageContext;
import io.openiot.rules.sql.Payload;
import io.openiot.rules.sql.SelectResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs every enabled rule whose topic filter matches a message: WHERE must be exactly true, then each action gets the
 * SELECT result. One failing rule or action never stops the others.
 *
 * <p>A batch of messages is evaluated first, with every action's Kafka send started on the way; then the engine waits
 * for all of them at once. Only failures that a retry may cure (the bus did not take a record) are thrown, after the
 * whole batch ran, so that the binder retries the batch and finally dead-letters it: actions are at least once.
 */
@Component
class RulesEngine {

    private static final Logger log = LoggerFactory.getLogger(RulesEngine.class);

    private final RuleSnapshot snapshot;
    private final ActionExecutor executor;
    private final EngineMetrics metrics;
    private final EngineProperties properties;
    private final Clock clock;

    RulesEngine(RuleSnapshot snapshot, ActionExecutor executor, EngineMetrics metrics, EngineProperties properties,
                Clock clock) {
        this.snapshot = snapshot;
        this.executor = executor;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
    }

    void process(List<IotMessage> batch) {
        List<StartedAction> started = new ArrayList<>();
        for (IotMessage message : batch) {
            evaluate(message, started);
        }
        ActionFailedException retryable = null;
        // one deadline for the whole batch: the sends run side by side, so waiting for each in turn with the full
        // timeout could hold the consumer for many times that
        long deadline = System.nanoTime() + properties.actionTimeout().toNanos();
        for (StartedAction action : started) {
            ActionFailedException failure = action.await(deadline);
            if (failure == null) {
                metrics.actionExecuted(action.type());
            } else {
                metrics.actionFailed(action.type());
                log.warn("{} failed on {}: {}", action, action.invocation().message(), failure.getMessage());
                retryable = failure;
            }
        }
        metrics.batchDone();
        if (retryable != null) {
            throw retryable;
        }
    }

    private void evaluate(IotMessage message, List<StartedAction> started) {
        if (message.hopCount() >= properties.maxHopCount()) {
            metrics.hopLimitReached();
            log.debug("Not evaluating {}: hop count {} reached the limit {}", message, message.hopCount(),
                    properties.maxHopCount());
            return;
        }
        metrics.evaluated();
        List<CompiledRule> rules = snapshot.matching(message.topic());
        if (rules.isEmpty()) {
            return;
        }
        MessageContext context = new MessageContext(message.topic(), message.clientId(), message.principal(),
                message.traceId(), clock.millis(), new Payload(message.payload()));
        for (CompiledRule rule : rules) {
            SelectResult result;
            try {
                // the snapshot's topic index chose the rule: only WHERE is left to decide
                if (!rule.query().conditionHolds(context)) {
                    continue;
                }
                result = rule.query().project(context);
            } catch (RuntimeException e) {
                metrics.evaluationFailed();
                log.error("Rule {} failed on {}", rule.name(), message, e);
                continue;
            }
            metrics.matched();
            List<RuleAction> actions = rule.actions();
            for (int i = 0; i < actions.size(); i++) {
                RuleAction action = actions.get(i);
                ActionInvocation invocation = new ActionInvocation(rule.name(), i, message, context, result);
                try {
                    started.add(new StartedAction(action.type(), invocation, executor.execute(action, invocation)));
                } catch (ActionFailedException e) {
                    // the message does not fit the action (a bad key, an invalid topic): a retry would fail again
                    metrics.actionFailed(action.type());
                    log.warn("Rule {} action {} ({}) failed on {}: {}", rule.name(), i, action.type(), message,
                            e.getMessage());
                } catch (RuntimeException e) {
                    metrics.actionFailed(action.type());
                    log.error("Rule {} action {} ({}) failed on {}", rule.name(), i, action.type(), message, e);
                }
            }
        }
    }

    /** An action whose Kafka send is under way. */
    private record StartedAction(String type, ActionInvocation invocation, CompletableFuture<Void> sent) {

        /** Waits for Kafka's answer until the deadline ({@link System#nanoTime()}); returns the failure, or null. */
        ActionFailedException await(long deadline) {
            try {
                sent.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return null;
            } catch (ExecutionException e) {
                return e.getCause() instanceof ActionFailedException failure
                        ? failure : new ActionFailedException(e.getCause().getMessage(), true, e.getCause());
            } catch (TimeoutException e) {
                return new ActionFailedException("no answer from Kafka before the batch's deadline", true, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ActionFailedException("interrupted while waiting for Kafka", true, e);
            }
        }

        @Override
        public String toString() {
            return "Rule " + invocation.ruleName() + " action " + invocation.actionIndex() + " (" + type + ")";
        }
    }
}
