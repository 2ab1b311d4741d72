package io.openiot.rules.action;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.MessageIds;
import io.openiot.rules.sql.MessageContext;
import io.openiot.rules.sql.SelectResult;

/**
 * One action to run for one message that a rule matched.
 *
 * @param ruleName  the rule
 * @param actionKey the action's stable key in the rule ({@link ActionKeys}), part of the derived id
 * @param message   the original message
 * @param context   the original message as templates see it
 * @param result    what the action carries: the rule's SELECT result, or the error payload for an error action
 */
public record ActionInvocation(String ruleName, String actionKey, IotMessage message, MessageContext context,
                               SelectResult result) {

    /** The id of what this action makes of the message; the same on every retry, restart and reordering. */
    public String derivedId() {
        return MessageIds.derived(message.messageId(), ruleName, actionKey);
    }
}
