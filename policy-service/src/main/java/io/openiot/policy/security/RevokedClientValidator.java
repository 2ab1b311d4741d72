package io.openiot.policy.security;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Refuses a token of a revoked client issued before the revocation. Here the clients table is at hand, so the
 * check is immediate; the other services learn of revocations from {@code /internal/revocations}.
 */
class RevokedClientValidator implements OAuth2TokenValidator<Jwt> {

    private static final OAuth2Error REVOKED = new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
            "The client of this token has been revoked", null);

    private final JdbcClient jdbc;

    RevokedClientValidator(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        if (token.getSubject() == null) {
            return OAuth2TokenValidatorResult.failure(REVOKED);
        }
        Optional<Timestamp> revokedAt = jdbc.sql(
                        "SELECT revoked_at FROM app_client WHERE client_id = :id AND revoked_at IS NOT NULL")
                .param("id", token.getSubject()).query(Timestamp.class).optional();
        Instant issuedAt = token.getIssuedAt();
        if (revokedAt.isPresent() && (issuedAt == null || !issuedAt.isAfter(revokedAt.get().toInstant()))) {
            return OAuth2TokenValidatorResult.failure(REVOKED);
        }
        return OAuth2TokenValidatorResult.success();
    }
}
