package io.openiot.policy.client;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

/** No active client has this id (never created, or revoked). */
public class ClientNotFoundException extends ApiException {

    public ClientNotFoundException(String clientId) {
        super(HttpStatus.NOT_FOUND, "ResourceNotFoundException", "client " + clientId + " does not exist");
    }
}
