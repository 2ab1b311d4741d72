package io.openiot.web.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code iot.security.*}: whom a service trusts and how it reaches policy-service.
 *
 * @param platformIssuerUri the platform's authorization server (policy-service's base URL); its tokens carry our
 *                          scopes in {@code scope}
 * @param jwkSetUri the platform issuer's JWKS; default {@code {platformIssuerUri}/oauth2/jwks}
 * @param trustedIssuers further OIDC issuers whose tokens are accepted, with their claim-to-scope mapping
 * @param sigv4 Signature Version 4 verification
 * @param serviceClient this service's own client, for policy-service's internal endpoints
 * @param policyServiceUrl where the internal endpoints are; default the platform issuer
 * @param revocationPollInterval how often revoked clients and access keys are fetched
 * @param allowEncodedSlash let {@code %2F} through the firewall (the gateway's {@code POST /topics/{topic}})
 * @param openPaths paths open without credentials besides health, metrics and OpenAPI
 * @param verifiedTokenCacheSize how many verified bearer JWTs are kept until their expiry, so that a reused token is
 *                               only validated again (expiry, issuer, revocation), not re-verified; 0 turns it off
 */
@ConfigurationProperties("iot.security")
public record IotSecurityProperties(
        String platformIssuerUri,
        String jwkSetUri,
        List<TrustedIssuer> trustedIssuers,
        SigV4 sigv4,
        ServiceClient serviceClient,
        String policyServiceUrl,
        Duration revocationPollInterval,
        boolean allowEncodedSlash,
        List<String> openPaths,
        Integer verifiedTokenCacheSize) {

    public IotSecurityProperties {
        platformIssuerUri = blankToNull(platformIssuerUri);
        jwkSetUri = blankToNull(jwkSetUri);
        trustedIssuers = trustedIssuers == null ? List.of() : List.copyOf(trustedIssuers);
        sigv4 = sigv4 == null ? new SigV4(null, null, null) : sigv4;
        serviceClient = serviceClient == null ? new ServiceClient(null, null) : serviceClient;
        policyServiceUrl = blankToNull(policyServiceUrl);
        revocationPollInterval = revocationPollInterval == null ? Duration.ofSeconds(20) : revocationPollInterval;
        openPaths = openPaths == null ? List.of() : List.copyOf(openPaths);
        verifiedTokenCacheSize = verifiedTokenCacheSize == null ? 10_000 : Math.max(0, verifiedTokenCacheSize);
    }

    /** The platform issuer's JWKS, {@code null} when no platform issuer is configured. */
    public String effectiveJwkSetUri() {
        if (jwkSetUri != null) {
            return jwkSetUri;
        }
        return platformIssuerUri == null ? null : stripSlash(platformIssuerUri) + "/oauth2/jwks";
    }

    /** Where the internal endpoints are, {@code null} when neither it nor the platform issuer is configured. */
    public String effectivePolicyServiceUrl() {
        String url = policyServiceUrl != null ? policyServiceUrl : platformIssuerUri;
        return url == null ? null : stripSlash(url);
    }

    /**
     * @param issuerUri the {@code iss} of its tokens
     * @param jwkSetUri its JWKS; when absent, found by OIDC discovery on first use
     * @param scopeClaim the claim that holds its scopes or roles (a space-separated string or a list)
     * @param scopeMapping its value → our scope; when empty, its values are taken as our scope names
     */
    public record TrustedIssuer(String issuerUri, String jwkSetUri, String scopeClaim,
                                Map<String, String> scopeMapping) {

        public TrustedIssuer {
            jwkSetUri = blankToNull(jwkSetUri);
            scopeClaim = scopeClaim == null || scopeClaim.isBlank() ? "scope" : scopeClaim;
            scopeMapping = scopeMapping == null ? Map.of() : Map.copyOf(scopeMapping);
        }
    }

    /**
     * @param region the region requests must be scoped to
     * @param maxClockSkew how far {@code x-amz-date} may be from the clock
     * @param signingNames the service names a credential may be scoped to
     */
    public record SigV4(String region, Duration maxClockSkew, Set<String> signingNames) {

        public SigV4 {
            region = region == null || region.isBlank() ? "us-east-1" : region;
            maxClockSkew = maxClockSkew == null ? Duration.ofMinutes(5) : maxClockSkew;
            signingNames = signingNames == null || signingNames.isEmpty()
                    ? Set.of("execute-api", "iot", "iotdata", "dynamodb") : Set.copyOf(signingNames);
        }
    }

    /** This service's client id and secret (scope {@code iot:internal}); never logged. */
    public record ServiceClient(String id, String secret) {

        public boolean configured() {
            return id != null && !id.isBlank() && secret != null && !secret.isBlank();
        }

        @Override
        public String toString() {
            return "ServiceClient[id=" + id + ", secret=" + (secret == null ? "null" : "***") + "]";
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
