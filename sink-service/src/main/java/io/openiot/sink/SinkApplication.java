package io.openiot.sink;

import java.time.Clock;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * Storage sink: tables of JSON items written by rules and read by applications.
 *
 * <p>Its configuration file is {@code sink-service.yml}, not {@code application.yml}, so that all six services can share one
 * JVM (the launcher) without reading each other's settings.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SinkApplication {

    /** Selects this service's configuration file; tests pass it to {@code @SpringBootTest(properties = ...)}. */
    public static final String CONFIG_NAME = "spring.config.name=sink-service";

    public static void main(String[] args) {
        application().run(args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The application as the launcher and {@link #main} start it. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(SinkApplication.class).properties(CONFIG_NAME);
    }
}
