package io.openiot.policy.iotpolicy;

import io.openiot.contracts.SecurityEvent;
import io.openiot.policy.ArnProperties;
import io.openiot.policy.event.SecurityEventOutbox;
import io.openiot.policylang.MalformedPolicyException;
import io.openiot.policylang.PolicyDocument;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * IoT policies, their versions (at most five, ids never reused, one default) and their attachments. Changes to a
 * policy take its row lock first, so version counting and attach/delete races are decided in one order.
 */
@Service
public class Policies {

    static final int MAX_VERSIONS = 5;
    /** AWS: at most 10 policies attached to one certificate or thing group. */
    static final int MAX_POLICIES_PER_TARGET = 10;
    private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
    private static final Pattern CERT_ARN = Pattern.compile("arn:aws:iot:[^:]+:\\d{12}:cert/([0-9a-f]{64})");

    private final JdbcClient jdbc;
    private final ArnProperties arns;
    private final SecurityEventOutbox events;
    private final Clock clock;

    Policies(JdbcClient jdbc, ArnProperties arns, SecurityEventOutbox events, Clock clock) {
        this.jdbc = jdbc;
        this.arns = arns;
        this.events = events;
        this.clock = clock;
    }

    record Policy(String name, String arn, String defaultVersionId, String document, Instant createdAt,
            Instant updatedAt) {
    }

    record Version(String policyName, String versionId, String document, boolean isDefault, Instant createdAt) {
    }

    /** A policy in force for a target: its default version. */
    public record EffectivePolicy(String policyName, String policyArn, String policyVersionId, String document) {
    }

    record Page<T>(List<T> items, String nextMarker) {
    }

    String arn(String name) {
        return arns.arn("policy", name);
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw PolicyException.invalid("policyName must be 1-128 characters of [\\w+=,.@-]");
        }
    }

    private static void validate(String document) {
        if (document == null || document.isBlank()) {
            throw PolicyException.malformed("policyDocument is required");
        }
        try {
            PolicyDocument.parse(document);
        } catch (MalformedPolicyException e) {
            throw PolicyException.malformed(e.getMessage());
        }
    }

    @Transactional
    Version create(String name, String document) {
        checkName(name);
        validate(document);
        Timestamp now = Timestamp.from(clock.instant());
        int inserted = jdbc.sql("INSERT INTO policy (name, arn, last_version_id, created_at, updated_at) "
                        + "VALUES (:name, :arn, 1, :now, :now) ON CONFLICT (name) DO NOTHING")
                .param("name", name).param("arn", arn(name)).param("now", now).update();
        if (inserted == 0) {
            throw PolicyException.exists(name);
        }
        jdbc.sql("INSERT INTO policy_version (policy_name, version_id, document, is_default, created_at) "
                        + "VALUES (:name, 1, :doc, TRUE, :now)")
                .param("name", name).param("doc", document).param("now", now).update();
        return new Version(name, "1", document, true, now.toInstant());
    }

    Policy get(String name) {
        return jdbc.sql("SELECT p.name, p.arn, v.version_id, v.document, p.created_at, p.updated_at FROM policy p "
                        + "JOIN policy_version v ON v.policy_name = p.name AND v.is_default WHERE p.name = :name")
                .param("name", name)
                .query((rs, row) -> new Policy(rs.getString(1), rs.getString(2), Integer.toString(rs.getInt(3)),
                        rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant()))
                .optional().orElseThrow(() -> PolicyException.notFound("The policy " + name));
    }

    Page<Policy> list(Integer pageSize, String marker, boolean ascending) {
        int size = pageSize == null ? 25 : pageSize;
        if (size < 1 || size > 250) {
            throw PolicyException.invalid("pageSize must be between 1 and 250");
        }
        String order = ascending ? "ASC" : "DESC";
        JdbcClient.StatementSpec spec = jdbc.sql("SELECT name, arn FROM policy"
                        + (marker == null || marker.isBlank() ? "" : " WHERE name " + (ascending ? ">" : "<")
                        + " :marker") + " ORDER BY name " + order + " LIMIT :limit")
                .param("limit", size + 1);
        if (marker != null && !marker.isBlank()) {
            spec = spec.param("marker", marker);
        }
        List<Policy> rows = spec.query((rs, row) -> new Policy(rs.getString(1), rs.getString(2), null, null, null,
                null)).list();
        // the marker is the last name of this page (keyset pagination: stable while policies come and go)
        return rows.size() > size ? new Page<>(rows.subList(0, size), rows.get(size - 1).name())
                : new Page<>(rows, null);
    }

    @Transactional
    void delete(String name) {
        lock(name);
        List<String> targets = targets(name);
        if (!targets.isEmpty()) {
            throw PolicyException.deleteConflict("The policy " + name + " is attached to " + targets.size()
                    + " target(s)");
        }
        int others = jdbc.sql("SELECT count(*) FROM policy_version WHERE policy_name = :name AND NOT is_default")
                .param("name", name).query(Integer.class).single();
        if (others > 0) {
            throw PolicyException.deleteConflict("The policy " + name + " has " + others
                    + " non-default version(s); delete them first");
        }
        jdbc.sql("DELETE FROM policy WHERE name = :name").param("name", name).update();
        events.policy(SecurityEvent.Types.POLICY_DELETED, name, null, null);
    }

    /** Takes the policy's row lock; 404 if there is none. */
    private int lock(String name) {
        return jdbc.sql("SELECT last_version_id FROM policy WHERE name = :name FOR UPDATE").param("name", name)
                .query(Integer.class).optional().orElseThrow(() -> PolicyException.notFound("The policy " + name));
    }

    @Transactional
    Version createVersion(String name, String document, boolean setAsDefault) {
        validate(document);
        int last = lock(name);
        int count = jdbc.sql("SELECT count(*) FROM policy_version WHERE policy_name = :name").param("name", name)
                .query(Integer.class).single();
        if (count >= MAX_VERSIONS) {
            throw PolicyException.versionsLimit(name);
        }
        int id = last + 1;
        Timestamp now = Timestamp.from(clock.instant());
        if (setAsDefault) {
            jdbc.sql("UPDATE policy_version SET is_default = FALSE WHERE policy_name = :name AND is_default")
                    .param("name", name).update();
        }
        jdbc.sql("INSERT INTO policy_version (policy_name, version_id, document, is_default, created_at) "
                        + "VALUES (:name, :id, :doc, :def, :now)")
                .param("name", name).param("id", id).param("doc", document).param("def", setAsDefault)
                .param("now", now).update();
        jdbc.sql("UPDATE policy SET last_version_id = :id, updated_at = :now WHERE name = :name")
                .param("id", id).param("now", now).param("name", name).update();
        if (setAsDefault) {
            events.policy(SecurityEvent.Types.POLICY_VERSION_SET_AS_DEFAULT, name, Integer.toString(id), null);
        }
        return new Version(name, Integer.toString(id), document, setAsDefault, now.toInstant());
    }

    List<Version> versions(String name) {
        get(name);
        return jdbc.sql("SELECT * FROM policy_version WHERE policy_name = :name ORDER BY version_id DESC")
                .param("name", name).query(Policies::mapVersion).list();
    }

    Version version(String name, String versionId) {
        return jdbc.sql("SELECT * FROM policy_version WHERE policy_name = :name AND version_id = :id")
                .param("name", name).param("id", versionNumber(versionId)).query(Policies::mapVersion).optional()
                .orElseThrow(() -> PolicyException.notFound("Version " + versionId + " of the policy " + name));
    }

    private static int versionNumber(String versionId) {
        try {
            return Integer.parseInt(versionId);
        } catch (NumberFormatException e) {
            throw PolicyException.invalid("policyVersionId must be a number");
        }
    }

    @Transactional
    void setDefault(String name, String versionId) {
        lock(name);
        Version version = version(name, versionId);
        if (version.isDefault()) {
            return;
        }
        jdbc.sql("UPDATE policy_version SET is_default = FALSE WHERE policy_name = :name AND is_default")
                .param("name", name).update();
        jdbc.sql("UPDATE policy_version SET is_default = TRUE WHERE policy_name = :name AND version_id = :id")
                .param("name", name).param("id", versionNumber(versionId)).update();
        jdbc.sql("UPDATE policy SET updated_at = :now WHERE name = :name")
                .param("now", Timestamp.from(clock.instant())).param("name", name).update();
        events.policy(SecurityEvent.Types.POLICY_VERSION_SET_AS_DEFAULT, name, versionId, null);
    }

    @Transactional
    void deleteVersion(String name, String versionId) {
        lock(name);
        Version version = version(name, versionId);
        if (version.isDefault()) {
            throw PolicyException.deleteConflict("Version " + versionId + " is the default version of " + name);
        }
        jdbc.sql("DELETE FROM policy_version WHERE policy_name = :name AND version_id = :id")
                .param("name", name).param("id", versionNumber(versionId)).update();
    }

    // ---- attachments

    @Transactional
    void attach(String name, String target) {
        String certificateId = checkTarget(target);
        lock(name);
        if (certificateId != null && jdbc.sql("SELECT count(*) FROM certificate WHERE certificate_id = :id")
                .param("id", certificateId).query(Integer.class).single() == 0) {
            throw PolicyException.notFound("The certificate " + certificateId);
        }
        int attached = jdbc.sql("SELECT count(*) FROM policy_target_attachment WHERE target = :target")
                .param("target", target).query(Integer.class).single();
        if (attached >= MAX_POLICIES_PER_TARGET) {
            throw PolicyException.limit("The target already has " + MAX_POLICIES_PER_TARGET + " policies attached");
        }
        int inserted = jdbc.sql("INSERT INTO policy_target_attachment (policy_name, target, attached_at) "
                        + "VALUES (:name, :target, :now) ON CONFLICT DO NOTHING")
                .param("name", name).param("target", target).param("now", Timestamp.from(clock.instant())).update();
        if (inserted == 1) {
            events.attachment(SecurityEvent.Types.POLICY_ATTACHED, name, target, certificateId);
        }
    }

    @Transactional
    void detach(String name, String target) {
        String certificateId = checkTarget(target);
        lock(name);
        int deleted = jdbc.sql("DELETE FROM policy_target_attachment WHERE policy_name = :name AND target = :target")
                .param("name", name).param("target", target).update();
        if (deleted == 1) {
            events.attachment(SecurityEvent.Types.POLICY_DETACHED, name, target, certificateId);
        }
    }

    /** The certificate id of a certificate ARN, null for other targets (thing groups, Cognito identities). */
    private static String checkTarget(String target) {
        if (target == null || target.isBlank() || target.length() > 2048) {
            throw PolicyException.invalid("target is required");
        }
        var cert = CERT_ARN.matcher(target);
        if (cert.matches()) {
            return cert.group(1);
        }
        if (target.startsWith("arn:aws:iot:") && !target.contains(":thinggroup/")) {
            throw PolicyException.invalid("target must be a certificate or thing-group ARN");
        }
        return null;
    }

    List<String> targets(String name) {
        return jdbc.sql("SELECT target FROM policy_target_attachment WHERE policy_name = :name ORDER BY attached_at, "
                + "target").param("name", name).query(String.class).list();
    }

    /** The policies attached to a target, with their default versions, in attachment order. */
    public List<EffectivePolicy> attachedTo(String target) {
        return jdbc.sql("SELECT p.name, p.arn, v.version_id, v.document FROM policy_target_attachment a "
                        + "JOIN policy p ON p.name = a.policy_name "
                        + "JOIN policy_version v ON v.policy_name = p.name AND v.is_default "
                        + "WHERE a.target = :target ORDER BY a.attached_at, p.name")
                .param("target", target)
                .query((rs, row) -> new EffectivePolicy(rs.getString(1), rs.getString(2),
                        Integer.toString(rs.getInt(3)), rs.getString(4))).list();
    }

    Optional<EffectivePolicy> effective(String name) {
        return jdbc.sql("SELECT p.name, p.arn, v.version_id, v.document FROM policy p "
                        + "JOIN policy_version v ON v.policy_name = p.name AND v.is_default WHERE p.name = :name")
                .param("name", name)
                .query((rs, row) -> new EffectivePolicy(rs.getString(1), rs.getString(2),
                        Integer.toString(rs.getInt(3)), rs.getString(4))).optional();
    }

    private static Version mapVersion(ResultSet rs, int row) throws SQLException {
        return new Version(rs.getString("policy_name"), Integer.toString(rs.getInt("version_id")),
                rs.getString("document"), rs.getBoolean("is_default"), rs.getTimestamp("created_at").toInstant());
    }
}
