package io.openiot.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.openiot.registry.RegistryApplication;
import io.openiot.testsupport.TestInfrastructure;
import io.openiot.testsupport.TestTokenIssuer;
import io.openiot.web.testing.TestAccessKeys;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One running registry-service (real HTTP, PostgreSQL and Kafka) shared by the API tests; every test names its
 * resources with its own prefix so that tests do not see each other's things.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {RegistryApplication.CONFIG_NAME, "iot.registry.thing-type-deletion-delay=0s"})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Import(TestAccessKeys.class)
public abstract class RegistryApiTestBase {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** The access key the AWS SDK signs with; {@link TestAccessKeys} holds it where policy-service would. */
    static final String ACCESS_KEY = TestAccessKeys.ACCESS_KEY;
    static final String SECRET_KEY = TestAccessKeys.SECRET_KEY;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "registryapi");
        TestTokenIssuer.registerAsPlatformIssuer(registry);
    }

    @LocalServerPort
    int port;

    RestClient http;
    String p;

    @BeforeEach
    void client() {
        http = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeader("Authorization", "Bearer " + TestTokenIssuer.shared().adminToken())
                .defaultStatusHandler(status -> true, (request, response) -> { }).build();
        p = "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    record Response(HttpStatus status, JsonNode body, String errorType) {

        Response ok() {
            assertThat(status).as(String.valueOf(body)).isEqualTo(HttpStatus.OK);
            return this;
        }

        /** An AWS-style error: status, {@code x-amzn-ErrorType}, {@code message} and the problem-details code. */
        Response error(HttpStatus expected, String type) {
            assertThat(status).as(String.valueOf(body)).isEqualTo(expected);
            assertThat(errorType).isEqualTo(type);
            assertThat(body.path("code").asString()).isEqualTo(type);
            assertThat(body.path("message").asString()).isNotBlank();
            assertThat(body.path("status").asInt()).isEqualTo(expected.value());
            return this;
        }

        String message() {
            return body.path("message").asString();
        }
    }

    Response call(String method, String uri, Object body, String... headers) {
        var spec = http.method(org.springframework.http.HttpMethod.valueOf(method)).uri(uri);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            spec = spec.header(headers[i], headers[i + 1]);
        }
        if (body != null) {
            spec = spec.contentType(MediaType.APPLICATION_JSON)
                    .body(body instanceof String text ? text : JSON.writeValueAsString(body));
        }
        ResponseEntity<String> response = spec.retrieve().toEntity(String.class);
        String text = response.getBody();
        return new Response(HttpStatus.valueOf(response.getStatusCode().value()),
                text == null || text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text),
                response.getHeaders().getFirst("x-amzn-ErrorType"));
    }

    Response get(String uri, String... headers) {
        return call("GET", uri, null, headers);
    }

    Response post(String uri, Object body) {
        return call("POST", uri, body == null ? "{}" : body);
    }

    Response patch(String uri, Object body) {
        return call("PATCH", uri, body);
    }

    Response put(String uri, Object body, String... headers) {
        return call("PUT", uri, body, headers);
    }

    Response delete(String uri, String... headers) {
        return call("DELETE", uri, null, headers);
    }
}
