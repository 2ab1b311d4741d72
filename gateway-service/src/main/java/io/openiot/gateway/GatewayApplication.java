package io.openiot.gateway;

import java.time.Clock;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * Device gateway: embedded MQTT broker, device authentication and the bridge to Kafka.
 *
 * <p>Its configuration file is {@code gateway-service.yml}, not {@code application.yml}, so that all six services can share one
 * JVM (the launcher) without reading each other's settings.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    /** Selects this service's configuration file; tests pass it to {@code @SpringBootTest(properties = ...)}. */
    public static final String CONFIG_NAME = "spring.config.name=gateway-service";

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application as the launcher and {@link #main} start it. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(GatewayApplication.class).properties(CONFIG_NAME);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
