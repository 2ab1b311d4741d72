package io.openiot.gateway.auth;

import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import org.springframework.stereotype.Component;

/**
 * What Moquette itself is told: yes. The IoT policies of each connection are enforced before Moquette sees a PUBLISH
 * or SUBSCRIBE, and before each delivery, by the connection's {@code PublishForwarder}.
 */
@Component
public class PermitAllAuthorizationPolicy implements IAuthorizatorPolicy {

    @Override
    public boolean canWrite(Topic topic, String user, String client) {
        return true;
    }

    @Override
    public boolean canRead(Topic topic, String user, String client) {
        return true;
    }
}
