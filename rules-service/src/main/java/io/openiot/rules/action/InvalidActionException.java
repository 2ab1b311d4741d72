package io.openiot.rules.action;

/** An action in a rule's JSON that is unknown, incomplete or malformed. */
public class InvalidActionException extends RuntimeException {

    public InvalidActionException(String message) {
        super(message);
    }
}
