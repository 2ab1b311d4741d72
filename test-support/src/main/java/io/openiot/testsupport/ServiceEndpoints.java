package io.openiot.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The checks every service owes its operators, asked over HTTP the way a probe, a scraper or a client would: live
 * and ready, an OpenAPI page, Prometheus metrics, errors as problem details. The service tests share them so that a
 * new service cannot quietly skip one.
 */
public final class ServiceEndpoints {

    public static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };
    private static final JsonMapper PROBLEM_READER = JsonMapper.builder().build();

    private final RestClient anonymous;
    private final RestClient http;

    private ServiceEndpoints(RestClient anonymous, RestClient http) {
        this.anonymous = anonymous;
        this.http = http;
    }

    /**
     * Clients for {@code http://localhost:port} that hand back every status instead of throwing on 4xx/5xx: one
     * without credentials (for what must be open, and for what must not be), one with an admin token of the shared
     * {@link TestTokenIssuer}, which the service must trust ({@link TestTokenIssuer#registerAsPlatformIssuer}).
     */
    public static ServiceEndpoints onLocalPort(int port) {
        return new ServiceEndpoints(client(port, null), client(port, TestTokenIssuer.shared().adminToken()));
    }

    /** A client for the service on {@code port} that sends {@code token} (none when null) and never throws. */
    public static RestClient client(int port, String token) {
        RestClient.Builder builder = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> { });
        if (token != null) {
            builder.requestInterceptor(TestTokenIssuer.bearer(token));
        }
        return builder.build();
    }

    /** A client with an admin token of the shared test issuer. */
    public static RestClient adminClient(int port) {
        return client(port, TestTokenIssuer.shared().adminToken());
    }

    /**
     * A protected path asked without credentials: 401, a {@code WWW-Authenticate: Bearer} challenge and problem
     * details with {@code UnauthorizedException}.
     */
    public void assertProtected(String path) {
        ResponseEntity<String> response = anonymous.get().uri(path).retrieve().toEntity(String.class);
        assertProblem(response, HttpStatus.UNAUTHORIZED, "UnauthorizedException");
        assertThat(response.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
    }

    /** Liveness is UP and readiness is UP with at least the named health components in its group. */
    public void assertLiveAndReady(String... readinessComponents) {
        assertThat(anonymous.get().uri("/actuator/health/liveness").retrieve().body(String.class))
                .contains("\"UP\"");
        Map<String, Object> readiness = anonymous.get().uri("/actuator/health/readiness").retrieve().body(JSON);
        assertThat(readiness).containsEntry("status", "UP");
        assertThat(readiness.get("components")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsKeys((Object[]) readinessComponents);
    }

    /** The OpenAPI document carries {@code apiTitle}, Swagger UI is served and Prometheus metrics are scraped. */
    public void assertDocumentedAndMetered(String apiTitle) {
        assertThat(anonymous.get().uri("/v3/api-docs").retrieve().body(String.class))
                .contains("\"openapi\"", apiTitle, "bearer-jwt", "aws-sigv4");
        assertThat(anonymous.get().uri("/swagger-ui/index.html").retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.OK);
        assertThat(anonymous.get().uri("/actuator/prometheus").retrieve().body(String.class)).contains("jvm_memory");
    }

    /**
     * GETs {@code path} (with the admin token) and asserts an RFC 9457 problem with the given status and AWS error code; returns the body
     * for further checks.
     */
    public JsonNode assertProblem(String path, HttpStatus status, String code) {
        return assertProblem(http.get().uri(path).retrieve().toEntity(String.class), status, code);
    }

    /** Asserts that a response is an RFC 9457 problem with the given status and AWS error code; returns its body. */
    public static JsonNode assertProblem(ResponseEntity<String> response, HttpStatus status, String code) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).isNotNull();
        assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .as("content type").isTrue();
        JsonNode problem = PROBLEM_READER.readTree(response.getBody());
        assertThat(problem.path("status").asInt()).isEqualTo(status.value());
        assertThat(problem.path("code").asString()).isEqualTo(code);
        assertThat(problem.path("message").isString()).as("AWS SDKs read 'message'").isTrue();
        assertThat(response.getHeaders().getFirst("x-amzn-ErrorType")).as("x-amzn-ErrorType").isEqualTo(code);
        return problem;
    }

    /** The topic exists on the shared embedded broker with at least {@code minPartitions} partitions. */
    public static void assertTopicCreated(String topic, int minPartitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaServer.bootstrapServers()))) {
            TopicDescription description = admin.describeTopics(List.of(topic))
                    .allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            assertThat(description.partitions()).hasSizeGreaterThanOrEqualTo(minPartitions);
        }
    }
}
