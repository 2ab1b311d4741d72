package io.openiot.shadow.store;

/** Kafka did not take a shadow response in time: a transient failure the caller retries. */
public final class ResponsesNotSentException extends RuntimeException {

    ResponsesNotSentException(Exception cause) {
        super("shadow response not sent to Kafka", cause);
    }
}
