package io.openiot.registry.web;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

/** AWS IoT's {@code DeleteConflictException}, with the HTTP status AWS's control plane gives it. */
public class DeleteConflictException extends ApiException {

    public DeleteConflictException(String message) {
        super(HttpStatus.CONFLICT, "DeleteConflictException", message);
    }
}
