package io.openiot.rules.engine;

import io.openiot.contracts.IotMessage;
import io.openiot.rules.action.ActionExecutor;
import io.openiot.rules.action.ActionFailedException;
import io.openiot.rules.action.ActionInvocation;
import io.openiot.rules.action.ActionKeys;
import io.openiot.rules.action.LateFailureHandler;
import io.openiot.rules.action.RuleAction;
import io.openiot.rules.sql.MessageContext;
import io.openiot.rules.sql.Payload;
import io.openiot.rules.sql.SelectResult;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The engine's failure path for actions decided after their batch was committed (an {@code http} action after its
 * last attempt): the rule's error action gets AWS's payload with this one failure; without one, or when it fails
 * too, the message goes to the dead-letter topic, from which a replay runs the rule again. The Kafka sends here are
 * not retried: a failure is logged and counted ({@code iot.rules.dead-letters.failed}).
 */
@Component
class LateActionFailures implements LateFailureHandler {

    private static final Logger log = LoggerFactory.getLogger(LateActionFailures.class);

    private final RuleSnapshot snapshot;
    private final ActionExecutor executor;
    private final EngineMetrics metrics;
    private final Clock clock;

    LateActionFailures(RuleSnapshot snapshot, ActionExecutor executor, EngineMetrics metrics, Clock clock) {
        this.snapshot = snapshot;
        this.executor = executor;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void failed(ActionInvocation invocation, RuleAction action, ActionFailedException failure) {
        IotMessage message = invocation.message();
        String resource = failure.resource() != null ? failure.resource() : action.target();
        boolean isErrorAction = invocation.actionKey().startsWith(ActionKeys.ERROR_ACTION_PREFIX);
        metrics.actionFailed(isErrorAction ? "errorAction" : action.type());
        Optional<CompiledRule> rule = snapshot.rule(invocation.ruleName());
        if (isErrorAction || rule.isEmpty() || rule.get().errorAction() == null) {
            deadLetter(invocation, isErrorAction ? "error-action-failed" : "action-failed",
                    action.failedActionName() + ":" + resource, failure.getMessage());
            return;
        }
        CompiledRule current = rule.get();
        // a context of its own: the batch's context may still be in use by the consumer thread
        MessageContext context = new MessageContext(message.topic(), message.clientId(), message.principal(),
                message.traceId(), clock.millis(), new Payload(message.payload()));
        ActionInvocation errorInvocation = new ActionInvocation(current.name(), current.errorActionKey(), message,
                context, SelectResult.ofJsonTree(ErrorPayload.of(current.name(), message,
                List.of(new ErrorPayload.Entry(action.failedActionName(), resource, failure.getMessage())))));
        CompletableFuture<Void> sent;
        try {
            sent = executor.execute(current.errorAction(), errorInvocation);
        } catch (ActionFailedException e) {
            deadLetter(invocation, "error-action-failed", action.failedActionName() + ":" + resource, e.getMessage());
            return;
        }
        sent.whenComplete((ok, error) -> {
            if (error == null) {
                metrics.errorActionExecuted();
            } else {
                deadLetter(invocation, "error-action-failed", action.failedActionName() + ":" + resource,
                        String.valueOf(error.getMessage()));
            }
        });
    }

    private void deadLetter(ActionInvocation invocation, String reason, String failedAction, String error) {
        executor.deadLetter(invocation.message(), invocation.ruleName(), reason, failedAction, error)
                .whenComplete((ok, failure) -> {
                    if (failure == null) {
                        metrics.deadLettered(reason);
                        log.warn("Dead-lettered {} for rule {} ({}): {}", invocation.message(), invocation.ruleName(),
                                reason, error);
                    } else {
                        metrics.deadLetterFailed();
                        log.error("Dead letter of rule {} for {} not written: {}", invocation.ruleName(),
                                invocation.message(), failure.getMessage());
                    }
                });
    }
}
