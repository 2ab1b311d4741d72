package io.openiot.web;

import static io.openiot.web.testapp.WebTestApplication.ADMIN_KEY;
import static io.openiot.web.testapp.WebTestApplication.ADMIN_SECRET;
import static io.openiot.web.testapp.WebTestApplication.READER_KEY;
import static io.openiot.web.testapp.WebTestApplication.READER_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.openiot.testsupport.TestTokenIssuer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The attack cases, each one real HTTP request against the running test app: every one is denied with the status
 * and AWS error type the spec gives it, and none is a 500.
 */
class AttackCasesTest extends WebTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String THING_BODY = "{\"attributePayload\":{\"attributes\":{\"color\":\"red\"}}}";

    /** One attack: what it is, and how to send it against the app at a base URL and port. */
    record Attack(String name, int status, String errorType, boolean bearerChallenge,
                  Function<AttackCasesTest, Answer> send) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Answer(int status, String errorType, String wwwAuthenticate, String body) {
    }

    static Stream<Arguments> attacks() {
        return Stream.of(
                new Attack("no credentials", 401, "UnauthorizedException", true,
                        t -> t.bearer(null, "GET", "/things", null)),
                new Attack("expired token", 401, "UnauthorizedException", true,
                        t -> t.bearer(platform().token("admin-client", Instant.now().minus(Duration.ofHours(2)),
                                Duration.ofHours(1), TestTokenIssuer.ADMIN), "GET", "/things", null)),
                new Attack("token signed by another key", 401, "UnauthorizedException", true,
                        t -> t.bearer(forged(), "GET", "/things", null)),
                new Attack("alg none", 401, "UnauthorizedException", true,
                        t -> t.bearer(new PlainJWT(platform().claims("admin-client", Instant.now(),
                                Duration.ofHours(1), TestTokenIssuer.ADMIN).build()).serialize(), "GET", "/things", null)),
                new Attack("token of an issuer nobody trusts", 401, "UnauthorizedException", true,
                        t -> t.bearer(stranger().adminToken(), "GET", "/things", null)),
                new Attack("token whose issuer's keys cannot be fetched: 503, not 500", 503,
                        "ServiceUnavailableException", false,
                        t -> t.bearer(EXTERNAL.sign(EXTERNAL.claims("someone", Instant.now(), Duration.ofHours(1),
                                TestTokenIssuer.READ).issuer(UNREACHABLE_ISSUER).build()), "GET", "/things", null)),
                new Attack("read-scope token writing", 403, "AccessDeniedException", true,
                        t -> t.bearer(platform().token("reader", TestTokenIssuer.READ), "POST", "/things/t1",
                                THING_BODY)),
                new Attack("write token on an admin path", 403, "AccessDeniedException", true,
                        t -> t.bearer(platform().token("writer", TestTokenIssuer.READ, TestTokenIssuer.WRITE),
                                "GET", "/clients", null)),
                new Attack("admin token on an internal path", 403, "AccessDeniedException", true,
                        t -> t.bearer(platform().adminToken(), "GET", "/internal/ping", null)),
                new Attack("external issuer's token claiming the internal scope", 403, "AccessDeniedException", true,
                        t -> t.bearer(EXTERNAL.sign(EXTERNAL.claims("ext-user", Instant.now(), Duration.ofHours(1))
                                .claim("roles", List.of("root")).build()), "GET", "/internal/ping", null)),
                new Attack("SigV4 dated more than 5 minutes ago (replay)", 403, "InvalidSignatureException", false,
                        t -> t.sigv4("GET", "/things", null, null, ADMIN_KEY, ADMIN_SECRET,
                                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-6)), false)),
                new Attack("SigV4 dated more than 5 minutes ahead", 403, "InvalidSignatureException", false,
                        t -> t.sigv4("GET", "/things", null, null, ADMIN_KEY, ADMIN_SECRET,
                                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6)), false)),
                new Attack("SigV4 signature over a different body", 403, "InvalidSignatureException", false,
                        t -> t.sigv4("POST", "/things/t2", THING_BODY, THING_BODY.replace("red", "blue"), ADMIN_KEY,
                                ADMIN_SECRET, Clock.systemUTC(), false)),
                new Attack("SigV4 with an unknown access key", 403, "UnrecognizedClientException", false,
                        t -> t.sigv4("GET", "/things", null, null, "AKIAUNKNOWN000000000", ADMIN_SECRET,
                                Clock.systemUTC(), false)),
                new Attack("SigV4 with a wrong secret", 403, "InvalidSignatureException", false,
                        t -> t.sigv4("GET", "/things", null, null, ADMIN_KEY, ADMIN_SECRET + "x",
                                Clock.systemUTC(), false)),
                new Attack("SigV4 read-only key writing", 403, "AccessDeniedException", false,
                        t -> t.sigv4("POST", "/things/t3", THING_BODY, THING_BODY, READER_KEY, READER_SECRET,
                                Clock.systemUTC(), false)),
                new Attack("presigned URL replayed after it expired", 403, "InvalidSignatureException", false,
                        t -> t.sigv4("GET", "/things", null, null, ADMIN_KEY, ADMIN_SECRET,
                                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20)), true)),
                new Attack("presigned URL with a wrong secret", 403, "InvalidSignatureException", false,
                        t -> t.sigv4("GET", "/things", null, null, ADMIN_KEY, "wrong", Clock.systemUTC(), true)),
                new Attack("SigV4 scoped to another region", 403, "InvalidSignatureException", false,
                        t -> t.rawSigV4("AWS4-HMAC-SHA256 Credential=" + ADMIN_KEY
                                + "/20260101/eu-west-1/iot/aws4_request, SignedHeaders=host;x-amz-date, Signature=00")),
                new Attack("malformed SigV4 header", 403, "IncompleteSignatureException", false,
                        t -> t.rawSigV4("AWS4-HMAC-SHA256 Credential=" + ADMIN_KEY)))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void attackIsDeniedWithItsAwsErrorType(Attack attack) {
        Answer answer = attack.send().apply(this);
        assertThat(answer.status()).as(answer.body()).isEqualTo(attack.status());
        assertThat(answer.errorType()).isEqualTo(attack.errorType());
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("code").asString()).isEqualTo(attack.errorType());
        assertThat(body.path("__type").asString()).isEqualTo(attack.errorType());
        assertThat(body.path("message").asString()).isNotBlank();
        assertThat(body.path("status").asInt()).isEqualTo(attack.status());
        if (attack.bearerChallenge()) {
            assertThat(answer.wwwAuthenticate()).startsWith("Bearer");
        }
        assertThat(body.toString()).doesNotContain(ADMIN_SECRET, READER_SECRET);
    }

    Answer bearer(String token, String method, String path, String body) {
        var request = client(token).method(org.springframework.http.HttpMethod.valueOf(method)).uri(path);
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        ResponseEntity<String> response = request.retrieve().toEntity(String.class);
        return new Answer(response.getStatusCode().value(), response.getHeaders().getFirst("x-amzn-ErrorType"),
                response.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE), response.getBody());
    }

    Answer sigv4(String method, String path, String signedBody, String sentBody, String key, String secret,
                 Clock clock, boolean presigned) {
        HttpResponse<String> response = new SdkSigner(baseUrl()).send(method, path, signedBody, sentBody, key, secret,
                "iot", clock, presigned);
        return new Answer(response.statusCode(), response.headers().firstValue("x-amzn-ErrorType").orElse(null),
                response.headers().firstValue("WWW-Authenticate").orElse(null), response.body());
    }

    Answer rawSigV4(String authorization) {
        ResponseEntity<String> response = client(null).get().uri("/things")
                .header(HttpHeaders.AUTHORIZATION, authorization).header("x-amz-date", "20260101T000000Z")
                .retrieve().toEntity(String.class);
        return new Answer(response.getStatusCode().value(), response.getHeaders().getFirst("x-amzn-ErrorType"),
                null, response.getBody());
    }

    /** Right issuer, right key id, right claims — but signed with a key the issuer never published. */
    private static String forged() {
        try {
            RSAKey other = new RSAKeyGenerator(2048).keyID(platform().keyId()).generate();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(other.getKeyID()).build(),
                    platform().claims("admin-client", Instant.now(), Duration.ofHours(1), TestTokenIssuer.ADMIN)
                            .build());
            jwt.sign(new RSASSASigner(other));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TestTokenIssuer stranger;

    /** An issuer nobody configured. */
    private static synchronized TestTokenIssuer stranger() {
        if (stranger == null) {
            stranger = TestTokenIssuer.start();
        }
        return stranger;
    }
}
