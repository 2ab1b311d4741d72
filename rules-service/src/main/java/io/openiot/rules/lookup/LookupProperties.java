package io.openiot.rules.lookup;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code iot.rules.functions.*}: where {@code get_thing_shadow} and {@code get_dynamodb} read, how long they wait,
 * what a rule keeps, and the client whose token they send.
 *
 * @param shadowUrl      shadow-service's base URL ({@code GET /things/{thing}/shadow[?name=]})
 * @param sinkUrl        sink-service's base URL ({@code GET /tables/{table}/items/{pk}[/{sk}]})
 * @param timeout        how long one lookup may take (connecting included) before it fails
 * @param failureBackoff after a service failed (down, timeout, 5xx), how long lookups to it fail at once instead of
 *                       waiting again, so that a dead service costs the engine one timeout, not one per message
 * @param cacheTtl       how long a rule keeps an answer (found or not found); 0 keeps none
 * @param cacheSize      how many answers a rule keeps at most
 * @param clientId       the client whose client-credentials token the lookups carry; none: no token is sent
 * @param clientSecret   its secret; never logged
 * @param tokenUri       the token endpoint; default {@code {iot.security.platform-issuer-uri}/oauth2/token}
 * @param scope          the scope asked for: reading is all the lookups do
 * @param tokenTimeout   how long fetching a token may take (once per token lifetime; signing can be slow on a
 *                       busy machine)
 */
@ConfigurationProperties("iot.rules.functions")
record LookupProperties(String shadowUrl, String sinkUrl, Duration timeout, Duration failureBackoff,
                        Duration cacheTtl, Integer cacheSize, String clientId, String clientSecret, String tokenUri,
                        String scope, Duration tokenTimeout) {

    LookupProperties {
        shadowUrl = stripSlash(shadowUrl == null || shadowUrl.isBlank() ? "http://localhost:8083" : shadowUrl);
        sinkUrl = stripSlash(sinkUrl == null || sinkUrl.isBlank() ? "http://localhost:8086" : sinkUrl);
        timeout = timeout == null ? Duration.ofSeconds(2) : timeout;
        failureBackoff = failureBackoff == null ? Duration.ofSeconds(5) : failureBackoff;
        cacheTtl = cacheTtl == null ? Duration.ofSeconds(1) : cacheTtl;
        cacheSize = cacheSize == null ? 1000 : cacheSize;
        scope = scope == null || scope.isBlank() ? "iot:read" : scope;
        tokenUri = tokenUri == null || tokenUri.isBlank() ? null : tokenUri;
        tokenTimeout = tokenTimeout == null ? Duration.ofSeconds(10) : tokenTimeout;
    }

    boolean clientConfigured() {
        return clientId != null && !clientId.isBlank() && clientSecret != null && !clientSecret.isBlank();
    }

    /** The scopes of {@link #scope()}, which is space-separated as in an OAuth2 token request. */
    List<String> scopes() {
        return List.of(scope.trim().split("\\s+"));
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String toString() {
        return "LookupProperties[shadowUrl=" + shadowUrl + ", sinkUrl=" + sinkUrl + ", timeout=" + timeout
                + ", failureBackoff=" + failureBackoff + ", cacheTtl=" + cacheTtl + ", cacheSize=" + cacheSize
                + ", clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? "null" : "***")
                + ", tokenUri=" + tokenUri + ", scope=" + scope + "]";
    }
}
