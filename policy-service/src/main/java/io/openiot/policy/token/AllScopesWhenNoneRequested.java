package io.openiot.policy.token;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashSet;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * A client-credentials request that names no scope gets all of the client's scopes (the platform's contract;
 * Spring Authorization Server would grant none). Requests naming scopes are left to the server, which refuses any
 * scope the client does not hold with {@code invalid_scope}.
 */
class AllScopesWhenNoneRequested implements AuthenticationConverter {

    private final OAuth2ClientCredentialsAuthenticationConverter delegate =
            new OAuth2ClientCredentialsAuthenticationConverter();

    @Override
    public Authentication convert(HttpServletRequest request) {
        Authentication converted = delegate.convert(request);
        if (converted instanceof OAuth2ClientCredentialsAuthenticationToken token && token.getScopes().isEmpty()
                && token.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
                && client.getRegisteredClient() != null) {
            return new OAuth2ClientCredentialsAuthenticationToken(client,
                    new LinkedHashSet<>(client.getRegisteredClient().getScopes()), token.getAdditionalParameters());
        }
        return converted;
    }
}
