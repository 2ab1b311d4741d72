package io.openiot.shadow.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openiot.shadow.ShadowServiceTestBase;
import io.openiot.shadow.document.ShadowJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iotdataplane.IotDataPlaneClient;
import software.amazon.awssdk.services.iotdataplane.model.ConflictException;
import software.amazon.awssdk.services.iotdataplane.model.InvalidRequestException;
import software.amazon.awssdk.services.iotdataplane.model.ListNamedShadowsForThingResponse;
import software.amazon.awssdk.services.iotdataplane.model.RequestEntityTooLargeException;
import software.amazon.awssdk.services.iotdataplane.model.ResourceNotFoundException;
import tools.jackson.databind.JsonNode;

/**
 * The AWS SDK for Java v2 data-plane client, unchanged but for its endpoint, reads and writes shadows here and gets
 * AWS's exceptions for AWS's errors.
 */
class ShadowSdkCompatibilityTest extends ShadowServiceTestBase {

    private IotDataPlaneClient aws;

    @BeforeEach
    void client() {
        aws = IotDataPlaneClient.builder()
                .endpointOverride(URI.create("http://localhost:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterEach
    void close() {
        aws.close();
    }

    @Test
    void updatesGetsAndDeletesTheClassicShadow() {
        JsonNode accepted = json(aws.updateThingShadow(r -> r.thingName("sdk-lamp").payload(bytes(
                "{\"state\":{\"desired\":{\"color\":\"RED\"},\"reported\":{\"color\":\"GREEN\"}},"
                        + "\"clientToken\":\"sdk-1\"}"))).payload());
        JsonNode shadow = json(aws.getThingShadow(r -> r.thingName("sdk-lamp")).payload());
        JsonNode deleted = json(aws.deleteThingShadow(r -> r.thingName("sdk-lamp")).payload());

        assertThat(accepted.get("version").asLong()).isEqualTo(1);
        assertThat(accepted.get("clientToken").asString()).isEqualTo("sdk-1");
        assertThat(shadow.path("state").path("delta")).isEqualTo(ShadowJson.read("{\"color\":\"RED\"}"));
        assertThat(shadow.path("metadata").path("desired").path("color").has("timestamp")).isTrue();
        assertThat(deleted.get("version").asLong()).isEqualTo(1);
        assertThatThrownBy(() -> aws.getThingShadow(r -> r.thingName("sdk-lamp")))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("No shadow exists with name: 'sdk-lamp'");
                });
    }

    @Test
    void namedShadowsAreListedInPages() {
        for (String name : new String[] {"beta", "alpha", "gamma"}) {
            aws.updateThingShadow(r -> r.thingName("sdk-multi").shadowName(name)
                    .payload(bytes("{\"state\":{\"reported\":{\"on\":true}}}")));
        }
        aws.updateThingShadow(r -> r.thingName("sdk-multi").payload(bytes("{\"state\":{\"reported\":{}}}")));

        ListNamedShadowsForThingResponse first = aws.listNamedShadowsForThing(r -> r.thingName("sdk-multi")
                .pageSize(2));
        ListNamedShadowsForThingResponse second = aws.listNamedShadowsForThing(r -> r.thingName("sdk-multi")
                .pageSize(2).nextToken(first.nextToken()));
        JsonNode named = json(aws.getThingShadow(r -> r.thingName("sdk-multi").shadowName("beta")).payload());

        assertThat(first.results()).containsExactly("alpha", "beta");
        assertThat(first.nextToken()).isNotNull();
        assertThat(second.results()).containsExactly("gamma");
        assertThat(second.nextToken()).isNull();
        assertThat(second.timestamp()).isPositive();
        assertThat(named.path("state").path("reported").path("on").asBoolean()).isTrue();
    }

    @Test
    void errorsBecomeTheSdksExceptions() {
        aws.updateThingShadow(r -> r.thingName("sdk-errors").payload(bytes("{\"state\":{\"desired\":{\"a\":1}}}")));

        assertThatThrownBy(() -> aws.updateThingShadow(r -> r.thingName("sdk-errors")
                .payload(bytes("{\"state\":{\"desired\":{\"a\":2}},\"version\":5}"))))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Version conflict");
                });
        assertThatThrownBy(() -> aws.updateThingShadow(r -> r.thingName("sdk-errors").payload(bytes("{oops"))))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Invalid JSON"));
        assertThatThrownBy(() -> aws.updateThingShadow(r -> r.thingName("sdk-errors")
                .payload(bytes("{\"state\":{\"delta\":{}}}"))))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).isEqualTo("State contains an invalid node"));
        assertThatThrownBy(() -> aws.updateThingShadow(r -> r.thingName("sdk-errors")
                .payload(bytes("{\"state\":{\"desired\":{\"big\":\"" + "x".repeat(9000) + "\"}}}"))))
                .isInstanceOf(RequestEntityTooLargeException.class);
        assertThatThrownBy(() -> aws.deleteThingShadow(r -> r.thingName("sdk-errors").shadowName("none")))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).isEqualTo("No shadow exists with name: 'none'"));
        assertThatThrownBy(() -> aws.listNamedShadowsForThing(r -> r.thingName("sdk-errors").pageSize(101)))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void historyListsEveryVersionAndReadsTheDocumentAtAVersion() throws Exception {
        for (int i = 1; i <= 3; i++) {
            int n = i;
            aws.updateThingShadow(r -> r.thingName("sdk-history").shadowName("h")
                    .payload(bytes("{\"state\":{\"reported\":{\"n\":" + n + "}}}")));
        }

        JsonNode page1 = get("/things/sdk-history/shadow/history?name=h&limit=2");
        JsonNode page2 = get("/things/sdk-history/shadow/history?name=h&limit=2&nextToken="
                + page1.get("nextToken").asString());
        JsonNode range = get("/things/sdk-history/shadow/history?name=h&fromVersion=2&toVersion=2");
        JsonNode atTwo = get("/things/sdk-history/shadow?name=h&version=2");

        assertThat(page1.get("versions")).extracting(v -> v.get("version").asLong()).containsExactly(1L, 2L);
        assertThat(page2.get("versions")).extracting(v -> v.get("version").asLong()).containsExactly(3L);
        assertThat(page2.has("nextToken")).isFalse();
        assertThat(range.get("versions")).hasSize(1);
        assertThat(page1.get("versions").get(0).path("metadata").path("reported").path("n").has("timestamp"))
                .isTrue();
        assertThat(atTwo.path("state").path("reported").path("n").asInt()).isEqualTo(2);
        assertThat(atTwo.get("version").asLong()).isEqualTo(2);
    }

    @Test
    void invalidNamesAreBadRequests() {
        assertThatThrownBy(() -> aws.getThingShadow(r -> r.thingName("sdk-names").shadowName("x".repeat(65))))
                .isInstanceOf(InvalidRequestException.class);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30))
                        .header("Authorization", bearer()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ShadowJson.read(response.body());
    }

    private static SdkBytes bytes(String json) {
        return SdkBytes.fromUtf8String(json);
    }

    private static JsonNode json(SdkBytes payload) {
        return ShadowJson.read(payload.asUtf8String());
    }
}
