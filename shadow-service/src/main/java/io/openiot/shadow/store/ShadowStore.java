package io.openiot.shadow.store;

import io.openiot.contracts.IotMessage;
import io.openiot.shadow.document.ShadowDocument;
import io.openiot.shadow.document.ShadowJson;
import io.openiot.shadow.document.ShadowName;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The shadow tables: current shadows, their versions, applied request ids and the outbox. */
@Repository
class ShadowStore {

    private static final String SHADOW_COLUMNS = "version, deleted, state::text AS state, metadata::text AS metadata, "
            + "timestamp_s";

    private final JdbcClient jdbc;

    ShadowStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A shadow row: its version counter, and its document unless it is deleted (or was never written). */
    record StoredShadow(long version, ShadowDocument document) {
        boolean exists() {
            return document != null;
        }
    }

    /** An outbox row: the message to send and the row's id to delete once Kafka has it. */
    record OutboxEntry(long id, IotMessage message) {
    }

    Optional<StoredShadow> find(ShadowName name) {
        return jdbc.sql("SELECT " + SHADOW_COLUMNS + " FROM shadow WHERE thing_name = ? AND shadow_name = ?")
                .params(name.thing(), name.shadow()).query(ShadowStore::shadow).optional();
    }

    /** The row locked until the transaction ends, so that updates of one shadow run one after the other. */
    Optional<StoredShadow> lock(ShadowName name) {
        return jdbc.sql("SELECT " + SHADOW_COLUMNS + " FROM shadow WHERE thing_name = ? AND shadow_name = ? "
                        + "FOR UPDATE")
                .params(name.thing(), name.shadow()).query(ShadowStore::shadow).optional();
    }

    /** Creates the row of a shadow that never existed (version 0, deleted); a concurrent creation wins quietly. */
    void ensureRow(ShadowName name) {
        jdbc.sql("INSERT INTO shadow (thing_name, shadow_name, version, deleted) VALUES (?, ?, 0, TRUE) "
                + "ON CONFLICT DO NOTHING").params(name.thing(), name.shadow()).update();
    }

    void save(ShadowName name, ShadowDocument document) {
        jdbc.sql("UPDATE shadow SET version = ?, state = ?::jsonb, metadata = ?::jsonb, deleted = FALSE, "
                        + "timestamp_s = ?, updated_at = now() WHERE thing_name = ? AND shadow_name = ?")
                .params(document.version(), ShadowJson.write(document.state()), ShadowJson.write(document.metadata()),
                        document.timestamp(), name.thing(), name.shadow())
                .update();
    }

    void markDeleted(ShadowName name) {
        jdbc.sql("UPDATE shadow SET deleted = TRUE, state = '{}', metadata = '{}', updated_at = now() "
                + "WHERE thing_name = ? AND shadow_name = ?").params(name.thing(), name.shadow()).update();
    }

    void addVersion(ShadowName name, ShadowDocument document, Instant at) {
        jdbc.sql("INSERT INTO shadow_version (thing_name, shadow_name, version, document, created_at) "
                        + "VALUES (?, ?, ?, ?::jsonb, ?)")
                .params(name.thing(), name.shadow(), document.version(), ShadowJson.write(document.toStoredJson()),
                        Timestamp.from(at))
                .update();
    }

    /** Records that a request was applied; {@code false} when it already was (a redelivery). */
    boolean recordRequest(String requestId, ShadowName name, Instant at) {
        return jdbc.sql("INSERT INTO shadow_request (request_id, thing_name, shadow_name, applied_at) "
                        + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(requestId, name.thing(), name.shadow(), Timestamp.from(at)).update() == 1;
    }

    void addToOutbox(String requestId, List<IotMessage> messages, Instant at) {
        for (IotMessage m : messages) {
            jdbc.sql("INSERT INTO shadow_outbox (request_id, topic, payload, qos, message_time, message_id, trace_id, "
                            + "origin, hop_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(requestId, m.topic(), m.payload(), m.qos(), m.timestamp(), m.messageId(), m.traceId(),
                            m.origin(), m.hopCount(), Timestamp.from(at))
                    .update();
        }
    }

    List<OutboxEntry> outboxOf(String requestId) {
        return jdbc.sql("SELECT * FROM shadow_outbox WHERE request_id = ? ORDER BY id").param(requestId)
                .query(ShadowStore::outbox).list();
    }

    List<OutboxEntry> outboxOlderThan(Instant before, int limit) {
        return jdbc.sql("SELECT * FROM shadow_outbox WHERE created_at < ? ORDER BY id LIMIT ?")
                .params(Timestamp.from(before), limit).query(ShadowStore::outbox).list();
    }

    void removeFromOutbox(List<Long> ids) {
        if (!ids.isEmpty()) {
            jdbc.sql("DELETE FROM shadow_outbox WHERE id = ANY (?)")
                    .param(ids.toArray(Long[]::new)).update();
        }
    }

    void removeOutboxOfRequests(List<String> requestIds) {
        if (!requestIds.isEmpty()) {
            jdbc.sql("DELETE FROM shadow_outbox WHERE request_id = ANY (?)")
                    .param(requestIds.toArray(String[]::new)).update();
        }
    }

    /** Names of a thing's named shadows after {@code after} (exclusive), in name order. */
    List<String> namedShadows(String thing, String after, int limit) {
        return jdbc.sql("SELECT shadow_name FROM shadow WHERE thing_name = ? AND NOT deleted AND shadow_name <> '' "
                        + "AND shadow_name > ? ORDER BY shadow_name LIMIT ?")
                .params(thing, after == null ? "" : after, limit).query(String.class).list();
    }

    /** Versions in {@code [from, to]} above {@code after}, oldest first. */
    List<ShadowDocument> versions(ShadowName name, long from, long to, long after, int limit) {
        return jdbc.sql("SELECT document::text FROM shadow_version WHERE thing_name = ? AND shadow_name = ? "
                        + "AND version BETWEEN ? AND ? AND version > ? ORDER BY version LIMIT ?")
                .params(name.thing(), name.shadow(), from, to, after, limit)
                .query((rs, n) -> ShadowDocument.fromStoredJson(ShadowJson.read(rs.getString(1)))).list();
    }

    Optional<ShadowDocument> version(ShadowName name, long version) {
        return jdbc.sql("SELECT document::text FROM shadow_version WHERE thing_name = ? AND shadow_name = ? "
                        + "AND version = ?")
                .params(name.thing(), name.shadow(), version)
                .query((rs, n) -> ShadowDocument.fromStoredJson(ShadowJson.read(rs.getString(1)))).optional();
    }

    int deleteVersionsOlderThan(Instant before) {
        return jdbc.sql("DELETE FROM shadow_version WHERE created_at < ?").param(Timestamp.from(before)).update();
    }

    /** Keeps the newest {@code keep} versions of every shadow. */
    int deleteVersionsBeyond(int keep) {
        return jdbc.sql("""
                DELETE FROM shadow_version v USING (
                    SELECT thing_name, shadow_name, version,
                           row_number() OVER (PARTITION BY thing_name, shadow_name ORDER BY version DESC) AS rank
                    FROM shadow_version) r
                WHERE v.thing_name = r.thing_name AND v.shadow_name = r.shadow_name AND v.version = r.version
                  AND r.rank > ?""").param(keep).update();
    }

    int deleteRequestsOlderThan(Instant before) {
        return jdbc.sql("DELETE FROM shadow_request WHERE applied_at < ?").param(Timestamp.from(before)).update();
    }

    private static StoredShadow shadow(ResultSet rs, int row) throws SQLException {
        long version = rs.getLong("version");
        if (rs.getBoolean("deleted")) {
            return new StoredShadow(version, null);
        }
        return new StoredShadow(version, ShadowDocument.of(ShadowJson.read(rs.getString("state")),
                ShadowJson.read(rs.getString("metadata")), version, rs.getLong("timestamp_s")));
    }

    private static OutboxEntry outbox(ResultSet rs, int row) throws SQLException {
        return new OutboxEntry(rs.getLong("id"), new IotMessage(rs.getString("topic"), rs.getBytes("payload"),
                rs.getInt("qos"), false, null, null, null, rs.getLong("message_time"), rs.getString("message_id"),
                rs.getString("trace_id"), rs.getString("origin"), rs.getInt("hop_count")));
    }
}
