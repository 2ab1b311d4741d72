package io.openiot.rules.lookup;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openiot.rules.sql.LookupFailedException;
import io.openiot.testsupport.TestTokenIssuer;
import io.openiot.web.security.ClientCredentialsTokens;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP side of the lookups against a real HTTP server answering as shadow-service and sink-service do, with
 * tokens from a real token endpoint: what a 200, a 404, a 5xx, a refused connection and a late answer become.
 */
@Timeout(60)
class HttpExternalDataTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ShadowAndSinkEndpoint services;
    private static TestTokenIssuer issuer;

    @BeforeAll
    static void start() {
        services = ShadowAndSinkEndpoint.start();
        issuer = TestTokenIssuer.start();
        issuer.registerClient("reader", "reader-secret", TestTokenIssuer.READ);
    }

    @AfterAll
    static void stop() {
        services.close();
        issuer.close();
    }

    /** A clock that moves only when told to. */
    private static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static HttpExternalData client(String url, Duration timeout, Clock clock) {
        LookupProperties properties = new LookupProperties(url, url, timeout, Duration.ofSeconds(5), null, null,
                "reader", "reader-secret", issuer.issuerUri() + "/oauth2/token", null, null);
        return new HttpExternalData(properties, new ClientCredentialsTokens("test-lookups",
                properties.tokenUri(), "reader", "reader-secret", properties.scopes(), properties.tokenTimeout()), JSON, clock);
    }

    @Test
    void readsShadowsAndItemsWithTheClientsReadOnlyTokenAndKeepsTheToken() {
        services.putShadow("thing-1", null, "{\"state\":{\"reported\":{\"on\":true}},\"version\":1}");
        services.putShadow("thing-1", "cfg", "{\"state\":{},\"version\":4}");
        services.putItem("devices", "dev 1/a", null, "{\"id\":\"dev 1/a\",\"owner\":\"ana\"}");
        services.putItem("readings", "dev-1", "1700", "{\"id\":\"dev-1\",\"ts\":1700,\"v\":2.5}");
        HttpExternalData data = client(services.url(), Duration.ofSeconds(2), Clock.systemUTC());
        int tokensBefore = issuer.tokensIssued();

        assertThat(text(data.thingShadow("thing-1", null)))
                .isEqualTo("{\"state\":{\"reported\":{\"on\":true}},\"version\":1}");
        assertThat(text(data.thingShadow("thing-1", "cfg"))).isEqualTo("{\"state\":{},\"version\":4}");
        assertThat(data.thingShadow("thing-2", null)).isEmpty();
        // the item as written, out of the sink's item view; a key with a space and a slash is one path segment
        assertThat(text(data.item("devices", "dev 1/a", null))).isEqualTo("{\"id\":\"dev 1/a\",\"owner\":\"ana\"}");
        assertThat(text(data.item("readings", "dev-1", "1700"))).isEqualTo("{\"id\":\"dev-1\",\"ts\":1700,\"v\":2.5}");
        assertThat(data.item("readings", "dev-1", "1800")).isEmpty();

        assertThat(services.requests()).contains("GET /things/thing-1/shadow sub=reader scope=iot:read",
                "GET /things/thing-1/shadow?name=cfg sub=reader scope=iot:read",
                "GET /tables/devices/items/dev%201%2Fa sub=reader scope=iot:read",
                "GET /tables/readings/items/dev-1/1700 sub=reader scope=iot:read");
        assertThat(issuer.tokensIssued() - tokensBefore).isEqualTo(1);
    }

    @Test
    void aFailingServiceFailsTheLookupAndIsNotAskedAgainDuringTheBackOff() {
        ShadowAndSinkEndpoint failing = ShadowAndSinkEndpoint.start();
        try {
            failing.failWith(503);
            TestClock clock = new TestClock();
            HttpExternalData data = client(failing.url(), Duration.ofSeconds(2), clock);

            assertThatThrownBy(() -> data.thingShadow("t", null)).isInstanceOf(LookupFailedException.class)
                    .hasMessageContaining("shadow-service answered 503 ServiceUnavailableException");
            assertThatThrownBy(() -> data.thingShadow("t", null)).isInstanceOf(LookupFailedException.class)
                    .hasMessageContaining("not asked again");
            // the sink is another service: its own state
            assertThatThrownBy(() -> data.item("x", "k", null)).isInstanceOf(LookupFailedException.class)
                    .hasMessageContaining("sink-service answered 503");
            assertThat(failing.requests()).hasSize(2);

            clock.now = clock.now.plusSeconds(5);
            failing.failWith(0);
            assertThat(data.thingShadow("t", null)).isEmpty();
            assertThat(failing.requests()).hasSize(3);
        } finally {
            failing.close();
        }
    }

    @Test
    void aServiceThatDoesNotAnswerInTimeFailsTheLookupAfterTheTimeout() {
        ShadowAndSinkEndpoint slow = ShadowAndSinkEndpoint.start();
        try {
            slow.delay(3_000);
            HttpExternalData data = client(slow.url(), Duration.ofMillis(300), Clock.systemUTC());
            long started = System.nanoTime();
            assertThatThrownBy(() -> data.thingShadow("t", null)).isInstanceOf(LookupFailedException.class)
                    .hasMessageContaining("did not answer");
            // the server would answer after 3 s: the lookup gave up before that
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_900));
        } finally {
            slow.close();
        }
    }

    @Test
    void aServiceThatIsDownFailsTheLookup() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        HttpExternalData data = client("http://127.0.0.1:" + port, Duration.ofSeconds(1), Clock.systemUTC());
        assertThatThrownBy(() -> data.item("t", "k", null)).isInstanceOf(LookupFailedException.class)
                .hasMessageContaining("sink-service did not answer");
    }

    @Test
    void withoutAClientNoTokenIsSentAndTheRefusalFailsTheLookup() {
        LookupProperties properties = new LookupProperties(services.url(), services.url(), null, null, null, null,
                null, null, null, null, null);
        HttpExternalData data = new HttpExternalData(properties, null, JSON, Clock.systemUTC());
        assertThatThrownBy(() -> data.thingShadow("thing-1", null)).isInstanceOf(LookupFailedException.class)
                .hasMessageContaining("refused the lookup: 401 UnauthorizedException");
        assertThat(properties.toString()).doesNotContain("reader-secret");
    }

    private static String text(Optional<byte[]> answer) {
        assertThat(answer).isPresent();
        return new String(answer.get(), UTF_8);
    }
}
