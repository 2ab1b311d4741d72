package io.openiot.policy.token;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Keeps no authorizations. Only the client-credentials grant is offered and its access tokens are self-contained
 * JWTs that every service verifies against the JWKS; revocation goes through {@code /internal/revocations}. Storing
 * each issued token (the in-memory default grows without bound, the JDBC one needs a purge) would buy only token
 * introspection and the RFC 7009 revocation endpoint, which answer "inactive" for every token here.
 */
class StatelessAuthorizationService implements OAuth2AuthorizationService {

    @Override
    public void save(OAuth2Authorization authorization) {
        // nothing to keep: see the class comment
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        // nothing kept
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return null;
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        return null;
    }
}
