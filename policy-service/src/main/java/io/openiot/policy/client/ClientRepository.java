package io.openiot.policy.client;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ClientRepository {

    private static final String COLUMNS =
            "client_id, name, secret_hash, scopes, token_lifetime_seconds, created_at, revoked_at";

    private final JdbcClient jdbc;

    ClientRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false if a client with this id exists already (revoked or not) */
    boolean insert(AppClient client) {
        return jdbc.sql("INSERT INTO app_client (client_id, name, secret_hash, scopes, token_lifetime_seconds, "
                        + "created_at, updated_at) VALUES (:id, :name, :hash, CAST(:scopes AS TEXT[]), :lifetime, "
                        + ":created, :created) ON CONFLICT (client_id) DO NOTHING")
                .param("id", client.clientId())
                .param("name", client.name())
                .param("hash", client.secretHash())
                .param("scopes", arrayLiteral(client.scopes()))
                .param("lifetime", client.tokenLifetimeSeconds())
                .param("created", Timestamp.from(client.createdAt()))
                .update() == 1;
    }

    Optional<AppClient> find(String clientId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM app_client WHERE client_id = :id")
                .param("id", clientId).query(ClientRepository::map).optional();
    }

    List<AppClient> findActive() {
        return jdbc.sql("SELECT " + COLUMNS
                        + " FROM app_client WHERE revoked_at IS NULL ORDER BY created_at, client_id")
                .query(ClientRepository::map).list();
    }

    boolean updateSecret(String clientId, String secretHash, Instant now) {
        return jdbc.sql("UPDATE app_client SET secret_hash = :hash, updated_at = :now "
                        + "WHERE client_id = :id AND revoked_at IS NULL")
                .param("hash", secretHash).param("now", Timestamp.from(now)).param("id", clientId).update() == 1;
    }

    boolean revoke(String clientId, Instant now) {
        return jdbc.sql("UPDATE app_client SET revoked_at = :now, enabled = FALSE, updated_at = :now "
                        + "WHERE client_id = :id AND revoked_at IS NULL")
                .param("now", Timestamp.from(now)).param("id", clientId).update() == 1;
    }

    private static String arrayLiteral(Collection<String> scopes) {
        // scope names are validated against a fixed set, so they need no quoting inside the literal
        return "{" + String.join(",", scopes) + "}";
    }

    private static AppClient map(ResultSet rs, int row) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        Integer lifetime = rs.getObject("token_lifetime_seconds", Integer.class);
        return new AppClient(rs.getString("client_id"), rs.getString("name"), rs.getString("secret_hash"),
                Arrays.asList((String[]) rs.getArray("scopes").getArray()), lifetime,
                rs.getTimestamp("created_at").toInstant(), revoked == null ? null : revoked.toInstant());
    }
}
