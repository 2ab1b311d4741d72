package io.openiot.gateway.http;

import io.openiot.web.problem.ApiException;
import io.openiot.web.problem.AwsErrorCodes;
import org.springframework.http.HttpStatus;

/**
 * Kafka did not acknowledge an HTTPS publish in time. Answered 503 ServiceUnavailableException: the cause is passing
 * and the client should publish again (AWS's data plane uses this code for a service that cannot serve for now).
 */
public class KafkaUnavailableException extends ApiException {

    KafkaUnavailableException(Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, AwsErrorCodes.SERVICE_UNAVAILABLE,
                "Kafka did not acknowledge the message in time; it may not be stored, publish it again", cause);
    }
}
