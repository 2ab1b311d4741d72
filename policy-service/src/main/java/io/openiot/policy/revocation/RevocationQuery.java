package io.openiot.policy.revocation;

import io.openiot.policy.client.TokenProperties;
import io.openiot.web.security.RevocationSource;
import io.openiot.web.security.Revocations;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The revocation list read from the tables: what {@code GET /internal/revocations} answers, and this service's own
 * {@link RevocationSource} in place of web-support's HTTP poll of itself.
 */
@Component
class RevocationQuery implements RevocationSource {

    /** Signing keys are per date; a service may hold one for up to two days. */
    private static final Duration SIGNING_KEY_HORIZON = Duration.ofDays(2);

    private final JdbcClient jdbc;
    private final TokenProperties tokens;
    private final Clock clock;

    RevocationQuery(JdbcClient jdbc, TokenProperties tokens, Clock clock) {
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public Optional<Revocations> fetch() {
        return Optional.of(current());
    }

    Revocations current() {
        Duration horizon = tokens.maxLifetime().compareTo(SIGNING_KEY_HORIZON) > 0 ? tokens.maxLifetime()
                : SIGNING_KEY_HORIZON;
        Timestamp since = Timestamp.from(clock.instant().minus(horizon));
        List<Revocations.Client> clients = jdbc.sql("SELECT client_id, revoked_at FROM app_client "
                        + "WHERE revoked_at > :since ORDER BY revoked_at, client_id")
                .param("since", since)
                .query((rs, row) -> new Revocations.Client(rs.getString(1), rs.getTimestamp(2).getTime()))
                .list();
        List<Revocations.AccessKey> keys = jdbc.sql("""
                        SELECT k.access_key_id,
                               LEAST(CASE WHEN k.deleted_at IS NOT NULL OR k.status = 'Inactive'
                                          THEN k.status_changed_at END, c.revoked_at) AS revoked_at
                        FROM access_key k JOIN app_client c ON c.client_id = k.client_id
                        WHERE (k.deleted_at IS NOT NULL OR k.status = 'Inactive' OR c.revoked_at IS NOT NULL)
                          AND GREATEST(k.status_changed_at, c.revoked_at) > :since
                        ORDER BY revoked_at, k.access_key_id""")
                .param("since", since)
                .query((rs, row) -> new Revocations.AccessKey(rs.getString(1), rs.getTimestamp(2).getTime()))
                .list();
        return new Revocations(clients, keys);
    }
}
