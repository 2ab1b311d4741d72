package io.openiot.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real token issuer for tests: an HTTP server on a free loopback port serving OIDC metadata and a JWKS, and
 * signing RS256 JWTs with chosen subjects, scopes and lifetimes — what a service under test fetches and verifies
 * exactly as it would policy-service's or an external identity provider's.
 *
 * <pre>{@code
 * @DynamicPropertySource
 * static void infrastructure(DynamicPropertyRegistry registry) {
 *     TestInfrastructure.register(registry, "rules");
 *     TestTokenIssuer.registerAsPlatformIssuer(registry);
 * }
 * }</pre>
 */
public final class TestTokenIssuer implements AutoCloseable {

    public static final String READ = "iot:read";
    public static final String WRITE = "iot:write";
    public static final String ADMIN = "iot:admin";
    public static final String INTERNAL = "iot:internal";

    private static TestTokenIssuer shared;

    private final HttpServer server;
    private final RSAKey key;
    private final String issuer;
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private volatile boolean available = true;
    private final Map<String, Client> clients = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();

    private record Client(String secret, List<String> scopes) {
    }

    private TestTokenIssuer() {
        try {
            key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate an RSA key", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        issuer = "http://127.0.0.1:" + server.getAddress().getPort();
        JsonMapper json = JsonMapper.builder().build();
        byte[] metadata = json.writeValueAsBytes(Map.of("issuer", issuer, "jwks_uri", jwkSetUri(),
                "token_endpoint", issuer + "/oauth2/token", "subject_types_supported", List.of("public"),
                "id_token_signing_alg_values_supported", List.of("RS256"), "response_types_supported",
                List.of("token")));
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/.well-known/openid-configuration", exchange -> reply(exchange, metadata));
        server.createContext("/.well-known/oauth-authorization-server", exchange -> reply(exchange, metadata));
        server.createContext("/oauth2/token", this::clientCredentials);
        server.createContext("/oauth2/jwks", exchange -> {
            jwksRequests.incrementAndGet();
            reply(exchange, jwks);
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "test-token-issuer");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    /** A new issuer with a key of its own; close it when done. */
    public static TestTokenIssuer start() {
        return new TestTokenIssuer();
    }

    /** The issuer all service tests of this JVM share; started on first use, stopped with the JVM. */
    public static synchronized TestTokenIssuer shared() {
        if (shared == null) {
            shared = new TestTokenIssuer();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "test-token-issuer-stop"));
        }
        return shared;
    }

    /** Makes the shared issuer the service's platform issuer ({@code iot.security.platform-issuer-uri}). */
    public static void registerAsPlatformIssuer(DynamicPropertyRegistry registry) {
        TestTokenIssuer issuer = shared();
        registry.add("iot.security.platform-issuer-uri", issuer::issuerUri);
    }

    /** Makes this issuer the service's {@code iot.security.trusted-issuers[index]}, its scopes taken as they are. */
    public void registerAsTrustedIssuer(DynamicPropertyRegistry registry, int index) {
        registry.add("iot.security.trusted-issuers[" + index + "].issuer-uri", this::issuerUri);
    }

    public String issuerUri() {
        return issuer;
    }

    public String jwkSetUri() {
        return issuer + "/oauth2/jwks";
    }

    /** How often the JWKS has been fetched, to show that verifiers cache it. */
    public int jwksRequests() {
        return jwksRequests.get();
    }

    /** While unavailable the issuer answers 503 to everything, as a down policy-service would fail. */
    public void setAvailable(boolean available) {
        this.available = available;
    }

    /**
     * Lets a client obtain tokens with the client-credentials grant at {@code POST /oauth2/token} (HTTP Basic
     * client authentication), the way a service client does at policy-service.
     */
    public void registerClient(String clientId, String secret, String... scopes) {
        clients.put(clientId, new Client(secret, List.of(scopes)));
    }

    /** How many tokens {@code /oauth2/token} has issued, to show that callers keep theirs until it expires. */
    public int tokensIssued() {
        return tokensIssued.get();
    }

    /** A token valid for an hour from now. */
    public String token(String subject, String... scopes) {
        return token(subject, Instant.now(), Duration.ofHours(1), scopes);
    }

    /** A token with read, write and admin scopes for subject {@code test-admin}. */
    public String adminToken() {
        return token("test-admin", READ, WRITE, ADMIN);
    }

    public String token(String subject, Instant issuedAt, Duration lifetime, String... scopes) {
        return sign(claims(subject, issuedAt, lifetime, scopes).build());
    }

    /** The claims a client-credentials token of the platform carries: {@code scope} is space-separated. */
    public JWTClaimsSet.Builder claims(String subject, Instant issuedAt, Duration lifetime, String... scopes) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .issueTime(Date.from(issuedAt))
                .notBeforeTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .claim("scope", String.join(" ", scopes));
    }

    /** Signs any claims with this issuer's key (RS256, with its key id). */
    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a token", e);
        }
    }

    /** The key id tokens of this issuer name, for a test that forges one with another key. */
    public String keyId() {
        return key.getKeyID();
    }

    /** Adds {@code Authorization: Bearer <token>} to every request of a {@code RestClient}. */
    public static ClientHttpRequestInterceptor bearer(String token) {
        return (request, body, execution) -> {
            request.getHeaders().set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
            return execution.execute(request, body);
        };
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void clientCredentials(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Client client = null;
        String clientId = null;
        if (authorization != null && authorization.startsWith("Basic ")) {
            String[] pair = new String(java.util.Base64.getDecoder().decode(authorization.substring(6)),
                    StandardCharsets.UTF_8).split(":", 2);
            clientId = java.net.URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
            Client candidate = clients.get(clientId);
            if (pair.length == 2 && candidate != null
                    && candidate.secret().equals(java.net.URLDecoder.decode(pair[1], StandardCharsets.UTF_8))) {
                client = candidate;
            }
        }
        JsonMapper json = JsonMapper.builder().build();
        if (client == null || !body.contains("grant_type=client_credentials")) {
            byte[] error = json.writeValueAsBytes(Map.of("error", "invalid_client"));
            try (exchange) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(401, error.length);
                exchange.getResponseBody().write(error);
            }
            return;
        }
        tokensIssued.incrementAndGet();
        String token = token(clientId, client.scopes().toArray(String[]::new));
        reply(exchange, json.writeValueAsBytes(Map.of("access_token", token, "token_type", "Bearer",
                "expires_in", 3600, "scope", String.join(" ", client.scopes()))));
    }

    private void reply(HttpExchange exchange, byte[] body) throws IOException {
        try (exchange) {
            if (!available) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
