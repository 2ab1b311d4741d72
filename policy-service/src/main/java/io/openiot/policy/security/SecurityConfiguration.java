package io.openiot.policy.security;

import static io.openiot.policy.credential.domain.Scopes.ADMIN;
import static io.openiot.policy.credential.domain.Scopes.INTERNAL;
import static io.openiot.policy.credential.domain.Scopes.READ;
import static io.openiot.policy.credential.domain.Scopes.WRITE;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * policy-service's own resource-server chain: bearer JWTs from its own authorization server (verified against the
 * same keys it publishes, no HTTP round trip) and the platform's scope table. Stand-in until the shared web layer
 * provides this chain for every service; keep it to the table below.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final String[] OPEN = {"/actuator/health/**", "/actuator/prometheus", "/actuator/info",
            "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html", "/error",
            // the platform CA's certificate is public: devices need it to trust what this service signs
            "/platform-ca"};

    @Bean
    @Order(2)
    SecurityFilterChain apiFilterChain(HttpSecurity http, JwtDecoder jwtDecoder) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(OPEN).permitAll()
                        .requestMatchers("/internal/**").hasAuthority(scope(INTERNAL))
                        .requestMatchers("/clients", "/clients/**", "/token-keys", "/token-keys/**")
                        .hasAuthority(scope(ADMIN))
                        .requestMatchers(HttpMethod.GET).hasAnyAuthority(scope(READ), scope(WRITE), scope(ADMIN))
                        .requestMatchers(HttpMethod.HEAD).hasAnyAuthority(scope(READ), scope(WRITE), scope(ADMIN))
                        .anyRequest().hasAnyAuthority(scope(WRITE), scope(ADMIN)))
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(jwt -> jwt.decoder(jwtDecoder)))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    /** Expiry (and the issuer, when {@code iot.security.platform-issuer-uri} fixes it), then revocation. */
    @Bean
    JwtDecoder jwtDecoder(JWKSource<SecurityContext> signingKeys, JdbcClient jdbc,
            @Value("${iot.security.platform-issuer-uri:}") String issuer) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(signingKeys).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(issuer.isBlank() ? JwtValidators.createDefault()
                : JwtValidators.createDefaultWithIssuer(issuer), new RevokedClientValidator(jdbc)));
        return decoder;
    }

    /**
     * AWS's SDKs put ARNs into the path URL-encoded ({@code /attached-policies/arn%3Aaws%3Aiot...%3Acert%2F...}),
     * so an encoded slash must pass the firewall (Tomcat passes it through, {@code server.tomcat.encoded-slash}).
     */
    @Bean
    org.springframework.security.web.firewall.HttpFirewall httpFirewall() {
        org.springframework.security.web.firewall.StrictHttpFirewall firewall =
                new org.springframework.security.web.firewall.StrictHttpFirewall();
        firewall.setAllowUrlEncodedSlash(true);
        // passed through, the servlet path keeps "%2F", which the firewall otherwise reads as an encoded percent
        firewall.setAllowUrlEncodedPercent(true);
        return firewall;
    }

    /** Client secrets are stored encoded with the algorithm named in front ({@code {bcrypt}...}). */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    private static String scope(String scope) {
        return "SCOPE_" + scope;
    }
}
