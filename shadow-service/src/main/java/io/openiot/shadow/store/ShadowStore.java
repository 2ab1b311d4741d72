package io.openiot.shadow.store;

import io.openiot.contracts.IotMessage;
import io.openiot.shadow.document.ShadowDocument;
import io.openiot.shadow.document.ShadowJson;
import io.openiot.shadow.document.ShadowName;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The shadow tables: current shadows, their versions, applied request ids and the outbox. */
@Repository
class ShadowStore {

    private static final String SHADOW_COLUMNS = "version, deleted, state::text AS state, metadata::text AS metadata, "
            + "timestamp_s";

    private final JdbcClient jdbc;
    /** For JDBC batches: one round trip for many rows (multi-row INSERTs with {@code reWriteBatchedInserts}). */
    private final JdbcTemplate batch;

    ShadowStore(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
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

    /**
     * Locks the rows of several shadows at once, in key order (so that two transactions locking overlapping sets
     * cannot deadlock), and returns those that exist.
     */
    Map<ShadowName, StoredShadow> lockAll(List<ShadowName> names) {
        Map<ShadowName, StoredShadow> found = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return found;
        }
        jdbc.sql("SELECT s.thing_name, s.shadow_name, " + SHADOW_COLUMNS + " FROM shadow s "
                        + "JOIN unnest(?::text[], ?::text[]) AS k(thing, shadow) "
                        + "ON s.thing_name = k.thing AND s.shadow_name = k.shadow "
                        + "ORDER BY s.thing_name COLLATE \"C\", s.shadow_name COLLATE \"C\" FOR UPDATE OF s")
                .params(names.stream().map(ShadowName::thing).toArray(String[]::new),
                        names.stream().map(ShadowName::shadow).toArray(String[]::new))
                .query((rs, row) -> found.put(new ShadowName(rs.getString("thing_name"), rs.getString("shadow_name")),
                        shadow(rs, row)))
                .list();
        return found;
    }

    /** Creates the rows (version 0, deleted) of shadows that never existed; concurrent creations win quietly. */
    void ensureRows(List<ShadowName> names) {
        batch.batchUpdate("INSERT INTO shadow (thing_name, shadow_name, version, deleted) VALUES (?, ?, 0, TRUE) "
                + "ON CONFLICT DO NOTHING", names.stream().map(n -> new Object[] {n.thing(), n.shadow()}).toList());
    }

    /** Removes rows {@link #ensureRows} created for shadows that no request then changed. */
    void removeUnusedRows(List<ShadowName> names) {
        batch.batchUpdate("DELETE FROM shadow WHERE thing_name = ? AND shadow_name = ? AND version = 0",
                names.stream().map(n -> new Object[] {n.thing(), n.shadow()}).toList());
    }

    /** The new state of a changed shadow: its document, or {@code null} when it was deleted. */
    record Saved(ShadowName name, long version, ShadowDocument document) {
    }

    void saveAll(List<Saved> shadows) {
        List<Object[]> live = new ArrayList<>();
        List<Object[]> deleted = new ArrayList<>();
        for (Saved saved : shadows) {
            if (saved.document() == null) {
                deleted.add(new Object[] {saved.name().thing(), saved.name().shadow()});
            } else {
                ShadowDocument d = saved.document();
                live.add(new Object[] {d.version(), ShadowJson.write(d.state()), ShadowJson.write(d.metadata()),
                        d.timestamp(), saved.name().thing(), saved.name().shadow()});
            }
        }
        if (!live.isEmpty()) {
            batch.batchUpdate("UPDATE shadow SET version = ?, state = ?::jsonb, metadata = ?::jsonb, deleted = FALSE, "
                    + "timestamp_s = ?, updated_at = now() WHERE thing_name = ? AND shadow_name = ?", live);
        }
        if (!deleted.isEmpty()) {
            batch.batchUpdate("UPDATE shadow SET deleted = TRUE, state = '{}', metadata = '{}', updated_at = now() "
                    + "WHERE thing_name = ? AND shadow_name = ?", deleted);
        }
    }

    /** A version row to add. */
    record NewVersion(ShadowName name, ShadowDocument document) {
    }

    void addVersions(List<NewVersion> versions, Instant at) {
        if (versions.isEmpty()) {
            return;
        }
        Timestamp time = Timestamp.from(at);
        batch.batchUpdate("INSERT INTO shadow_version (thing_name, shadow_name, version, document, created_at) "
                        + "VALUES (?, ?, ?, ?::jsonb, ?)",
                versions.stream().map(v -> new Object[] {v.name().thing(), v.name().shadow(), v.document().version(),
                        ShadowJson.write(v.document().toStoredJson()), time}).toList());
    }

    /** Of these request ids, those already applied. */
    Set<String> appliedRequests(List<String> requestIds) {
        if (requestIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("SELECT request_id FROM shadow_request WHERE request_id = ANY (?)")
                .param(requestIds.toArray(String[]::new)).query(String.class).list());
    }

    /** An applied request to remember. */
    record AppliedRequest(String requestId, ShadowName name) {
    }

    void recordRequests(List<AppliedRequest> requests, Instant at) {
        if (requests.isEmpty()) {
            return;
        }
        Timestamp time = Timestamp.from(at);
        batch.batchUpdate("INSERT INTO shadow_request (request_id, thing_name, shadow_name, applied_at) "
                        + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                requests.stream().map(r -> new Object[] {r.requestId(), r.name().thing(), r.name().shadow(), time})
                        .toList());
    }

    /** Outbox rows of many requests: each request id with the messages it published, in order. */
    void addAllToOutbox(Map<String, List<IotMessage>> messagesByRequest, Instant at) {
        Timestamp time = Timestamp.from(at);
        List<Object[]> rows = new ArrayList<>();
        messagesByRequest.forEach((requestId, messages) -> {
            for (IotMessage m : messages) {
                rows.add(new Object[] {requestId, m.topic(), m.payload(), m.qos(), m.timestamp(), m.messageId(),
                        m.traceId(), m.origin(), m.hopCount(), time});
            }
        });
        if (!rows.isEmpty()) {
            batch.batchUpdate("INSERT INTO shadow_outbox (request_id, topic, payload, qos, message_time, message_id, "
                    + "trace_id, origin, hop_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
        }
    }

    /** The outbox rows of these requests, by request id, each in the order they were written. */
    Map<String, List<IotMessage>> outboxOfAll(List<String> requestIds) {
        Map<String, List<IotMessage>> byRequest = new LinkedHashMap<>();
        if (requestIds.isEmpty()) {
            return byRequest;
        }
        jdbc.sql("SELECT * FROM shadow_outbox WHERE request_id = ANY (?) ORDER BY id")
                .param(requestIds.toArray(String[]::new))
                .query((rs, row) -> byRequest.computeIfAbsent(rs.getString("request_id"), k -> new ArrayList<>())
                        .add(outbox(rs, row).message()))
                .list();
        return byRequest;
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
