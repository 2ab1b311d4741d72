package io.openiot.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

/**
 * The policy-service client against an HTTP server that speaks the contract ({@code POST /oauth2/token},
 * {@code GET /internal/principals/{certificateId}}), since policy-service's side is built in parallel.
 */
class HttpPrincipalDirectoryTest {

    private static final String KNOWN = "ab".repeat(32);
    private static final String ANSWER = """
            {"certificateId":"%s","status":"ACTIVE","caCertificateId":"%s","caStatus":"ACTIVE",
             "thingName":"car-1","policies":[{"policyName":"p1","policyDocument":"{\\"Version\\":\\"2012-10-17\\"}"}]}"""
            .formatted(KNOWN, "cd".repeat(32));

    private HttpServer server;
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> tokenRequests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/oauth2/token", exchange -> {
            tokenRequests.add(exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            respond(exchange, 200, "{\"access_token\":\"token-" + tokensIssued.incrementAndGet()
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        });
        server.createContext("/internal/principals/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(authorization);
            String id = exchange.getRequestURI().getPath().substring("/internal/principals/".length());
            if (!("Bearer token-" + tokensIssued.get()).equals(authorization)) {
                respond(exchange, 401, "");
            } else if (id.equals(KNOWN)) {
                respond(exchange, 200, ANSWER);
            } else {
                respond(exchange, 404, "{\"title\":\"Not Found\"}");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aKnownCertificateComesBackWithItsStatusThingAndPolicies() {
        Optional<PrincipalDirectory.Principal> found = directory(Clock.systemUTC()).find(KNOWN);

        assertThat(found).hasValueSatisfying(p -> {
            assertThat(p.certificateId()).isEqualTo(KNOWN);
            assertThat(p.mayConnect()).isTrue();
            assertThat(p.thingName()).isEqualTo("car-1");
            assertThat(p.policies()).containsExactly(
                    new PrincipalDirectory.NamedPolicy("p1", "{\"Version\":\"2012-10-17\"}"));
        });
        String basic = "Basic " + Base64.getEncoder().encodeToString("svc:secret".getBytes(StandardCharsets.UTF_8));
        assertThat(tokenRequests).singleElement().asString()
                .startsWith(basic).contains("grant_type=client_credentials").contains("scope=iot%3Ainternal");
        assertThat(authorizations).containsExactly("Bearer token-1");
    }

    @Test
    void anUnknownCertificateIsEmptyAndTheTokenIsReusedUntilItNearlyExpires() {
        HttpPrincipalDirectory directory = directory(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"),
                ZoneOffset.UTC));

        assertThat(directory.find("00".repeat(32))).isEmpty();
        assertThat(directory.find(KNOWN)).isPresent();
        assertThat(tokensIssued).hasValue(1);
    }

    @Test
    void aRejectedTokenIsFetchedAgainOnce() {
        HttpPrincipalDirectory directory = directory(Clock.systemUTC());
        directory.find(KNOWN);
        tokensIssued.incrementAndGet(); // the server now accepts only a newer token, as after a revocation

        assertThat(directory.find(KNOWN)).isPresent();
        assertThat(authorizations).containsExactly("Bearer token-1", "Bearer token-1", "Bearer token-3");
    }

    @Test
    void theCacheAsksAgainOnlyAfterItsTimeToLive() {
        MutableClock clock = new MutableClock();
        PrincipalDirectory cached = new CachingPrincipalDirectory(directory(clock), Duration.ofSeconds(10), clock);

        cached.find(KNOWN);
        cached.find(KNOWN);
        clock.advance(Duration.ofSeconds(11));
        cached.find(KNOWN);

        assertThat(authorizations).hasSize(2);
    }

    private HttpPrincipalDirectory directory(Clock clock) {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return new HttpPrincipalDirectory(RestClient.builder(), base, base, "svc", "secret", clock);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
