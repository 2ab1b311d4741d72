package io.openiot.rules.action;

/**
 * Takes the failure of an action whose outcome is decided after the engine has moved on (an {@code http} action
 * after its last attempt): runs the rule's error action, or dead-letters the message, as the engine would have.
 */
public interface LateFailureHandler {

    void failed(ActionInvocation invocation, RuleAction action, ActionFailedException failure);
}
