package io.openiot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The bootstrap credentials the tests configure, and token requests through real HTTP. */
public final class PolicyTestCredentials {

    public static final String MASTER_KEY = "iot.policy.master-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    public static final String ADMIN_ID = "test-admin";
    public static final String ADMIN_SECRET = "admin-secret-0123456789";
    public static final String ADMIN_ACCESS_KEY_ID = "AKIATESTADMIN0000001";
    public static final String ADMIN_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public static final String SERVICE_ID = "test-services";
    public static final String SERVICE_SECRET = "service-secret-0123456789";

    /** Properties for {@code @SpringBootTest(properties = ...)}. */
    public static final String[] PROPERTIES = {PolicyApplication.CONFIG_NAME, MASTER_KEY,
            "iot.policy.bootstrap.admin-client-id=" + ADMIN_ID,
            "iot.policy.bootstrap.admin-client-secret=" + ADMIN_SECRET,
            "iot.policy.bootstrap.admin-access-key-id=" + ADMIN_ACCESS_KEY_ID,
            "iot.policy.bootstrap.admin-access-key-secret-access-key=" + ADMIN_SECRET_ACCESS_KEY,
            "iot.policy.bootstrap.service-client-id=" + SERVICE_ID,
            "iot.policy.bootstrap.service-client-secret=" + SERVICE_SECRET};

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PolicyTestCredentials() {
    }

    /** The answer of {@code POST /oauth2/token} (client secret in a Basic header), whatever its status. */
    public static HttpResponse<String> requestToken(int port, String clientId, String secret, String scope)
            throws Exception {
        String form = "grant_type=client_credentials"
                + (scope == null ? "" : "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
        String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/oauth2/token"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Basic " + basic)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An access token, asserting the request succeeded. */
    public static String token(int port, String clientId, String secret, String scope) throws Exception {
        HttpResponse<String> response = requestToken(port, clientId, secret, scope);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("access_token").asString();
    }

    public static String adminToken(int port) throws Exception {
        return token(port, ADMIN_ID, ADMIN_SECRET, null);
    }

    public static String serviceToken(int port) throws Exception {
        return token(port, SERVICE_ID, SERVICE_SECRET, null);
    }

    /** The claims of a JWT, read without verification (the tests verify through the service). */
    public static JsonNode claims(String jwt) {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    public static JsonNode header(String jwt) {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
    }

    public static JsonNode json(String body) {
        return JSON.readTree(body);
    }
}
