package io.openiot.shadow;

import java.time.Clock;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * Device shadows: classic and named shadows over MQTT and REST.
 *
 * <p>Its configuration file is {@code shadow-service.yml}, not {@code application.yml}, so that all six services can share one
 * JVM (the launcher) without reading each other's settings.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ShadowApplication {

    /** Selects this service's configuration file; tests pass it to {@code @SpringBootTest(properties = ...)}. */
    public static final String CONFIG_NAME = "spring.config.name=shadow-service";

    public static void main(String[] args) {
        application().run(args);
    }

    /** The time shadow documents carry (timestamps, metadata, history); tests may replace it. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The application as the launcher and {@link #main} start it. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(ShadowApplication.class).properties(CONFIG_NAME);
    }
}
