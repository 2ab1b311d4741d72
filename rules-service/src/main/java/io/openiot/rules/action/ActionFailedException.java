package io.openiot.rules.action;

/**
 * An action that could not be carried out. {@code transientFailure} says whether trying the message again may help
 * (the bus did not take the record) or not (the message itself does not fit the action).
 */
public class ActionFailedException extends RuntimeException {

    private final boolean transientFailure;

    public ActionFailedException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
