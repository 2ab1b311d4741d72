package io.openiot.gateway.connection;

/** No client with this id has ever connected (or its record is gone). */
public class ConnectionNotFoundException extends RuntimeException {

    public ConnectionNotFoundException(String clientId) {
        super("No connection found for client id " + clientId);
    }
}
