package io.openiot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openiot.testsupport.TestTokenIssuer;
import io.openiot.web.security.Revocations;
import io.openiot.web.testapp.WebTestApplication;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Who is accepted: tokens of an independent trusted issuer through its claim-to-scope mapping, the platform issuer's
 * tokens while its JWKS endpoint is down (cached keys), and nobody revoked — within a few poll intervals.
 */
class IdentitiesAndRevocationTest extends WebTestBase {

    @AfterEach
    void clearRevocations() {
        WebTestApplication.REVOCATIONS.set(new Revocations(List.of(), List.of()));
        platform().setAvailable(true);
    }

    private HttpStatus get(String token) {
        return HttpStatus.valueOf(client(token).get().uri("/things").retrieve().toBodilessEntity()
                .getStatusCode().value());
    }

    private HttpStatus post(String token) {
        return HttpStatus.valueOf(client(token).post().uri("/things/ext-" + System.nanoTime())
                .contentType(MediaType.APPLICATION_JSON).body("{}").retrieve().toBodilessEntity()
                .getStatusCode().value());
    }

    private String external(String... roles) {
        return EXTERNAL.sign(EXTERNAL.claims("alice@example.org", Instant.now(), Duration.ofMinutes(5))
                .claim("roles", List.of(roles)).build());
    }

    @Test
    void trustedIssuersRolesAreMappedOntoScopes() {
        assertThat(get(external("iot-readers"))).isEqualTo(HttpStatus.OK);
        assertThat(post(external("iot-readers"))).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(post(external("iot-operators"))).isEqualTo(HttpStatus.OK);
        assertThat(get(external("unmapped-role"))).isEqualTo(HttpStatus.FORBIDDEN);
    }

    @Test
    void platformTokensKeepWorkingWhileTheIssuerIsDown() {
        assertThat(get(platform().adminToken())).isEqualTo(HttpStatus.OK);
        int fetches = platform().jwksRequests();
        platform().setAvailable(false);
        for (int i = 0; i < 5; i++) {
            assertThat(get(platform().token("client-" + i, TestTokenIssuer.READ))).isEqualTo(HttpStatus.OK);
        }
        assertThat(platform().jwksRequests()).as("JWKS fetched once and cached").isEqualTo(fetches);
    }

    @Test
    void tokensOfARevokedClientIssuedBeforeTheRevocationAreRefused() {
        String before = platform().token("doomed-client", Instant.now().minusSeconds(5), Duration.ofHours(1),
                TestTokenIssuer.READ);
        assertThat(get(before)).isEqualTo(HttpStatus.OK);
        Instant revokedAt = Instant.now().minusSeconds(1);
        WebTestApplication.REVOCATIONS.set(new Revocations(
                List.of(new Revocations.Client("doomed-client", revokedAt.toEpochMilli())), List.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> get(before) == HttpStatus.UNAUTHORIZED);
        String after = platform().token("doomed-client", Instant.now(), Duration.ofHours(1), TestTokenIssuer.READ);
        assertThat(get(after)).as("a token issued after the revocation (client re-created)").isEqualTo(HttpStatus.OK);
    }

    @Test
    void aRevokedAccessKeyIsRefusedAsUnrecognized() {
        SdkSigner signer = new SdkSigner(baseUrl());
        assertThat(signer.send("GET", "/things", null, null, WebTestApplication.REVOKED_KEY,
                WebTestApplication.REVOKED_SECRET, "iot", Clock.systemUTC(), false).statusCode()).isEqualTo(200);
        WebTestApplication.REVOCATIONS.set(new Revocations(List.of(), List.of(
                new Revocations.AccessKey(WebTestApplication.REVOKED_KEY, Instant.now().toEpochMilli()))));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var response = signer.send("GET", "/things", null, null, WebTestApplication.REVOKED_KEY,
                    WebTestApplication.REVOKED_SECRET, "iot", Clock.systemUTC(), false);
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("UnrecognizedClientException");
        });
    }
}
