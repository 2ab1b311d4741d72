package io.openiot.gateway.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.apache.catalina.connector.Connector;

/** The HTTPS publish port's connector, when it is on; tells its requests from the REST port's. */
public final class HttpsPublishConnector {

    private final Optional<Connector> connector;

    HttpsPublishConnector(Optional<Connector> connector) {
        this.connector = connector;
    }

    Optional<Connector> connector() {
        return connector;
    }

    /** The port it listens on once the server has started (the chosen one when configured as 0); -1 when off. */
    public int port() {
        return connector.map(Connector::getLocalPort).orElse(-1);
    }

    boolean serves(HttpServletRequest request) {
        return connector.isPresent() && request.getLocalPort() == connector.get().getLocalPort();
    }
}
