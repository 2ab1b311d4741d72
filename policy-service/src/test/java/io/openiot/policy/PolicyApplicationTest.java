package io.openiot.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openiot.contracts.KafkaTopics;
import io.openiot.web.problem.ApiException;
import io.openiot.testsupport.ServiceEndpoints;
import io.openiot.testsupport.TestInfrastructure;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {PolicyApplication.CONFIG_NAME,
        PolicyTestCredentials.MASTER_KEY})
@Import(PolicyApplicationTest.FailingController.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PolicyApplicationTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "policy");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ArnProperties arn;

    @Autowired
    PasswordEncoder passwordEncoder;

    private static final String READER_SECRET = "reader-secret-0123456789";

    ServiceEndpoints endpoints() {
        return ServiceEndpoints.onLocalPort(port);
    }

    @Test
    void migratesTheSecuritySchema() {
        for (String table : new String[] {"ca_certificate", "certificate", "policy", "policy_version",
                "policy_target_attachment", "app_client", "access_key", "outbox"}) {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM " + table, Integer.class)).as(table).isZero();
        }
    }

    @Test
    void allowsOneDefaultVersionPerPolicy() {
        jdbc.update("INSERT INTO policy (name, arn) VALUES ('lamp', ?)", arn.arn("policy", "lamp"));
        String version = "INSERT INTO policy_version (policy_name, version_id, document, is_default) "
                + "VALUES ('lamp', ?, '{}', ?)";
        jdbc.update(version, 1, true);
        jdbc.update(version, 2, false);

        assertThatThrownBy(() -> jdbc.update(version, 3, true))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void reportsLiveAndReadyWithDatabaseAndBinder() {
        endpoints().assertLiveAndReady("db", "binders", "readinessState");
    }

    @Test
    void servesOpenApiSwaggerUiAndPrometheusMetrics() {
        endpoints().assertDocumentedAndMetered("OpenIoT security API");
        endpoints().assertProtected("/policies");
    }

    @Test
    void createsTheSecurityEventsTopicWithTheBinderPartitionCount() throws Exception {
        ServiceEndpoints.assertTopicCreated(KafkaTopics.SECURITY_EVENTS, 6);
    }

    @Test
    void reportsErrorsAsProblemDetailsWithAnAwsErrorCode() {
        jdbc.update("INSERT INTO app_client (client_id, name, secret_hash, scopes) VALUES ('reader', 'reader', ?, "
                + "'{iot:read}') ON CONFLICT DO NOTHING", passwordEncoder.encode(READER_SECRET));
        String token = assertDoesNotThrowToken();
        RestClient http = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeader("Authorization", "Bearer " + token)
                .defaultStatusHandler(status -> true, (request, response) -> { }).build();

        ServiceEndpoints.assertProblem(http.get().uri("/no-such-path").retrieve().toEntity(String.class),
                HttpStatus.NOT_FOUND, "ResourceNotFoundException");
        ResponseEntity<String> conflict = http.get().uri("/test/conflict").retrieve().toEntity(String.class);
        assertThat(ServiceEndpoints.assertProblem(conflict, HttpStatus.CONFLICT, "DeleteConflictException")
                .get("detail").asString()).isEqualTo("policy lamp is attached to 2 targets");
        assertThat(conflict.getHeaders().getFirst("x-amzn-ErrorType")).isEqualTo("DeleteConflictException");
        assertThat(ServiceEndpoints.assertProblem(http.get().uri("/test/crash").retrieve().toEntity(String.class),
                HttpStatus.INTERNAL_SERVER_ERROR, "InternalFailureException").toString())
                .doesNotContain("secret internals");
    }

    private String assertDoesNotThrowToken() {
        try {
            return PolicyTestCredentials.token(port, "reader", READER_SECRET, null);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void buildsArnsFromTheConfiguredRegionAndAccount() {
        assertThat(arn.arn("policy", "lamp")).isEqualTo("arn:aws:iot:us-east-1:000000000000:policy/lamp");
    }

    /** Stands in for the feature controllers that will throw {@link ApiException}s. */
    @RestController
    static class FailingController {

        @GetMapping("/test/conflict")
        String conflict() {
            throw new ApiException(HttpStatus.CONFLICT, "DeleteConflictException",
                    "policy lamp is attached to 2 targets") { };
        }

        @GetMapping("/test/crash")
        String crash() {
            throw new IllegalStateException("secret internals");
        }
    }
}
