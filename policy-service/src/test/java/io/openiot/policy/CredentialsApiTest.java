package io.openiot.policy;

import static io.openiot.policy.PolicyTestCredentials.ADMIN_ACCESS_KEY_ID;
import static io.openiot.policy.PolicyTestCredentials.ADMIN_ID;
import static io.openiot.policy.PolicyTestCredentials.ADMIN_SECRET_ACCESS_KEY;
import static io.openiot.policy.PolicyTestCredentials.claims;
import static io.openiot.policy.PolicyTestCredentials.header;
import static io.openiot.policy.PolicyTestCredentials.json;
import static io.openiot.policy.PolicyTestCredentials.requestToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.openiot.policy.credential.domain.SigV4SigningKey;
import io.openiot.testsupport.ServiceEndpoints;
import io.openiot.testsupport.TestInfrastructure;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** Clients, tokens, signing keys, access keys and the internal endpoints, through real HTTP and PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        PolicyApplication.CONFIG_NAME, PolicyTestCredentials.MASTER_KEY,
        "iot.policy.bootstrap.admin-client-id=" + ADMIN_ID,
        "iot.policy.bootstrap.admin-client-secret=" + PolicyTestCredentials.ADMIN_SECRET,
        "iot.policy.bootstrap.admin-access-key-id=" + ADMIN_ACCESS_KEY_ID,
        "iot.policy.bootstrap.admin-access-key-secret-access-key=" + ADMIN_SECRET_ACCESS_KEY,
        "iot.policy.bootstrap.service-client-id=" + PolicyTestCredentials.SERVICE_ID,
        "iot.policy.bootstrap.service-client-secret=" + PolicyTestCredentials.SERVICE_SECRET,
        // every request sees the keys another request rotated
        "iot.policy.token.key-cache-time=0s"})
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CredentialsApiTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "policy");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    RestClient admin;
    RestClient services;

    @BeforeEach
    void clients() throws Exception {
        admin = as(PolicyTestCredentials.adminToken(port));
        services = as(PolicyTestCredentials.serviceToken(port));
    }

    RestClient as(String token) {
        RestClient.Builder builder = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> { });
        if (token != null) {
            builder.defaultHeader("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    JsonNode createClient(String body) {
        ResponseEntity<String> created = admin.post().uri("/clients").contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().toEntity(String.class);
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(HttpStatus.CREATED);
        return json(created.getBody());
    }

    @Test
    void createsListsDescribesAndRevokesClientsShowingTheSecretOnlyOnCreation() throws Exception {
        JsonNode created = createClient("{\"name\":\"dashboard\",\"scopes\":[\"iot:write\",\"iot:read\"]}");
        String clientId = created.path("clientId").asString();
        String secret = created.path("clientSecret").asString();
        assertThat(clientId).isNotBlank();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(43);
        assertThat(created.path("scopes").toString()).isEqualTo("[\"iot:read\",\"iot:write\"]");

        String described = admin.get().uri("/clients/{id}", clientId).retrieve().body(String.class);
        assertThat(json(described).path("name").asString()).isEqualTo("dashboard");
        assertThat(described).doesNotContain(secret).doesNotContain("secret");
        String listed = admin.get().uri("/clients").retrieve().body(String.class);
        assertThat(listed).contains(clientId, ADMIN_ID).doesNotContain(secret);
        assertThat(jdbc.queryForObject("SELECT secret_hash FROM app_client WHERE client_id = ?", String.class,
                clientId)).startsWith("{bcrypt}").doesNotContain(secret);

        assertThat(admin.delete().uri("/clients/{id}", clientId).retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.NO_CONTENT);
        ServiceEndpoints.assertProblem(admin.get().uri("/clients/{id}", clientId).retrieve().toEntity(String.class),
                HttpStatus.NOT_FOUND, "ResourceNotFoundException");
        assertThat(admin.get().uri("/clients").retrieve().body(String.class)).doesNotContain(clientId);
        ServiceEndpoints.assertProblem(admin.delete().uri("/clients/{id}", clientId).retrieve()
                .toEntity(String.class), HttpStatus.NOT_FOUND, "ResourceNotFoundException");
    }

    @Test
    void refusesClientsWithoutNameWithUnknownOrInternalScopesOrAnAbsurdLifetime() {
        for (String body : List.of("{\"scopes\":[\"iot:read\"]}", "{\"name\":\"x\",\"scopes\":[]}",
                "{\"name\":\"x\",\"scopes\":[\"iot:everything\"]}", "{\"name\":\"x\",\"scopes\":[\"iot:internal\"]}",
                "{\"name\":\"x\",\"scopes\":[\"iot:read\"],\"tokenLifetimeSeconds\":5}",
                "{\"name\":\"x\",\"scopes\":[\"iot:read\"],\"tokenLifetimeSeconds\":999999999}")) {
            ServiceEndpoints.assertProblem(admin.post().uri("/clients").contentType(MediaType.APPLICATION_JSON)
                    .body(body).retrieve().toEntity(String.class), HttpStatus.BAD_REQUEST, "InvalidRequestException");
        }
    }

    @Test
    void grantsAllClientScopesWhenNoneRequestedAndNarrowsToTheRequestedOnes() throws Exception {
        JsonNode client = createClient("{\"name\":\"writer\",\"scopes\":[\"iot:read\",\"iot:write\"]}");
        String id = client.path("clientId").asString();
        String secret = client.path("clientSecret").asString();

        String all = PolicyTestCredentials.token(port, id, secret, null);
        assertThat(claims(all).path("sub").asString()).isEqualTo(id);
        assertThat(scopes(all)).containsExactlyInAnyOrder("iot:read", "iot:write");
        assertThat(header(all).path("alg").asString()).isEqualTo("RS256");

        assertThat(scopes(PolicyTestCredentials.token(port, id, secret, "iot:read"))).containsExactly("iot:read");

        HttpResponse<String> tooMuch = requestToken(port, id, secret, "iot:read iot:admin");
        assertThat(tooMuch.statusCode()).isEqualTo(400);
        assertThat(json(tooMuch.body()).path("error").asString()).isEqualTo("invalid_scope");
    }

    @Test
    void issuesTokensWithTheDefaultOrTheClientsOwnLifetime() throws Exception {
        JsonNode client = createClient("{\"name\":\"short\",\"scopes\":[\"iot:read\"],\"tokenLifetimeSeconds\":120}");
        JsonNode shortLived = claims(PolicyTestCredentials.token(port, client.path("clientId").asString(),
                client.path("clientSecret").asString(), null));
        assertThat(shortLived.path("exp").asLong() - shortLived.path("iat").asLong()).isEqualTo(120);

        JsonNode adminClaims = claims(PolicyTestCredentials.adminToken(port));
        assertThat(adminClaims.path("exp").asLong() - adminClaims.path("iat").asLong()).isEqualTo(3600);
    }

    @Test
    void refusesTheOldSecretAfterRotationAndAcceptsTheNewOne() throws Exception {
        JsonNode client = createClient("{\"name\":\"rotating\",\"scopes\":[\"iot:read\"]}");
        String id = client.path("clientId").asString();
        String oldSecret = client.path("clientSecret").asString();

        String rotated = admin.post().uri("/clients/{id}/secret", id).retrieve().body(String.class);
        String newSecret = json(rotated).path("clientSecret").asString();

        assertThat(newSecret).isNotEqualTo(oldSecret);
        HttpResponse<String> old = requestToken(port, id, oldSecret, null);
        assertThat(old.statusCode()).isEqualTo(401);
        assertThat(json(old.body()).path("error").asString()).isEqualTo("invalid_client");
        assertThat(PolicyTestCredentials.token(port, id, newSecret, null)).isNotBlank();
    }

    @Test
    void refusesTokenRequestsAndIssuedTokensOfARevokedClientAndListsTheRevocation() throws Exception {
        JsonNode client = createClient("{\"name\":\"leaving\",\"scopes\":[\"iot:admin\"]}");
        String id = client.path("clientId").asString();
        String secret = client.path("clientSecret").asString();
        RestClient leaving = as(PolicyTestCredentials.token(port, id, secret, null));
        assertThat(leaving.get().uri("/clients").retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.OK);
        long beforeRevocation = System.currentTimeMillis();

        admin.delete().uri("/clients/{id}", id).retrieve().toBodilessEntity();

        HttpResponse<String> refused = requestToken(port, id, secret, null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused.body()).path("error").asString()).isEqualTo("invalid_client");
        ResponseEntity<String> withOldToken = leaving.get().uri("/clients").retrieve().toEntity(String.class);
        assertThat(withOldToken.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(withOldToken.getHeaders().getFirst("WWW-Authenticate")).startsWith("Bearer")
                .contains("invalid_token");

        JsonNode revocations = json(services.get().uri("/internal/revocations").retrieve().body(String.class));
        JsonNode entry = find(revocations.path("clients"), "clientId", id);
        assertThat(entry).as(revocations.toString()).isNotNull();
        assertThat(entry.path("revokedAt").asLong()).isBetween(beforeRevocation - 1000,
                System.currentTimeMillis() + 1000);
    }

    @Test
    void keepsVerifyingTokensOfTheRetiredKeyAfterRotationWhileSigningWithTheNewOne() throws Exception {
        String before = PolicyTestCredentials.adminToken(port);
        String oldKeyId = header(before).path("kid").asString();

        String rotated = admin.post().uri("/token-keys/rotate").retrieve().body(String.class);
        String newKeyId = json(rotated).path("keyId").asString();
        String after = PolicyTestCredentials.adminToken(port);

        assertThat(newKeyId).isNotEqualTo(oldKeyId);
        assertThat(header(after).path("kid").asString()).isEqualTo(newKeyId);
        String jwks = as(null).get().uri("/oauth2/jwks").retrieve().body(String.class);
        assertThat(jwks).contains(oldKeyId, newKeyId).doesNotContain("\"d\"");
        // verified as another service would: the published JWKS over HTTP
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri("http://localhost:" + port + "/oauth2/jwks").build();
        Jwt old = decoder.decode(before);
        assertThat(old.getSubject()).isEqualTo(ADMIN_ID);
        assertThat(decoder.decode(after).getSubject()).isEqualTo(ADMIN_ID);
        assertThat(as(before).get().uri("/clients").retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.OK);
        assertThat(admin.get().uri("/token-keys").retrieve().body(String.class)).contains(oldKeyId, newKeyId);
    }

    @Test
    void createsAccessKeysShowingTheSecretOnceAndDerivesTheirSigV4SigningKeys() throws Exception {
        JsonNode client = createClient("{\"name\":\"cli\",\"scopes\":[\"iot:read\",\"iot:write\"]}");
        String clientId = client.path("clientId").asString();
        JsonNode key = json(admin.post().uri("/clients/{id}/access-keys", clientId).retrieve().body(String.class));
        String accessKeyId = key.path("accessKeyId").asString();
        String secret = key.path("secretAccessKey").asString();

        assertThat(accessKeyId).hasSize(20).startsWith("AKIA").matches("[A-Z0-9]{20}");
        assertThat(secret).hasSize(40);
        assertThat(key.path("status").asString()).isEqualTo("Active");
        String listed = admin.get().uri("/clients/{id}/access-keys", clientId).retrieve().body(String.class);
        assertThat(listed).contains(accessKeyId).doesNotContain(secret);
        byte[] stored = jdbc.queryForObject("SELECT secret_encrypted FROM access_key WHERE access_key_id = ?",
                byte[].class, accessKeyId);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(secret);

        JsonNode signing = signingKey(accessKeyId, "20260301", "us-east-1", "iotdata").getBody();
        assertThat(signing.path("clientId").asString()).isEqualTo(clientId);
        assertThat(signing.path("scopes").toString()).isEqualTo("[\"iot:read\",\"iot:write\"]");
        assertThat(Base64.getDecoder().decode(signing.path("signingKey").asString()))
                .isEqualTo(SigV4SigningKey.derive(secret, "20260301", "us-east-1", "iotdata"));
        assertThat(signing.toString()).doesNotContain(secret);
    }

    @Test
    void derivesTheBootstrapKeysSigningKeyAsAwsDocumentsForItsExampleSecret() {
        // the bootstrap key's secret is AWS's documented example secret; AWS publishes this derived key for it
        JsonNode signing = signingKey(ADMIN_ACCESS_KEY_ID, "20120215", "us-east-1", "iam").getBody();
        assertThat(java.util.HexFormat.of().formatHex(Base64.getDecoder().decode(
                signing.path("signingKey").asString())))
                .isEqualTo("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
        assertThat(signing.path("clientId").asString()).isEqualTo(ADMIN_ID);
    }

    @Test
    void answersUnrecognizedClientForInactiveDeletedAndUnknownKeysAndListsThem() throws Exception {
        String clientId = createClient("{\"name\":\"sdk\",\"scopes\":[\"iot:read\"]}").path("clientId").asString();
        String accessKeyId = json(admin.post().uri("/clients/{id}/access-keys", clientId).retrieve()
                .body(String.class)).path("accessKeyId").asString();

        JsonNode inactive = json(admin.patch().uri("/clients/{c}/access-keys/{k}", clientId, accessKeyId)
                .contentType(MediaType.APPLICATION_JSON).body("{\"status\":\"Inactive\"}").retrieve()
                .body(String.class));
        assertThat(inactive.path("status").asString()).isEqualTo("Inactive");
        assertUnrecognized(accessKeyId);
        assertThat(find(json(services.get().uri("/internal/revocations").retrieve().body(String.class))
                .path("accessKeys"), "accessKeyId", accessKeyId)).isNotNull();

        admin.patch().uri("/clients/{c}/access-keys/{k}", clientId, accessKeyId)
                .contentType(MediaType.APPLICATION_JSON).body("{\"status\":\"Active\"}").retrieve().toBodilessEntity();
        assertThat(signingKey(accessKeyId, "20260301", "us-east-1", "execute-api").getStatusCode())
                .isEqualTo(HttpStatus.OK);
        ServiceEndpoints.assertProblem(admin.patch().uri("/clients/{c}/access-keys/{k}", clientId, accessKeyId)
                .contentType(MediaType.APPLICATION_JSON).body("{\"status\":\"Paused\"}").retrieve()
                .toEntity(String.class), HttpStatus.BAD_REQUEST, "InvalidRequestException");

        assertThat(admin.delete().uri("/clients/{c}/access-keys/{k}", clientId, accessKeyId).retrieve()
                .toBodilessEntity().getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
        assertUnrecognized(accessKeyId);
        assertThat(admin.get().uri("/clients/{id}/access-keys", clientId).retrieve().body(String.class))
                .doesNotContain(accessKeyId);
        assertUnrecognized("AKIAUNKNOWN000000000");
    }

    @Test
    void refusesTheKeysOfARevokedClient() throws Exception {
        String clientId = createClient("{\"name\":\"gone\",\"scopes\":[\"iot:read\"]}").path("clientId").asString();
        String accessKeyId = json(admin.post().uri("/clients/{id}/access-keys", clientId).retrieve()
                .body(String.class)).path("accessKeyId").asString();

        admin.delete().uri("/clients/{id}", clientId).retrieve().toBodilessEntity();

        assertUnrecognized(accessKeyId);
        assertThat(find(json(services.get().uri("/internal/revocations").retrieve().body(String.class))
                .path("accessKeys"), "accessKeyId", accessKeyId)).isNotNull();
    }

    @Test
    void refusesInternalEndpointsToTokensWithoutTheInternalScopeAndToAnonymousCallers() throws Exception {
        ResponseEntity<String> asAdmin = admin.get().uri("/internal/revocations").retrieve().toEntity(String.class);
        assertThat(asAdmin.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(asAdmin.getHeaders().getFirst("WWW-Authenticate")).contains("insufficient_scope");
        assertThat(admin.post().uri("/internal/sigv4/signing-key").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("accessKeyId", ADMIN_ACCESS_KEY_ID, "date", "20260301", "region", "us-east-1",
                        "service", "iotdata"))
                .retrieve().toBodilessEntity().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);

        ResponseEntity<String> anonymous = as(null).get().uri("/internal/revocations").retrieve()
                .toEntity(String.class);
        assertThat(anonymous.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(anonymous.getHeaders().getFirst("WWW-Authenticate")).startsWith("Bearer");
        assertThat(services.get().uri("/clients").retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
        ResponseEntity<String> forged = as(PolicyTestCredentials.adminToken(port) + "x").get().uri("/clients")
                .retrieve().toEntity(String.class);
        assertThat(forged.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void leavesHealthMetricsApiDocsAndJwksOpenAndPublishesServerMetadata() {
        RestClient anonymous = as(null);
        for (String open : List.of("/actuator/health/liveness", "/actuator/health/readiness", "/actuator/prometheus",
                "/v3/api-docs", "/oauth2/jwks", "/.well-known/oauth-authorization-server")) {
            assertThat(anonymous.get().uri(open).retrieve().toBodilessEntity().getStatusCode()).as(open)
                    .isEqualTo(HttpStatus.OK);
        }
        assertThat(anonymous.get().uri("/.well-known/oauth-authorization-server").retrieve().body(String.class))
                .contains("/oauth2/token", "client_credentials");
        assertThat(anonymous.get().uri("/v3/api-docs").retrieve().body(String.class))
                .contains("/clients/{clientId}/access-keys", "/internal/sigv4/signing-key", "bearer");
    }

    private ResponseEntity<JsonNode> signingKey(String accessKeyId, String date, String region, String service) {
        ResponseEntity<String> response = services.post().uri("/internal/sigv4/signing-key")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("accessKeyId", accessKeyId, "date", date, "region", region, "service", service))
                .retrieve().toEntity(String.class);
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                .body(json(response.getBody()));
    }

    private void assertUnrecognized(String accessKeyId) {
        ResponseEntity<String> response = services.post().uri("/internal/sigv4/signing-key")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("accessKeyId", accessKeyId, "date", "20260301", "region", "us-east-1",
                        "service", "iotdata"))
                .retrieve().toEntity(String.class);
        ServiceEndpoints.assertProblem(response, HttpStatus.NOT_FOUND, "UnrecognizedClientException");
        assertThat(response.getHeaders().getFirst("x-amzn-ErrorType")).isEqualTo("UnrecognizedClientException");
    }

    private static List<String> scopes(String jwt) {
        List<String> scopes = new ArrayList<>();
        JsonNode scope = claims(jwt).path("scope");
        if (scope.isArray()) {
            scope.forEach(s -> scopes.add(s.asString()));
        } else {
            scopes.addAll(List.of(scope.asString().split(" ")));
        }
        return scopes;
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode entry : array) {
            if (value.equals(entry.path(field).asString())) {
                return entry;
            }
        }
        return null;
    }
}
