package io.openiot.sink.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openiot.sink.SinkServiceTestBase;
import io.openiot.testsupport.ServiceEndpoints;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** Errors of the REST API as problem details, and the service's own endpoints. */
@Timeout(120)
class ItemApiTest extends SinkServiceTestBase {

    private static String table;

    @BeforeEach
    void oneStoredItem() {
        if (table == null) {
            table = newTable();
            send(record(table, "device-1", 1_714_564_800_000L, "{\"n\":1}"));
            await().atMost(Duration.ofSeconds(60)).until(() -> get("/tables/" + table).getStatusCode().is2xxSuccessful());
        }
    }

    @Test
    void anUnknownTableIsResourceNotFound() {
        assertProblem(get("/tables/no_such_table/items"), HttpStatus.NOT_FOUND, "ResourceNotFoundException", null);
        assertProblem(get("/tables/no_such_table"), HttpStatus.NOT_FOUND, "ResourceNotFoundException", null);
    }

    @Test
    void aLimitOutOfRangeOrNotANumberIsAnInvalidRequestNamingLimit() {
        assertProblem(get(items("limit=0")), HttpStatus.BAD_REQUEST, "InvalidRequestException", "limit");
        assertProblem(get(items("limit=1001")), HttpStatus.BAD_REQUEST, "InvalidRequestException", "limit");
        assertProblem(get(items("limit=ten")), HttpStatus.BAD_REQUEST, "InvalidRequestException", "limit");
        assertThat(get(items("limit=1000")).getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void anUnparsableTimeIsAnInvalidRequestNamingIt() {
        assertProblem(get(items("from=yesterday")), HttpStatus.BAD_REQUEST, "InvalidRequestException", "from");
        assertProblem(get(items("to=2024-13-01T00:00:00Z")), HttpStatus.BAD_REQUEST, "InvalidRequestException", "to");
        assertProblem(get(items("from=2024-05-02T00:00:00Z&to=2024-05-01T00:00:00Z")), HttpStatus.BAD_REQUEST,
                "InvalidRequestException", "from");
    }

    @Test
    void aTokenThisApiDidNotIssueIsAnInvalidRequestNamingNextToken() {
        assertProblem(get(items("nextToken=garbage!")), HttpStatus.BAD_REQUEST, "InvalidRequestException", "nextToken");
        assertProblem(get(items("nextToken=" + java.util.Base64.getUrlEncoder().encodeToString("v9:1:2".getBytes()))),
                HttpStatus.BAD_REQUEST, "InvalidRequestException", "nextToken");
    }

    @Test
    void anUnknownPathIsAProblemToo() {
        assertProblem(get("/nothing-here"), HttpStatus.NOT_FOUND, "ResourceNotFoundException", null);
    }

    @Test
    void reportsReadyAndPublishesOpenApiAndMetrics() {
        ServiceEndpoints endpoints = ServiceEndpoints.onLocalPort(port);
        endpoints.assertLiveAndReady("db", "binders", "readinessState", "ingest");
        endpoints.assertDocumentedAndMetered("OpenIoT sink API");
        endpoints.assertProtected("/tables/any/items");
        String openApi = get("/v3/api-docs").getBody();
        assertThat(openApi).contains("\"/tables/{table}/items\"", "\"/tables/{table}\"", "\"/tables\"",
                "\"/dead-letters\"", "\"/dead-letters/replay\"");
        assertThat(get("/actuator/prometheus").getBody())
                .contains("sink_items_stored_total", "sink_items_duplicates_total", "sink_records_malformed_total",
                        "sink_write_retries_total", "sink_write_stalled_seconds");
    }

    private static String items(String query) {
        return "/tables/" + table + "/items?" + query;
    }

    private static void assertProblem(ResponseEntity<String> response, HttpStatus status, String code,
                                      String parameter) {
        JsonNode problem = ServiceEndpoints.assertProblem(response, status, code);
        if (parameter != null) {
            assertThat(problem.get("parameter").asString()).isEqualTo(parameter);
            assertThat(problem.get("detail").asString()).contains("'" + parameter + "'");
        }
    }
}
