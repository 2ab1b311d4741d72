package io.openiot.launcher;

import io.openiot.gateway.GatewayApplication;
import io.openiot.policy.PolicyApplication;
import io.openiot.registry.RegistryApplication;
import io.openiot.rules.RulesApplication;
import io.openiot.shadow.ShadowApplication;
import io.openiot.sink.SinkApplication;
import java.util.function.Supplier;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The six services, in start order, with their database name and default REST port. */
enum PlatformService {
    POLICY("policy", 8085, PolicyApplication::application),
    REGISTRY("registry", 8082, RegistryApplication::application),
    SINK("sink", 8086, SinkApplication::application),
    RULES("rules", 8084, RulesApplication::application),
    SHADOW("shadow", 8083, ShadowApplication::application),
    GATEWAY("gateway", 8081, GatewayApplication::application);

    private final String shortName;
    private final int defaultHttpPort;
    private final Supplier<SpringApplicationBuilder> application;

    PlatformService(String shortName, int defaultHttpPort, Supplier<SpringApplicationBuilder> application) {
        this.shortName = shortName;
        this.defaultHttpPort = defaultHttpPort;
        this.application = application;
    }

    String shortName() {
        return shortName;
    }

    String moduleName() {
        return shortName + "-service";
    }

    /** Each service owns a database of this name. */
    String databaseName() {
        return shortName;
    }

    int defaultHttpPort() {
        return defaultHttpPort;
    }

    SpringApplicationBuilder application() {
        return application.get();
    }
}
