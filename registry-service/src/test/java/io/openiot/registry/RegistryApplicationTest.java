package io.openiot.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.openiot.testsupport.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = RegistryApplication.CONFIG_NAME)
class RegistryApplicationTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "registry");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void migratesItsDatabaseAndReportsReadyWithOpenApiAndMetrics() {
        RestClient http = RestClient.create("http://localhost:" + port);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM thing", Integer.class)).isZero();
        assertThat(http.get().uri("/actuator/health/readiness").retrieve().body(String.class)).contains("\"UP\"");
        assertThat(http.get().uri("/actuator/health/liveness").retrieve().body(String.class)).contains("\"UP\"");
        assertThat(http.get().uri("/v3/api-docs").retrieve().body(String.class)).contains("\"openapi\"");
        assertThat(http.get().uri("/actuator/prometheus").retrieve().body(String.class)).contains("jvm_memory");
    }
}
