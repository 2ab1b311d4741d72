package io.openiot.policy.accesskey;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

class InvalidAccessKeyRequestException extends ApiException {

    InvalidAccessKeyRequestException(String message) {
        super(HttpStatus.BAD_REQUEST, "InvalidRequestException", message);
    }
}
