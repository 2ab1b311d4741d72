package io.openiot.web;

import static io.openiot.web.testapp.WebTestApplication.ADMIN_KEY;
import static io.openiot.web.testapp.WebTestApplication.ADMIN_SECRET;
import static io.openiot.web.testapp.WebTestApplication.READER_KEY;
import static io.openiot.web.testapp.WebTestApplication.READER_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openiot.web.testapp.TestController;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.IotException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iotdataplane.IotDataPlaneClient;
import software.amazon.awssdk.services.iotdataplane.model.IotDataPlaneException;

/**
 * The AWS SDK for Java v2 against the test app, signing with its own SigV4 signer: what it signs is what we verify
 * (paths, encoded topics, bodies, headers), and our refusals become the exceptions it raises against AWS.
 */
class AwsSdkCompatibilityTest extends WebTestBase {

    private IotClient iot(String key, String secret) {
        return IotClient.builder().endpointOverride(URI.create(baseUrl())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                .build();
    }

    private IotDataPlaneClient data(String key, String secret) {
        return IotDataPlaneClient.builder().endpointOverride(URI.create(baseUrl())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                .build();
    }

    @Test
    void signedControlPlaneCallsSucceed() {
        try (IotClient iot = iot(ADMIN_KEY, ADMIN_SECRET)) {
            var created = iot.createThing(r -> r.thingName("sdk-thing-1")
                    .attributePayload(a -> a.attributes(java.util.Map.of("color", "red"))));
            assertThat(created.thingName()).isEqualTo("sdk-thing-1");
            assertThat(iot.listThings(r -> { }).things()).extracting(t -> t.thingName()).contains("sdk-thing-1");
            assertThat(iot.describeThing(r -> r.thingName("sdk-thing-1")).thingName()).isEqualTo("sdk-thing-1");
        }
    }

    @Test
    void errorOfTheServiceBecomesTheSdksModelledException() {
        try (IotClient iot = iot(ADMIN_KEY, ADMIN_SECRET)) {
            assertThatThrownBy(() -> iot.describeThing(r -> r.thingName("no-such-thing")))
                    .isInstanceOf(ResourceNotFoundException.class)
                    .hasMessageContaining("Thing no-such-thing does not exist");
        }
    }

    @Test
    void signedDataPlanePublishWithEncodedTopicSucceeds() {
        try (IotDataPlaneClient data = data(ADMIN_KEY, ADMIN_SECRET)) {
            data.publish(r -> r.topic("dt/sdk car/speed").qos(1).payload(SdkBytes.fromUtf8String("{\"speed\":140}")));
        }
        assertThat(TestController.PUBLISHED).contains("dt/sdk car/speed {\"speed\":140}");
    }

    @Test
    void wrongSecretRaisesInvalidSignatureException() {
        try (IotClient iot = iot(ADMIN_KEY, "not-the-secret")) {
            assertThatThrownBy(() -> iot.listThings(r -> { }))
                    .isInstanceOfSatisfying(IotException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                        assertThat(e.awsErrorDetails().errorMessage()).contains("signature");
                    });
        }
        try (IotDataPlaneClient data = data(ADMIN_KEY, "not-the-secret")) {
            assertThatThrownBy(() -> data.publish(r -> r.topic("a/b").payload(SdkBytes.fromUtf8String("{}"))))
                    .isInstanceOfSatisfying(IotDataPlaneException.class, e ->
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException"));
        }
    }

    @Test
    void unknownAccessKeyRaisesUnrecognizedClientException() {
        try (IotClient iot = iot("AKIANOBODY0000000000", ADMIN_SECRET)) {
            assertThatThrownBy(() -> iot.listThings(r -> { }))
                    .isInstanceOfSatisfying(IotException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
                    });
        }
    }

    @Test
    void readOnlyKeyReadsButWritingRaisesAccessDenied() {
        try (IotClient iot = iot(READER_KEY, READER_SECRET)) {
            assertThat(iot.listThings(r -> { }).things()).isNotNull();
            assertThatThrownBy(() -> iot.createThing(r -> r.thingName("reader-thing")))
                    .isInstanceOfSatisfying(IotException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    });
        }
    }

    @Test
    void presignedRequestOfTheSdkSignerIsAccepted() {
        var response = new SdkSigner(baseUrl()).send("GET", "/things?maxResults=5", null, null, ADMIN_KEY,
                ADMIN_SECRET, "iot", Clock.systemUTC(), true);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var headerSigned = new SdkSigner(baseUrl()).send("GET", "/things?maxResults=5&nextToken=a%2Bb%3D", null,
                null, ADMIN_KEY, ADMIN_SECRET, "execute-api", Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-4)),
                false);
        assertThat(headerSigned.statusCode()).as(headerSigned.body()).isEqualTo(200);
    }
}
