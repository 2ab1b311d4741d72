package io.openiot.gateway.bridge;

import java.util.Map;
import java.util.UUID;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives {@code iot.gateway.replica.id} a random default that stays fixed for the life of the context. A
 * {@code ${random.uuid}} placeholder would not do: it yields a new value at every resolution, so the consumer group
 * and the origin header would disagree.
 */
public final class ReplicaIdDefault implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY = "iot.gateway.replica.id";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        // the launcher runs all services in one JVM; only the gateway's context gets a replica id
        if (!"gateway-service".equals(environment.getProperty("spring.config.name"))
                || environment.containsProperty(PROPERTY)) {
            return;
        }
        environment.getPropertySources().addLast(
                new MapPropertySource("gatewayReplicaId", Map.of(PROPERTY, UUID.randomUUID().toString())));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
