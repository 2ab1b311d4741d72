package io.openiot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openiot.testsupport.TestTokenIssuer;
import io.openiot.web.remote.RemoteKeysApplication;
import io.openiot.web.security.Revocations;
import io.openiot.web.testapp.InternalController;
import io.openiot.web.testapp.WebTestApplication;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * web-support's defaults against a policy-service over real HTTP: a second app without a key table of its own gets
 * signing keys from the first app's {@code /internal/sigv4/signing-key} and revocations from
 * {@code /internal/revocations}, with a client-credentials token of its service client. Keys stay cached while the
 * internal endpoints fail; a revocation drops them.
 */
class PolicyServiceDefaultsTest extends WebTestBase {

    private static final String SERVICE_CLIENT = "remote-service";
    private static final String SERVICE_SECRET = "remote-service-secret";
    private static ConfigurableApplicationContext remote;

    @BeforeEach
    void startRemoteService() {
        if (remote == null) {
            platform().registerClient(SERVICE_CLIENT, SERVICE_SECRET, TestTokenIssuer.INTERNAL);
            remote = new SpringApplicationBuilder(RemoteKeysApplication.class).properties(
                    "server.port=0",
                    "iot.security.platform-issuer-uri=" + platform().issuerUri(),
                    "iot.security.policy-service-url=" + baseUrl(),
                    "iot.security.service-client.id=" + SERVICE_CLIENT,
                    "iot.security.service-client.secret=" + SERVICE_SECRET,
                    "iot.security.revocation-poll-interval=200ms").run();
        }
    }

    @AfterEach
    void restore() {
        InternalController.AVAILABLE.set(true);
        WebTestApplication.REVOCATIONS.set(new Revocations(List.of(), List.of()));
    }

    @AfterAll
    static void stopRemoteService() {
        if (remote != null) {
            remote.close();
            remote = null;
        }
    }

    private HttpResponse<String> signedGet(String key, String secret) {
        int port = ((WebServerApplicationContext) remote).getWebServer().getPort();
        return new SdkSigner("http://localhost:" + port).send("GET", "/things", null, null, key, secret, "iot",
                Clock.systemUTC(), false);
    }

    @Test
    void signingKeysComeFromPolicyServiceAndStayCachedWhileItFails() {
        int tokensBefore = platform().tokensIssued();
        assertThat(signedGet(WebTestApplication.ADMIN_KEY, WebTestApplication.ADMIN_SECRET).statusCode()).isEqualTo(200);
        InternalController.AVAILABLE.set(false);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = signedGet(WebTestApplication.ADMIN_KEY, WebTestApplication.ADMIN_SECRET);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        HttpResponse<String> uncached = signedGet(WebTestApplication.READER_KEY, WebTestApplication.READER_SECRET);
        assertThat(uncached.statusCode()).as("a key never fetched cannot be checked now").isEqualTo(503);
        assertThat(uncached.headers().firstValue("x-amzn-ErrorType")).hasValue("ServiceUnavailableException");
        assertThat(platform().tokensIssued() - tokensBefore).as("the service client's token is reused").isLessThanOrEqualTo(1);
    }

    @Test
    void unknownKeyAtPolicyServiceIsUnrecognized() {
        HttpResponse<String> response = signedGet("AKIANOTATPOLICY00000", "whatever");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("UnrecognizedClientException");
    }

    @Test
    void polledRevocationRefusesTheKeyWithinSeconds() {
        assertThat(signedGet(WebTestApplication.REVOKED_KEY, WebTestApplication.REVOKED_SECRET).statusCode())
                .isEqualTo(200);
        WebTestApplication.REVOCATIONS.set(new Revocations(List.of(), List.of(
                new Revocations.AccessKey(WebTestApplication.REVOKED_KEY, Instant.now().toEpochMilli()))));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> response = signedGet(WebTestApplication.REVOKED_KEY, WebTestApplication.REVOKED_SECRET);
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("UnrecognizedClientException");
        });
    }
}
