package io.openiot.testsupport;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a Spring Boot test at the shared embedded Kafka broker and at a fresh database of its own. Use it from a
 * {@code @DynamicPropertySource} method:
 *
 * <pre>{@code
 * @DynamicPropertySource
 * static void infrastructure(DynamicPropertyRegistry registry) {
 *     TestInfrastructure.register(registry, "rules");
 * }
 * }</pre>
 */
public final class TestInfrastructure {

    private TestInfrastructure() {
    }

    /** Registers datasource and Kafka properties; {@code databasePrefix} names the fresh database. */
    public static void register(DynamicPropertyRegistry registry, String databasePrefix) {
        EmbeddedPostgresServer.DatabaseCoordinates database = EmbeddedPostgresServer.freshDatabase(databasePrefix);
        registry.add("spring.datasource.url", database::jdbcUrl);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
        registerKafka(registry);
    }

    /** Registers only the Kafka properties, for tests without a database. */
    public static void registerKafka(DynamicPropertyRegistry registry) {
        String brokers = EmbeddedKafkaServer.bootstrapServers();
        registry.add("spring.kafka.bootstrap-servers", () -> brokers);
        registry.add("spring.cloud.stream.kafka.binder.brokers", () -> brokers);
    }
}
