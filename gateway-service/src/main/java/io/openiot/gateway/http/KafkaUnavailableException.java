package io.openiot.gateway.http;

/** Kafka did not acknowledge an HTTPS publish in time; AWS answers such a failure with 500 InternalFailure. */
public class KafkaUnavailableException extends RuntimeException {

    KafkaUnavailableException(Throwable cause) {
        super("The message could not be stored", cause);
    }
}
