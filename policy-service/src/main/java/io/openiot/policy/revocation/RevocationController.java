package io.openiot.policy.revocation;

import io.openiot.policy.client.TokenProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The revocation list every service polls: revoked clients (refuse their tokens issued before {@code revokedAt}) and
 * access keys that are inactive, deleted or belong to a revoked client (drop cached signing keys).
 */
@RestController
@Tag(name = "Internal", description = "For the platform's services only (scope iot:internal)")
@SecurityRequirement(name = "bearer")
class RevocationController {

    /** Signing keys are per date; a service may hold one for up to two days. */
    private static final Duration SIGNING_KEY_HORIZON = Duration.ofDays(2);

    private final JdbcClient jdbc;
    private final TokenProperties tokens;
    private final Clock clock;

    RevocationController(JdbcClient jdbc, TokenProperties tokens, Clock clock) {
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.clock = clock;
    }

    record RevokedClient(String clientId, long revokedAt) {
    }

    record RevokedAccessKey(String accessKeyId, long revokedAt) {
    }

    record Revocations(List<RevokedClient> clients, List<RevokedAccessKey> accessKeys) {
    }

    @GetMapping("/internal/revocations")
    @Operation(summary = "Revoked clients and unusable access keys",
            description = "Entries stay listed as long as anything they could have produced is still valid: the "
                    + "longest token lifetime (iot.policy.token.max-lifetime), at least two days. revokedAt is epoch "
                    + "milliseconds.")
    @ApiResponse(responseCode = "200", description = "The list")
    Revocations revocations() {
        Duration horizon = tokens.maxLifetime().compareTo(SIGNING_KEY_HORIZON) > 0 ? tokens.maxLifetime()
                : SIGNING_KEY_HORIZON;
        Timestamp since = Timestamp.from(clock.instant().minus(horizon));
        List<RevokedClient> clients = jdbc.sql("SELECT client_id, revoked_at FROM app_client "
                        + "WHERE revoked_at > :since ORDER BY revoked_at, client_id")
                .param("since", since)
                .query((rs, row) -> new RevokedClient(rs.getString(1), millis(rs.getTimestamp(2))))
                .list();
        List<RevokedAccessKey> keys = jdbc.sql("""
                        SELECT k.access_key_id,
                               LEAST(CASE WHEN k.deleted_at IS NOT NULL OR k.status = 'Inactive'
                                          THEN k.status_changed_at END, c.revoked_at) AS revoked_at
                        FROM access_key k JOIN app_client c ON c.client_id = k.client_id
                        WHERE (k.deleted_at IS NOT NULL OR k.status = 'Inactive' OR c.revoked_at IS NOT NULL)
                          AND GREATEST(k.status_changed_at, c.revoked_at) > :since
                        ORDER BY revoked_at, k.access_key_id""")
                .param("since", since)
                .query((rs, row) -> new RevokedAccessKey(rs.getString(1), millis(rs.getTimestamp(2))))
                .list();
        return new Revocations(clients, keys);
    }

    private static long millis(Timestamp timestamp) {
        Instant instant = timestamp.toInstant();
        return instant.toEpochMilli();
    }
}
