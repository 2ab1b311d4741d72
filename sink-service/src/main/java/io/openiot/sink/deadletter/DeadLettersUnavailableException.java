package io.openiot.sink.deadletter;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

/** Kafka did not answer in time; nothing was committed, so the request can simply be repeated. */
class DeadLettersUnavailableException extends ApiException {

    DeadLettersUnavailableException(String message) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "ServiceUnavailableException", message);
    }
}
