package io.openiot.registry.web;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

/** AWS IoT's {@code VersionConflictException}, with the HTTP status AWS's control plane gives it. */
public class VersionConflictException extends ApiException {

    public VersionConflictException(String message) {
        super(HttpStatus.CONFLICT, "VersionConflictException", message);
    }
}
