package io.openiot.rules.action;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.MessageIds;
import io.openiot.rules.sql.MessageContext;
import io.openiot.rules.sql.SelectResult;

/**
 * One action to run for one message that a rule matched.
 *
 * @param ruleName    the rule
 * @param actionIndex position of the action in the rule, part of idempotency keys
 * @param message     the original message
 * @param context     the original message as templates see it
 * @param result      the rule's SELECT result
 */
public record ActionInvocation(String ruleName, int actionIndex, IotMessage message, MessageContext context,
                               SelectResult result) {

    /** The id of what this action makes of the message; the same on every retry of it. */
    public String derivedId() {
        return MessageIds.derived(message.messageId(), ruleName, "action-" + actionIndex);
    }
}
