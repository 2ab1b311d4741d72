package io.openiot.rules.sql;

/**
 * An external function could not get its answer (the service is down, did not answer in time, or refused the
 * credentials). Unlike bad arguments, which make the function Undefined, this fails the rule's evaluation, so that
 * the error action (or the dead-letter topic) gets the message, as AWS invokes the error action.
 */
public class LookupFailedException extends RuntimeException {

    public LookupFailedException(String message) {
        super(message);
    }

    public LookupFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
