package io.openiot.registry;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = RegistryApplication.CONFIG_NAME)
@Import(RegistryApplicationTest.FailingController.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegistryApplicationTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "registry");
        TestTokenIssuer.registerAsPlatformIssuer(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ArnProperties arn;

    ServiceEndpoints endpoints() {
        return ServiceEndpoints.onLocalPort(port);
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
        endpoints().assertLiveAndReady("db", "binders", "readinessState");
    }

    @Test
    void servesOpenApiSwaggerUiAndPrometheusMetrics() {
        endpoints().assertDocumentedAndMetered("OpenIoT registry API");
        endpoints().assertProtected("/things");
    }

    @Test
    void createsTheRegistryEventsTopicWithTheBinderPartitionCount() throws Exception {
        ServiceEndpoints.assertTopicCreated(KafkaTopics.REGISTRY_EVENTS, 6);
    }

    @Test
    void reportsErrorsAsProblemDetailsWithAnAwsErrorCode() {
        endpoints().assertProblem("/no-such-path", HttpStatus.NOT_FOUND, "ResourceNotFoundException");
        assertThat(endpoints().assertProblem("/test/conflict", HttpStatus.CONFLICT, "VersionConflictException")
                .get("detail").asString()).isEqualTo("version 3 expected, 4 found");
        assertThat(endpoints().assertProblem("/test/crash", HttpStatus.INTERNAL_SERVER_ERROR,
                "InternalFailureException").toString()).doesNotContain("secret internals");
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
