package io.openiot.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.openiot.contracts.KafkaTopics;
import io.openiot.registry.web.ApiException;
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
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = RegistryApplication.CONFIG_NAME)
@Import(RegistryApplicationTest.FailingController.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegistryApplicationTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "registry");
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
    void migratesTheRegistrySchemaWithAllEventTypesDisabled() {
        for (String table : new String[] {"thing_type", "thing", "thing_group", "thing_group_member", "thing_principal",
                "outbox"}) {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM " + table, Integer.class)).as(table).isZero();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM event_configuration WHERE NOT enabled", Integer.class))
                .isEqualTo(11);
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
                .contains("\"openapi\"", "OpenIoT registry API");
        assertThat(http().get().uri("/swagger-ui/index.html").retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.OK);
        assertThat(http().get().uri("/actuator/prometheus").retrieve().body(String.class)).contains("jvm_memory");
    }

    @Test
    void createsTheRegistryEventsTopicWithTheBinderPartitionCount() throws Exception {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .contains(KafkaTopics.REGISTRY_EVENTS)
                    .doesNotContain("registryEvents");
            TopicDescription topic = admin.describeTopics(List.of(KafkaTopics.REGISTRY_EVENTS))
                    .allTopicNames().get(30, TimeUnit.SECONDS).get(KafkaTopics.REGISTRY_EVENTS);
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
        assertThat(conflict.getBody()).containsEntry("code", "VersionConflictException")
                .containsEntry("detail", "version 3 expected, 4 found");

        ResponseEntity<Map<String, Object>> crash = http().get().uri("/test/crash").retrieve().toEntity(JSON);
        assertThat(crash.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(crash.getBody()).containsEntry("code", "InternalFailureException");
        assertThat(crash.getBody().toString()).doesNotContain("secret internals");
    }

    @Test
    void buildsArnsFromTheConfiguredRegionAndAccount() {
        assertThat(arn.arn("thing", "lamp-1")).isEqualTo("arn:aws:iot:us-east-1:000000000000:thing/lamp-1");
    }

    /** Stands in for the feature controllers that will throw {@link ApiException}s. */
    @RestController
    static class FailingController {

        @GetMapping("/test/conflict")
        String conflict() {
            throw new ApiException(HttpStatus.CONFLICT, "VersionConflictException", "version 3 expected, 4 found") { };
        }

        @GetMapping("/test/crash")
        String crash() {
            throw new IllegalStateException("secret internals");
        }
    }
}
