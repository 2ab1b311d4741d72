package io.openiot.registry.web;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

/** AWS IoT's {@code ResourceNotFoundException}, with the HTTP status AWS's control plane gives it. */
public class ResourceNotFoundException extends ApiException {

    public ResourceNotFoundException(String message) {
        super(HttpStatus.NOT_FOUND, "ResourceNotFoundException", message);
    }
}
