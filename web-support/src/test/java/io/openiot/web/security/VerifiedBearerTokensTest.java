package io.openiot.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openiot.testsupport.TestTokenIssuer;
import io.openiot.web.WebTestBase;
import io.openiot.web.testapp.WebTestApplication;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationManagerResolver;

/**
 * A bearer token once verified is kept and only validated again on its next requests: the cache grows by one per
 * distinct token, not per request, and what it skips never lets through what the full verification refuses — a
 * tampered copy of a cached token, a cached token whose client is revoked, a token past its expiry, scopes it does
 * not carry.
 */
class VerifiedBearerTokensTest extends WebTestBase {

    @Autowired
    AuthenticationManagerResolver<HttpServletRequest> jwtIssuers;

    @AfterEach
    void clearRevocations() {
        WebTestApplication.REVOCATIONS.set(new Revocations(List.of(), List.of()));
    }

    private VerifiedBearerTokens cache() {
        assertThat(jwtIssuers).isInstanceOf(VerifiedBearerTokens.class);
        return (VerifiedBearerTokens) jwtIssuers;
    }

    private HttpStatus get(String token) {
        return HttpStatus.valueOf(client(token).get().uri("/things").retrieve().toBodilessEntity()
                .getStatusCode().value());
    }

    private HttpStatus post(String token) {
        return HttpStatus.valueOf(client(token).post().uri("/things/cached-" + System.nanoTime())
                .contentType(MediaType.APPLICATION_JSON).body("{}").retrieve().toBodilessEntity()
                .getStatusCode().value());
    }

    @Test
    void aReusedTokenIsCachedOnceAndKeepsItsScopes() {
        String token = platform().token("cached-reader", TestTokenIssuer.READ);
        assertThat(cache().holds(token)).isFalse();
        for (int i = 0; i < 5; i++) {
            assertThat(get(token)).isEqualTo(HttpStatus.OK);
        }
        // one entry for five requests: entries are keyed by the token's hash
        assertThat(cache().holds(token)).as("cached after its first request").isTrue();
        assertThat(post(token)).as("a cached read token still may not write").isEqualTo(HttpStatus.FORBIDDEN);
    }

    @Test
    void tokensOfATrustedIssuerAreCachedToo() {
        String token = EXTERNAL.sign(EXTERNAL.claims("bob@example.org", Instant.now(), Duration.ofMinutes(5))
                .claim("roles", List.of("iot-readers")).build());
        assertThat(cache().holds(token)).isFalse();
        assertThat(get(token)).isEqualTo(HttpStatus.OK);
        assertThat(get(token)).isEqualTo(HttpStatus.OK);
        assertThat(cache().holds(token)).isTrue();
    }

    @Test
    void aTamperedCopyOfACachedTokenIsRefused() {
        String token = platform().token("cached-tampered", TestTokenIssuer.READ);
        assertThat(get(token)).isEqualTo(HttpStatus.OK);
        String[] parts = token.split("\\.");
        String otherSignature = parts[2].charAt(0) == 'A' ? "B" + parts[2].substring(1) : "A" + parts[2].substring(1);
        assertThat(get(parts[0] + "." + parts[1] + "." + otherSignature)).isEqualTo(HttpStatus.UNAUTHORIZED);
        String otherPayload = platform().token("cached-tampered", TestTokenIssuer.ADMIN).split("\\.")[1];
        assertThat(get(parts[0] + "." + otherPayload + "." + parts[2])).as("another payload under its signature")
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(get(token)).isEqualTo(HttpStatus.OK);
    }

    @Test
    void aCachedTokenOfARevokedClientIsRefusedAndDropped() {
        String token = platform().token("cached-revoked", Instant.now().minusSeconds(5), Duration.ofHours(1),
                TestTokenIssuer.READ);
        assertThat(get(token)).isEqualTo(HttpStatus.OK);
        assertThat(get(token)).isEqualTo(HttpStatus.OK);
        assertThat(cache().holds(token)).isTrue();
        WebTestApplication.REVOCATIONS.set(new Revocations(
                List.of(new Revocations.Client("cached-revoked", Instant.now().minusSeconds(1).toEpochMilli())),
                List.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> get(token) == HttpStatus.UNAUTHORIZED);
        assertThat(cache().holds(token)).as("the refused entry is dropped").isFalse();
    }

    @Test
    void aTokenIsRefusedOnceItHasExpiredEvenAfterItWasAccepted() {
        // Spring Security's validator allows 60 s of clock skew: this token is good for about 3 s more
        String token = platform().token("cached-expiring", Instant.now().minusSeconds(120), Duration.ofSeconds(63),
                TestTokenIssuer.READ);
        assertThat(get(token)).isEqualTo(HttpStatus.OK);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(token) == HttpStatus.UNAUTHORIZED);
    }
}
