package io.openiot.registry.web;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

/** AWS IoT's {@code InvalidRequestException}, with the HTTP status AWS's control plane gives it. */
public class InvalidRequestException extends ApiException {

    public InvalidRequestException(String message) {
        super(HttpStatus.BAD_REQUEST, "InvalidRequestException", message);
    }
}
