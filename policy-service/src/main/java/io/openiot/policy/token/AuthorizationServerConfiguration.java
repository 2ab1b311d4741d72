package io.openiot.policy.token;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Spring Authorization Server for the client-credentials grant: {@code POST /oauth2/token} (client secret in a Basic
 * header or the form), {@code GET /oauth2/jwks}, metadata at {@code /.well-known/oauth-authorization-server}. Clients
 * come from the clients table, signing keys from {@link TokenSigningKeys}.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerFilterChain(HttpSecurity http) throws Exception {
        OAuth2AuthorizationServerConfigurer authorizationServer = new OAuth2AuthorizationServerConfigurer();
        http.securityMatcher(authorizationServer.getEndpointsMatcher())
                .with(authorizationServer, server -> server
                        .tokenEndpoint(token -> token.accessTokenRequestConverters(converters -> converters
                                .replaceAll(converter -> converter instanceof OAuth2ClientCredentialsAuthenticationConverter
                                        ? new AllScopesWhenNoneRequested() : converter))))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    /** Issuer = {@code iot.security.platform-issuer-uri} when set; otherwise the URL the request came in on. */
    @Bean
    AuthorizationServerSettings authorizationServerSettings(
            @Value("${iot.security.platform-issuer-uri:}") String issuer) {
        AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder();
        if (!issuer.isBlank()) {
            settings.issuer(issuer);
        }
        return settings.build();
    }

    @Bean
    OAuth2AuthorizationService authorizationService() {
        return new StatelessAuthorizationService();
    }

    /** Names the current key in the header, so the encoder picks it among the published (current + retired) keys. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> signingKeyHeader(TokenSigningKeys keys) {
        return context -> context.getJwsHeader().keyId(keys.currentKeyId());
    }
}
