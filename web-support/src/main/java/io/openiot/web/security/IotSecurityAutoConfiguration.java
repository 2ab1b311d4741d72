package io.openiot.web.security;

import io.openiot.web.WebProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Every service's security: one filter chain with the {@link ScopeTable}, JWTs of the platform issuer and the
 * trusted issuers ({@link JwtIssuers}), SigV4 ({@link SigV4AuthenticationFilter}) and revocation polling. Another
 * chain of higher precedence (policy-service's authorization server) can sit in front of it.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration"})
@EnableWebSecurity
@EnableConfigurationProperties({IotSecurityProperties.class, WebProperties.class})
public class IotSecurityAutoConfiguration {

    /** How long a service waits for its own token before the call that needed it fails. */
    private static final Duration SERVICE_TOKEN_TIMEOUT = Duration.ofSeconds(10);

    /** After any other chain: those of a service's own (the authorization server's endpoints) come first. */
    public static final int FILTER_CHAIN_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

    @Bean
    @ConditionalOnMissingBean
    RevocationList iotRevocationList() {
        return new RevocationList();
    }

    @Bean
    @ConditionalOnMissingBean
    Clock iotSecurityClock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnMissingBean
    PolicyServiceAccess iotPolicyServiceAccess(IotSecurityProperties properties) {
        String url = properties.effectivePolicyServiceUrl();
        if (url == null || !properties.serviceClient().configured() || properties.platformIssuerUri() == null) {
            return new PolicyServiceAccess(null);
        }
        String tokenUri = stripSlash(properties.platformIssuerUri()) + "/oauth2/token";
        return new PolicyServiceAccess(new PolicyServiceClient(url,
                new ClientCredentialsTokens("iot-service-client", tokenUri, properties.serviceClient().id(),
                        properties.serviceClient().secret(), List.of("iot:internal"), SERVICE_TOKEN_TIMEOUT)));
    }

    @Bean
    @ConditionalOnMissingBean
    SigningKeyProvider iotSigningKeyProvider(PolicyServiceAccess access, RevocationList revocations, Clock clock) {
        if (access.client() == null) {
            return request -> Optional.empty();
        }
        return new PolicyServiceSigningKeyProvider(access.client(), revocations, clock);
    }

    @Bean
    @ConditionalOnMissingBean
    RevocationSource iotRevocationSource(PolicyServiceAccess access) {
        if (access.client() == null) {
            return Optional::empty;
        }
        return new PolicyServiceRevocationSource(access.client());
    }

    @Bean
    RevocationPoller iotRevocationPoller(RevocationSource source, RevocationList list,
                                         IotSecurityProperties properties) {
        return new RevocationPoller(source, list, properties.revocationPollInterval());
    }

    @Bean
    @ConditionalOnMissingBean
    AuthenticationManagerResolver<HttpServletRequest> iotJwtIssuers(IotSecurityProperties properties,
            RevocationList revocations, Clock clock) {
        return JwtIssuers.resolver(properties, revocations, clock);
    }

    @Bean
    @Order(FILTER_CHAIN_ORDER)
    @ConditionalOnMissingBean(name = "iotSecurityFilterChain")
    SecurityFilterChain iotSecurityFilterChain(HttpSecurity http, IotSecurityProperties properties,
            WebProperties web, AuthenticationManagerResolver<HttpServletRequest> jwtIssuers, SigningKeyProvider signingKeys,
            RevocationList revocations, ObjectProvider<Clock> clock) throws Exception {
        AwsSecurityErrors errors = new AwsSecurityErrors();
        IotSecurityProperties.SigV4 sigv4 = properties.sigv4();
        SigV4Verifier verifier = new SigV4Verifier(signingKeys, revocations, sigv4.region(), sigv4.signingNames(),
                sigv4.maxClockSkew(), clock.getIfAvailable(Clock::systemUTC));
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .authorizeHttpRequests(requests -> ScopeTable.apply(requests, properties.openPaths()))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .authenticationManagerResolver(jwtIssuers)
                        .authenticationEntryPoint(errors)
                        .accessDeniedHandler(errors)
                        .withObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                            @Override
                            public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                                filter.setAuthenticationFailureHandler(errors);
                                return filter;
                            }
                        }))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(errors)
                        .accessDeniedHandler(errors))
                .addFilterBefore(new SigV4AuthenticationFilter(verifier, web.maxRequestBodySize().toBytes()),
                        BearerTokenAuthenticationFilter.class);
        return http.build();
    }

    /**
     * The gateway takes topics with their slashes encoded as %2F, as {@code aws iot-data publish} sends them. Tomcat
     * passes %2F through undecoded (the gateway sets that), so the decoded path holds a '%' the firewall must allow.
     */
    @Bean
    WebSecurityCustomizer iotFirewall(IotSecurityProperties properties) {
        return web -> {
            if (properties.allowEncodedSlash()) {
                StrictHttpFirewall firewall = new StrictHttpFirewall();
                firewall.setAllowUrlEncodedSlash(true);
                firewall.setAllowUrlEncodedPercent(true);
                web.httpFirewall(firewall);
            }
        };
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The client for policy-service's internal endpoints, absent when it is not configured. */
    record PolicyServiceAccess(PolicyServiceClient client) {
    }
}
