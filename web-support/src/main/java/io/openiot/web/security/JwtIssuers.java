package io.openiot.web.security;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerAuthenticationManagerResolver;
import org.springframework.web.client.RestTemplate;

/**
 * One JWT authentication manager per issuer this service trusts — the platform issuer and every
 * {@code iot.security.trusted-issuers[n]} — behind Spring Security's {@link JwtIssuerAuthenticationManagerResolver}.
 * Each issuer's JWKS is fetched on first use and kept (refetched only for an unknown key id), so tokens keep being
 * verified while the issuer is briefly down; tokens once verified are kept by {@link VerifiedBearerTokens}.
 */
public final class JwtIssuers {

    private JwtIssuers() {
    }

    /**
     * The platform issuer's and the trusted issuers' managers behind {@link VerifiedBearerTokens}: a token verified
     * once is kept until its expiry (at most {@code cacheSize} of them; 0 turns the cache off) and only validated
     * again — expiry, issuer, revocation — on later requests.
     */
    static AuthenticationManagerResolver<HttpServletRequest> resolver(IotSecurityProperties properties,
            RevocationList revocations, Clock clock) {
        Map<String, OAuth2TokenValidator<Jwt>> validators = new HashMap<>();
        NimbusJwtDecoder platformDecoder = null;
        if (properties.platformIssuerUri() != null) {
            OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(
                    JwtValidators.createDefaultWithIssuer(properties.platformIssuerUri()), notRevoked(revocations));
            platformDecoder = decoder(NimbusJwtDecoder.withJwkSetUri(properties.effectiveJwkSetUri()),
                    properties.platformIssuerUri());
            platformDecoder.setJwtValidator(validator);
            validators.put(properties.platformIssuerUri(), validator);
        }
        for (IotSecurityProperties.TrustedIssuer issuer : properties.trustedIssuers()) {
            validators.put(issuer.issuerUri(), trustedValidator(issuer));
        }
        JwtIssuerAuthenticationManagerResolver resolver = withPlatformDecoder(properties, platformDecoder);
        int cacheSize = properties.verifiedTokenCacheSize();
        return cacheSize > 0 ? new VerifiedBearerTokens(resolver, validators, cacheSize, clock) : resolver;
    }

    /**
     * The resolver with the given decoder for the platform issuer's tokens, for the service that is the issuer
     * (policy-service verifies its own tokens against its keys, without HTTP to itself); the trusted issuers as
     * configured. The decoder must check the issuer, expiry and revocation itself.
     */
    public static JwtIssuerAuthenticationManagerResolver withPlatformDecoder(IotSecurityProperties properties,
                                                                             JwtDecoder platformDecoder) {
        Map<String, AuthenticationManager> managers = new HashMap<>();
        if (properties.platformIssuerUri() != null && platformDecoder != null) {
            JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
            converter.setJwtGrantedAuthoritiesConverter(new JwtGrantedAuthoritiesConverter());
            managers.put(properties.platformIssuerUri(), manager(platformDecoder, converter));
        }
        for (IotSecurityProperties.TrustedIssuer issuer : properties.trustedIssuers()) {
            NimbusJwtDecoder decoder = decoder(issuer.jwkSetUri() != null
                    ? NimbusJwtDecoder.withJwkSetUri(issuer.jwkSetUri())
                    : NimbusJwtDecoder.withIssuerLocation(issuer.issuerUri()), issuer.issuerUri());
            decoder.setJwtValidator(trustedValidator(issuer));
            JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
            converter.setJwtGrantedAuthoritiesConverter(jwt -> mappedScopes(jwt, issuer));
            managers.put(issuer.issuerUri(), manager(decoder, converter));
        }
        Map<String, AuthenticationManager> byIssuer = Map.copyOf(managers);
        return new JwtIssuerAuthenticationManagerResolver(byIssuer::get);
    }

    private static OAuth2TokenValidator<Jwt> trustedValidator(IotSecurityProperties.TrustedIssuer issuer) {
        return JwtValidators.createDefaultWithIssuer(issuer.issuerUri());
    }

    private static NimbusJwtDecoder decoder(NimbusJwtDecoder.JwkSetUriJwtDecoderBuilder builder, String issuer) {
        // Nimbus's default of 500 ms is too tight for a busy host; the answer is cached, so this is paid rarely
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(Duration.ofSeconds(2));
        requests.setReadTimeout(Duration.ofSeconds(5));
        return builder.cache(new ConcurrentMapCache("jwks:" + issuer))
                .restOperations(new RestTemplate(requests))
                .jwsAlgorithms(algorithms -> algorithms.addAll(List.of(SignatureAlgorithm.RS256,
                        SignatureAlgorithm.RS384, SignatureAlgorithm.RS512, SignatureAlgorithm.PS256,
                        SignatureAlgorithm.ES256, SignatureAlgorithm.ES384, SignatureAlgorithm.ES512)))
                .build();
    }

    private static AuthenticationManager manager(JwtDecoder decoder, JwtAuthenticationConverter converter) {
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
        provider.setJwtAuthenticationConverter(converter);
        return new ProviderManager(provider);
    }

    /** A token of a revoked client issued before the revocation is refused (the client's tokens are its {@code sub}). */
    private static OAuth2TokenValidator<Jwt> notRevoked(RevocationList revocations) {
        return jwt -> {
            Instant issuedAt = jwt.getIssuedAt();
            if (jwt.getSubject() != null && revocations.refusesToken(jwt.getSubject(), issuedAt)) {
                return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
                        "The client of this token has been revoked", null));
            }
            return OAuth2TokenValidatorResult.success();
        };
    }

    /** An external issuer's scope claim (string or list) through its mapping onto our scopes. */
    static Collection<GrantedAuthority> mappedScopes(Jwt jwt, IotSecurityProperties.TrustedIssuer issuer) {
        Object claim = jwt.getClaims().get(issuer.scopeClaim());
        List<String> values = new ArrayList<>();
        if (claim instanceof String text) {
            for (String value : text.split(" ")) {
                if (!value.isBlank()) {
                    values.add(value);
                }
            }
        } else if (claim instanceof Collection<?> list) {
            list.forEach(value -> values.add(String.valueOf(value)));
        }
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (String value : values) {
            String scope = issuer.scopeMapping().isEmpty() ? value : issuer.scopeMapping().get(value);
            // an external issuer may never grant the service-to-service scope
            if (scope != null && !ScopeTable.INTERNAL.equals(scope)) {
                authorities.add(new SimpleGrantedAuthority(ScopeTable.scope(scope)));
            }
        }
        return authorities;
    }
}
