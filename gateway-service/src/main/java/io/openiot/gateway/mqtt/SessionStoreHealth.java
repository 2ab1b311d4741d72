package io.openiot.gateway.mqtt;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code mqttSessionStore}, part of liveness: Moquette closes its H2 session store for good when a write fails, and
 * its session loops stop delivering; only a restart (which reopens the store from its last commit) recovers, so the
 * process reports itself not alive and Kubernetes restarts it. Always up when sessions are kept in memory.
 */
@Component("mqttSessionStore")
class SessionStoreHealth implements HealthIndicator {

    private final MqttBroker broker;

    SessionStoreHealth(MqttBroker broker) {
        this.broker = broker;
    }

    @Override
    public Health health() {
        return broker.storeFailure()
                .map(failure -> Health.down().withDetail("error", failure.getClass().getSimpleName()).build())
                .orElseGet(() -> Health.up().build());
    }
}
