package io.openiot.rules;

import java.time.Clock;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * Rules engine: AWS IoT SQL over device messages, and the actions it triggers.
 *
 * <p>Its configuration file is {@code rules-service.yml}, not {@code application.yml}, so that all six services can share one
 * JVM (the launcher) without reading each other's settings.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RulesApplication {

    /** Selects this service's configuration file; tests pass it to {@code @SpringBootTest(properties = ...)}. */
    public static final String CONFIG_NAME = "spring.config.name=rules-service";

    public static void main(String[] args) {
        application().run(args);
    }

    /** The time rules see ({@code timestamp()}, createdAt); tests may replace it. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The application as the launcher and {@link #main} start it. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(RulesApplication.class).properties(CONFIG_NAME);
    }
}
