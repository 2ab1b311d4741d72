package io.openiot.web;

import static io.openiot.testsupport.ServiceEndpoints.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.openiot.testsupport.ServiceEndpoints;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** The same error looks the same in every service: problem details with AWS's error type, header and message. */
class ProblemDetailsTest extends WebTestBase {

    private RestClient admin() {
        return client(platform().adminToken());
    }

    @Test
    void unknownPathIsResourceNotFound() {
        assertProblem(admin().get().uri("/no/such/path").retrieve().toEntity(String.class),
                HttpStatus.NOT_FOUND, "ResourceNotFoundException");
    }

    @Test
    void apiExceptionOfAServiceKeepsItsStatusCodeAndMessage() {
        JsonNode problem = assertProblem(admin().get().uri("/things/ghost").retrieve().toEntity(String.class),
                HttpStatus.NOT_FOUND, "ResourceNotFoundException");
        assertThat(problem.path("message").asString()).isEqualTo("Thing ghost does not exist");
        assertThat(problem.path("detail").asString()).isEqualTo("Thing ghost does not exist");
        assertThat(problem.path("__type").asString()).isEqualTo("ResourceNotFoundException");
    }

    @Test
    void wrongMethodIsMethodNotAllowed() {
        assertProblem(admin().put().uri("/things").retrieve().toEntity(String.class),
                HttpStatus.METHOD_NOT_ALLOWED, "MethodNotAllowedException");
    }

    @Test
    void wrongContentTypeIsUnsupportedMediaType() {
        assertProblem(admin().post().uri("/echo").contentType(MediaType.TEXT_PLAIN).body("x").retrieve()
                .toEntity(String.class), HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UnsupportedMediaTypeException");
    }

    @Test
    void malformedJsonIsInvalidRequest() {
        assertProblem(admin().post().uri("/echo").contentType(MediaType.APPLICATION_JSON).body("{\"a\":").retrieve()
                .toEntity(String.class), HttpStatus.BAD_REQUEST, "InvalidRequestException");
    }

    @Test
    void bodyOverTheLimitIsRequestEntityTooLarge() {
        String big = "{\"a\":\"" + "x".repeat(70 * 1024) + "\"}";
        assertProblem(admin().post().uri("/echo").contentType(MediaType.APPLICATION_JSON).body(big).retrieve()
                .toEntity(String.class), HttpStatus.CONTENT_TOO_LARGE, "RequestEntityTooLargeException");
    }

    @Test
    void unexpectedFailureIsInternalFailureAndLeaksNothing() {
        ResponseEntity<String> response = admin().get().uri("/fail/unexpected").retrieve().toEntity(String.class);
        assertProblem(response, HttpStatus.INTERNAL_SERVER_ERROR, "InternalFailureException");
        assertThat(response.getBody()).doesNotContain("hunter2", "jdbc", "IllegalStateException", "at io.");
    }

    @Test
    void domainExceptionGoesThroughTheServicesTranslator() {
        JsonNode problem = assertProblem(admin().get().uri("/fail/domain").retrieve().toEntity(String.class),
                HttpStatus.BAD_REQUEST, "SqlParseException");
        assertThat(problem.path("line").asInt()).isEqualTo(1);
        assertThat(problem.path("column").asInt()).isEqualTo(7);
    }

    @Test
    void healthMetricsAndOpenApiAreOpenAndDocumentTheSecuritySchemes() {
        ServiceEndpoints endpoints = ServiceEndpoints.onLocalPort(port);
        endpoints.assertDocumentedAndMetered("OpenIoT test API");
        endpoints.assertProtected("/things");
        assertThat(client(null).get().uri("/actuator/health/liveness").retrieve().toEntity(String.class)
                .getStatusCode()).isEqualTo(HttpStatus.OK);
    }
}
