package io.openiot.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openiot.contracts.KafkaTopics;
import io.openiot.policy.web.ApiException;
import io.openiot.testsupport.EmbeddedKafkaServer;
import io.openiot.testsupport.TestInfrastructure;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
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

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = PolicyApplication.CONFIG_NAME)
@Import(PolicyApplicationTest.FailingController.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PolicyApplicationTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "policy");
    }

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ArnProperties arn;

    RestClient http() {
        return RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> { })
                .build();
    }

    @Test
    void migratesTheSecuritySchema() {
        for (String table : new String[] {"ca_certificate", "certificate", "policy", "policy_version",
                "policy_target_attachment", "app_client", "outbox"}) {
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
        assertThat(http().get().uri("/actuator/health/liveness").retrieve().body(String.class)).contains("\"UP\"");
        Map<String, Object> readiness = http().get().uri("/actuator/health/readiness").retrieve().body(JSON);
        assertThat(readiness).containsEntry("status", "UP");
        assertThat(readiness.get("components")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsKeys("db", "binders", "readinessState");
    }

    @Test
    void servesOpenApiSwaggerUiAndPrometheusMetrics() {
        assertThat(http().get().uri("/v3/api-docs").retrieve().body(String.class))
                .contains("\"openapi\"", "OpenIoT security API");
        assertThat(http().get().uri("/swagger-ui/index.html").retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.OK);
        assertThat(http().get().uri("/actuator/prometheus").retrieve().body(String.class)).contains("jvm_memory");
    }

    @Test
    void createsTheSecurityEventsTopicWithTheBinderPartitionCount() throws Exception {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .contains(KafkaTopics.SECURITY_EVENTS)
                    .doesNotContain("securityEvents");
            TopicDescription topic = admin.describeTopics(List.of(KafkaTopics.SECURITY_EVENTS))
                    .allTopicNames().get(30, TimeUnit.SECONDS).get(KafkaTopics.SECURITY_EVENTS);
            assertThat(topic.partitions()).hasSizeGreaterThanOrEqualTo(6);
        }
    }

    @Test
    void reportsErrorsAsProblemDetailsWithAnAwsErrorCode() {
        ResponseEntity<Map<String, Object>> unknownPath = http().get().uri("/no-such-path").retrieve().toEntity(JSON);
        assertThat(unknownPath.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(unknownPath.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(unknownPath.getBody()).containsEntry("code", "ResourceNotFoundException");

        ResponseEntity<Map<String, Object>> conflict = http().get().uri("/test/conflict").retrieve().toEntity(JSON);
        assertThat(conflict.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(conflict.getBody()).containsEntry("code", "DeleteConflictException")
                .containsEntry("detail", "policy lamp is attached to 2 targets");

        ResponseEntity<Map<String, Object>> crash = http().get().uri("/test/crash").retrieve().toEntity(JSON);
        assertThat(crash.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(crash.getBody()).containsEntry("code", "InternalFailureException");
        assertThat(crash.getBody().toString()).doesNotContain("secret internals");
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
