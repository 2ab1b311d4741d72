package io.openiot.policy.accesskey;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class AccessKeyRepository {

    private static final String COLUMNS = "access_key_id, client_id, status, created_at, status_changed_at";

    private final JdbcClient jdbc;

    AccessKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false if the id is taken (also by a deleted key: ids are never reused) */
    boolean insert(AccessKey key, byte[] secretEncrypted) {
        return jdbc.sql("INSERT INTO access_key (access_key_id, client_id, secret_encrypted, status, "
                        + "status_changed_at, created_at) VALUES (:id, :client, :secret, :status, :created, :created) "
                        + "ON CONFLICT (access_key_id) DO NOTHING")
                .param("id", key.accessKeyId()).param("client", key.clientId()).param("secret", secretEncrypted)
                .param("status", key.status()).param("created", Timestamp.from(key.createdAt()))
                .update() == 1;
    }

    boolean exists(String accessKeyId) {
        return jdbc.sql("SELECT count(*) FROM access_key WHERE access_key_id = :id").param("id", accessKeyId)
                .query(Integer.class).single() > 0;
    }

    List<AccessKey> findByClient(String clientId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM access_key WHERE client_id = :client AND deleted_at IS NULL "
                        + "ORDER BY created_at, access_key_id")
                .param("client", clientId).query(AccessKeyRepository::map).list();
    }

    Optional<AccessKey> find(String clientId, String accessKeyId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM access_key WHERE client_id = :client AND access_key_id = :id "
                        + "AND deleted_at IS NULL")
                .param("client", clientId).param("id", accessKeyId).query(AccessKeyRepository::map).optional();
    }

    /** The encrypted secret of an active key whose client is active, or empty. */
    Optional<byte[]> findUsableSecret(String accessKeyId) {
        return jdbc.sql("SELECT k.secret_encrypted FROM access_key k JOIN app_client c ON c.client_id = k.client_id "
                        + "WHERE k.access_key_id = :id AND k.status = 'Active' AND k.deleted_at IS NULL "
                        + "AND c.revoked_at IS NULL")
                .param("id", accessKeyId).query((rs, row) -> rs.getBytes(1)).optional();
    }

    Optional<String> clientOf(String accessKeyId) {
        return jdbc.sql("SELECT client_id FROM access_key WHERE access_key_id = :id").param("id", accessKeyId)
                .query(String.class).optional();
    }

    boolean updateStatus(String clientId, String accessKeyId, String status, Instant now) {
        return jdbc.sql("UPDATE access_key SET status = :status, status_changed_at = :now WHERE client_id = :client "
                        + "AND access_key_id = :id AND deleted_at IS NULL AND status <> :status")
                .param("status", status).param("now", Timestamp.from(now)).param("client", clientId)
                .param("id", accessKeyId).update() == 1;
    }

    boolean delete(String clientId, String accessKeyId, Instant now) {
        return jdbc.sql("UPDATE access_key SET deleted_at = :now, status_changed_at = :now WHERE client_id = :client "
                        + "AND access_key_id = :id AND deleted_at IS NULL")
                .param("now", Timestamp.from(now)).param("client", clientId).param("id", accessKeyId).update() == 1;
    }

    private static AccessKey map(ResultSet rs, int row) throws SQLException {
        return new AccessKey(rs.getString("access_key_id"), rs.getString("client_id"), rs.getString("status"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("status_changed_at").toInstant());
    }
}
