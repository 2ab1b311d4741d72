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
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs every enabled rule whose topic filter matches a message: WHERE must be exactly true, then each action gets the
 * SELECT result. One failing rule or action never stops the others. Only failures that a retry may cure (the bus did
 * not take a record) are thrown, after all rules ran, so that the binder retries and finally dead-letters the message.
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

    void process(IotMessage message) {
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
        ActionFailedException retryable = null;
        for (CompiledRule rule : rules) {
            SelectResult result;
            try {
                if (!rule.query().matches(context)) {
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
                try {
                    executor.execute(action, new ActionInvocation(rule.name(), i, message, context, result));
                    metrics.actionExecuted(action.type());
                } catch (ActionFailedException e) {
                    metrics.actionFailed(action.type());
                    log.warn("Rule {} action {} ({}) failed on {}: {}", rule.name(), i, action.type(), message,
                            e.getMessage());
                    if (e.isTransient()) {
                        retryable = e;
                    }
                } catch (RuntimeException e) {
                    metrics.actionFailed(action.type());
                    log.error("Rule {} action {} ({}) failed on {}", rule.name(), i, action.type(), message, e);
                }
            }
        }
        if (retryable != null) {
            throw retryable;
        }
    }
}
