package io.openiot.gateway;

import io.openiot.web.problem.ApiException;
import io.openiot.web.problem.AwsErrorCodes;
import org.springframework.http.HttpStatus;

/** A request that AWS would answer with 400 {@code InvalidRequestException}. */
public class InvalidRequestException extends ApiException {

    public InvalidRequestException(String message) {
        super(HttpStatus.BAD_REQUEST, AwsErrorCodes.INVALID_REQUEST, message);
    }
}
