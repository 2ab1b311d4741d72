package io.openiot.gateway.connection;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ConnectionRepository {

    private final JdbcClient jdbc;

    ConnectionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void connected(String clientId, String principal, String replicaId, Instant at, boolean cleanSession,
                   int keepAlive) {
        jdbc.sql("""
                        INSERT INTO client_connection (client_id, principal, replica_id, connected, connected_at,
                                                       disconnected_at, disconnect_reason, clean_session, keep_alive)
                        VALUES (:clientId, :principal, :replicaId, TRUE, :at, NULL, NULL, :cleanSession, :keepAlive)
                        ON CONFLICT (client_id) DO UPDATE SET principal = EXCLUDED.principal,
                            replica_id = EXCLUDED.replica_id, connected = TRUE, connected_at = EXCLUDED.connected_at,
                            disconnected_at = NULL, disconnect_reason = NULL,
                            clean_session = EXCLUDED.clean_session, keep_alive = EXCLUDED.keep_alive
                        """)
                .param("clientId", clientId).param("principal", principal).param("replicaId", replicaId)
                .param("at", utc(at)).param("cleanSession", cleanSession).param("keepAlive", keepAlive)
                .update();
    }

    /** Only the replica that holds the connection may end it: the client may have moved on to another one. */
    void disconnected(String clientId, String replicaId, Instant at, String reason) {
        jdbc.sql("""
                        UPDATE client_connection SET connected = FALSE, disconnected_at = :at, disconnect_reason = :reason
                        WHERE client_id = :clientId AND replica_id = :replicaId AND connected
                        """)
                .param("clientId", clientId).param("replicaId", replicaId).param("at", utc(at))
                .param("reason", reason).update();
    }

    void allDisconnected(String replicaId, Instant at, String reason) {
        jdbc.sql("""
                        UPDATE client_connection SET connected = FALSE, disconnected_at = :at, disconnect_reason = :reason
                        WHERE replica_id = :replicaId AND connected
                        """)
                .param("replicaId", replicaId).param("at", utc(at)).param("reason", reason).update();
    }

    Optional<ClientConnection> find(String clientId) {
        return jdbc.sql("SELECT * FROM client_connection WHERE client_id = :clientId")
                .param("clientId", clientId).query(ConnectionRepository::row).optional();
    }

    private static ClientConnection row(ResultSet rs, int rowNum) throws SQLException {
        return new ClientConnection(rs.getString("client_id"), rs.getString("principal"), rs.getString("replica_id"),
                rs.getBoolean("connected"), instant(rs, "connected_at"), instant(rs, "disconnected_at"),
                rs.getString("disconnect_reason"), rs.getBoolean("clean_session"), rs.getInt("keep_alive"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
