package io.openiot.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openiot.shadow.web.ApiException;
import io.openiot.testsupport.TestInfrastructure;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = ShadowApplication.CONFIG_NAME)
@Import(ShadowApplicationTest.FailingController.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShadowApplicationTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "shadow");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    RestClient http() {
        return RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> { })
                .build();
    }

    @Test
    void migratesTheShadowSchemaAndKeepsEveryVersion() {
        jdbc.update("INSERT INTO shadow (thing_name, shadow_name, version, state) VALUES ('lamp', '', 1, ?::jsonb)",
                "{\"desired\":{\"on\":true}}");
        jdbc.update("INSERT INTO shadow_version (thing_name, shadow_name, version, document) "
                + "VALUES ('lamp', '', 1, ?::jsonb)", "{\"state\":{\"desired\":{\"on\":true}},\"version\":1}");

        assertThat(jdbc.queryForObject("SELECT count(*) FROM shadow_version WHERE thing_name = 'lamp'", Integer.class))
                .isOne();
        // only desired and reported are stored; delta is computed, never kept
        assertThatThrownBy(() -> jdbc.update(
                "INSERT INTO shadow (thing_name, shadow_name, version, state) VALUES ('lamp', 'x', 1, ?::jsonb)",
                "{\"delta\":{\"on\":true}}"))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void reportsLiveAndReadyWithItsDatabase() {
        assertThat(http().get().uri("/actuator/health/liveness").retrieve().body(String.class)).contains("\"UP\"");
        Map<String, Object> readiness = http().get().uri("/actuator/health/readiness").retrieve().body(JSON);
        assertThat(readiness).containsEntry("status", "UP");
        // "binders" joins the readiness group with the first binding (the shadow feature's consumers); until then
        // Spring Cloud Stream registers no binder health at all
        assertThat(readiness.get("components")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsKeys("db", "readinessState");
    }

    @Test
    void servesOpenApiSwaggerUiAndPrometheusMetrics() {
        assertThat(http().get().uri("/v3/api-docs").retrieve().body(String.class))
                .contains("\"openapi\"", "OpenIoT device shadow API");
        assertThat(http().get().uri("/swagger-ui/index.html").retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.OK);
        assertThat(http().get().uri("/actuator/prometheus").retrieve().body(String.class)).contains("jvm_memory");
    }

    @Test
    void reportsErrorsAsProblemDetailsWithAnAwsErrorCode() {
        ResponseEntity<Map<String, Object>> unknownPath = http().get().uri("/no-such-path").retrieve().toEntity(JSON);
        assertThat(unknownPath.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(unknownPath.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(unknownPath.getBody()).containsEntry("code", "ResourceNotFoundException");

        ResponseEntity<Map<String, Object>> conflict = http().get().uri("/test/conflict").retrieve().toEntity(JSON);
        assertThat(conflict.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(conflict.getBody()).containsEntry("code", "ConflictException")
                .containsEntry("detail", "Version conflict");

        ResponseEntity<Map<String, Object>> crash = http().get().uri("/test/crash").retrieve().toEntity(JSON);
        assertThat(crash.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(crash.getBody()).containsEntry("code", "InternalFailureException");
        assertThat(crash.getBody().toString()).doesNotContain("secret internals");
    }

    /** Stands in for the feature controllers that will throw {@link ApiException}s. */
    @RestController
    static class FailingController {

        @GetMapping("/test/conflict")
        String conflict() {
            throw new ApiException(HttpStatus.CONFLICT, "ConflictException", "Version conflict") { };
        }

        @GetMapping("/test/crash")
        String crash() {
            throw new IllegalStateException("secret internals");
        }
    }
}
