package io.openiot.policy.security;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.openiot.web.security.IotSecurityProperties;
import io.openiot.web.security.JwtIssuers;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerAuthenticationManagerResolver;

/**
 * policy-service's REST API sits behind web-support's chain and scope table like every service's; only where the
 * platform's own credentials are checked differs, since this service is the issuer: its tokens are verified against
 * the keys it publishes (no HTTP to itself), and signing keys and revocations come from its tables
 * ({@code LocalSigningKeys}, {@code LocalRevocations}). The authorization server's chain comes first.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /** Expiry (and the issuer, when {@code iot.security.platform-issuer-uri} fixes it), then revocation. */
    @Bean
    JwtDecoder jwtDecoder(JWKSource<SecurityContext> signingKeys, JdbcClient jdbc,
            @Value("${iot.security.platform-issuer-uri:}") String issuer) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(signingKeys).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(issuer.isBlank() ? JwtValidators.createDefault()
                : JwtValidators.createDefaultWithIssuer(issuer), new RevokedClientValidator(jdbc)));
        return decoder;
    }

    /** Replaces web-support's resolver: platform tokens through the local decoder, trusted issuers as configured. */
    @Bean
    JwtIssuerAuthenticationManagerResolver localJwtIssuers(IotSecurityProperties properties, JwtDecoder jwtDecoder) {
        return JwtIssuers.withPlatformDecoder(properties, jwtDecoder);
    }

    /** Client secrets are stored encoded with the algorithm named in front ({@code {bcrypt}...}). */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }
}
