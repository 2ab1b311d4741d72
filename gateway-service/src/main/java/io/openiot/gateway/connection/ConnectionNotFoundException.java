package io.openiot.gateway.connection;

import io.openiot.web.problem.ApiException;
import io.openiot.web.problem.AwsErrorCodes;
import org.springframework.http.HttpStatus;

/** No client with this id has ever connected (or its record is gone). */
public class ConnectionNotFoundException extends ApiException {

    public ConnectionNotFoundException(String clientId) {
        super(HttpStatus.NOT_FOUND, AwsErrorCodes.RESOURCE_NOT_FOUND, "No connection found for client id " + clientId);
    }
}
