package io.openiot.policy.client;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

class InvalidClientRequestException extends ApiException {

    InvalidClientRequestException(String message) {
        super(HttpStatus.BAD_REQUEST, "InvalidRequestException", message);
    }
}
