package io.openiot.gateway.http;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

/** AWS's data plane answer to a publish the caller's policies do not allow: 403 {@code ForbiddenException}. */
class ForbiddenException extends ApiException {

    static final String CODE = "ForbiddenException";

    ForbiddenException(String message) {
        super(HttpStatus.FORBIDDEN, CODE, message);
    }
}
