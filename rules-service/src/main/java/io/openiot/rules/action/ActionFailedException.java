package io.openiot.rules.action;

/**
 * An action that could not be carried out. {@code transientFailure} says whether trying the message again may help
 * (the bus did not take the record) or not (the message itself does not fit the action).
 */
public class ActionFailedException extends RuntimeException {

    private final boolean transientFailure;
    private final String resource;

    public ActionFailedException(String message, boolean transientFailure, Throwable cause) {
        this(message, transientFailure, cause, null);
    }

    /** @param resource what the action wrote to as rendered for this message (a topic), or null when not known */
    public ActionFailedException(String message, boolean transientFailure, Throwable cause, String resource) {
        super(message, cause);
        this.transientFailure = transientFailure;
        this.resource = resource;
    }

    /** The resource as rendered for the message, for the error action's {@code failedResource}; may be null. */
    public String resource() {
        return resource;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
