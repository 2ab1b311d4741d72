package io.openiot.registry.web;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

/** AWS IoT's {@code LimitExceededException}, with the HTTP status AWS's control plane gives it. */
public class LimitExceededException extends ApiException {

    public LimitExceededException(String message) {
        super(HttpStatus.GONE, "LimitExceededException", message);
    }
}
