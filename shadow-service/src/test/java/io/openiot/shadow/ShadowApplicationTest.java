package io.openiot.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openiot.contracts.KafkaTopics;
import io.openiot.web.problem.ApiException;
import io.openiot.testsupport.ServiceEndpoints;
import io.openiot.testsupport.TestInfrastructure;
import io.openiot.testsupport.TestTokenIssuer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = ShadowApplication.CONFIG_NAME)
@Import(ShadowApplicationTest.FailingController.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShadowApplicationTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "shadow");
        TestTokenIssuer.registerAsPlatformIssuer(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    ServiceEndpoints endpoints() {
        return ServiceEndpoints.onLocalPort(port);
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
    void reportsLiveAndReadyWithDatabaseAndBinder() {
        endpoints().assertLiveAndReady("db", "binders", "readinessState");
    }

    @Test
    void createsTheMessagesTopicItAnswersDevicesOn() throws Exception {
        ServiceEndpoints.assertTopicCreated(KafkaTopics.MESSAGES, 6);
    }

    @Test
    void servesOpenApiSwaggerUiAndPrometheusMetrics() {
        endpoints().assertDocumentedAndMetered("OpenIoT device shadow API");
        endpoints().assertProtected("/things/lamp/shadow");
    }

    @Test
    void reportsErrorsAsProblemDetailsWithAnAwsErrorCode() {
        endpoints().assertProblem("/no-such-path", HttpStatus.NOT_FOUND, "ResourceNotFoundException");
        assertThat(endpoints().assertProblem("/test/conflict", HttpStatus.CONFLICT, "ConflictException")
                .get("detail").asString()).isEqualTo("Version conflict");
        assertThat(endpoints().assertProblem("/test/crash", HttpStatus.INTERNAL_SERVER_ERROR,
                "InternalFailureException").toString()).doesNotContain("secret internals");
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
