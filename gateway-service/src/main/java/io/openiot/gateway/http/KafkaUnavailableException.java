package io.openiot.gateway.http;

import io.openiot.web.problem.ApiException;
import io.openiot.web.problem.AwsErrorCodes;
import org.springframework.http.HttpStatus;

/** Kafka did not acknowledge an HTTPS publish in time; AWS answers such a failure with 500 InternalFailure. */
public class KafkaUnavailableException extends ApiException {

    KafkaUnavailableException(Throwable cause) {
        super(HttpStatus.INTERNAL_SERVER_ERROR, AwsErrorCodes.INTERNAL_FAILURE, "The message could not be stored",
                cause);
    }
}
