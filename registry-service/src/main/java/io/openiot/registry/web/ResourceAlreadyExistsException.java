package io.openiot.registry.web;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

/** AWS IoT's {@code ResourceAlreadyExistsException}, with the HTTP status AWS's control plane gives it. */
public class ResourceAlreadyExistsException extends ApiException {

    public ResourceAlreadyExistsException(String message) {
        super(HttpStatus.CONFLICT, "ResourceAlreadyExistsException", message);
    }
}
