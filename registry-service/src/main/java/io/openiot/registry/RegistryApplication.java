package io.openiot.registry;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Device registry: things, thing types, thing groups and their principals.
 *
 * <p>Its configuration file is {@code registry-service.yml}, not {@code application.yml}, so that all six services can share one
 * JVM (the launcher) without reading each other's settings.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RegistryApplication {

    /** Selects this service's configuration file; tests pass it to {@code @SpringBootTest(properties = ...)}. */
    public static final String CONFIG_NAME = "spring.config.name=registry-service";

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application as the launcher and {@link #main} start it. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(RegistryApplication.class).properties(CONFIG_NAME);
    }
}
