package io.openiot.gateway.auth;

import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import org.springframework.stereotype.Component;

/**
 * Lets every authenticated client publish and subscribe anywhere. A placeholder until IoT policies from
 * {@code policy-service} are evaluated here; the gateway consults it before a publish reaches Kafka.
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
