package io.openiot.rules.rule;

import io.openiot.rules.engine.RuleSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code topic_rule} table. */
@Repository
class RuleRepository implements RuleSource {

    private static final String COLUMNS = "rule_name, sql, topic_filter, aws_iot_sql_version, description, "
            + "rule_disabled, payload::text AS payload, created_at, updated_at";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    RuleRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Stores a new rule; false if one of that name exists. */
    boolean insert(StoredRule rule) {
        return jdbc.sql("""
                        INSERT INTO topic_rule (rule_name, sql, topic_filter, aws_iot_sql_version, description,
                                                rule_disabled, payload, created_at, updated_at)
                        VALUES (:name, :sql, :topicFilter, :version, :description, :disabled, CAST(:payload AS jsonb),
                                :createdAt, :updatedAt)
                        ON CONFLICT (rule_name) DO NOTHING""")
                .param("name", rule.ruleName())
                .param("sql", rule.sql())
                .param("topicFilter", rule.topicFilter())
                .param("version", rule.awsIotSqlVersion())
                .param("description", rule.description())
                .param("disabled", rule.ruleDisabled())
                .param("payload", json.writeValueAsString(rule.payload()))
                .param("createdAt", Timestamp.from(rule.createdAt()))
                .param("updatedAt", Timestamp.from(rule.updatedAt()))
                .update() == 1;
    }

    Optional<StoredRule> find(String ruleName) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM topic_rule WHERE rule_name = :name")
                .param("name", ruleName)
                .query(this::row)
                .optional();
    }

    /** Rules in name order after {@code after} (exclusive, null for the start), optionally filtered. */
    List<StoredRule> list(String after, int limit, String topicFilter, Boolean ruleDisabled) {
        return jdbc.sql("SELECT " + COLUMNS + """
                         FROM topic_rule
                        WHERE (CAST(:after AS text) IS NULL OR rule_name > :after)
                          AND (CAST(:topic AS text) IS NULL OR topic_filter = :topic)
                          AND (CAST(:disabled AS boolean) IS NULL OR rule_disabled = :disabled)
                        ORDER BY rule_name
                        LIMIT :limit""")
                .param("after", after)
                .param("topic", topicFilter)
                .param("disabled", ruleDisabled)
                .param("limit", limit)
                .query(this::row)
                .list();
    }

    /**
     * ReplaceTopicRule: everything but the name and creation time; false if there is no such rule. {@code updated_at}
     * always moves forward, so that replicas comparing {@link #fingerprint()}s see every change.
     */
    boolean replace(StoredRule rule) {
        return jdbc.sql("""
                        UPDATE topic_rule
                           SET sql = :sql, topic_filter = :topicFilter, aws_iot_sql_version = :version,
                               description = :description, rule_disabled = :disabled,
                               payload = CAST(:payload AS jsonb),
                               updated_at = greatest(:updatedAt, updated_at + interval '1 millisecond')
                         WHERE rule_name = :name""")
                .param("name", rule.ruleName())
                .param("sql", rule.sql())
                .param("topicFilter", rule.topicFilter())
                .param("version", rule.awsIotSqlVersion())
                .param("description", rule.description())
                .param("disabled", rule.ruleDisabled())
                .param("payload", json.writeValueAsString(rule.payload()))
                .param("updatedAt", Timestamp.from(rule.updatedAt()))
                .update() == 1;
    }

    /** EnableTopicRule / DisableTopicRule; false if there is no such rule. */
    boolean setDisabled(String ruleName, boolean disabled, Instant updatedAt) {
        return jdbc.sql("""
                        UPDATE topic_rule
                           SET rule_disabled = :disabled,
                               updated_at = greatest(:updatedAt, updated_at + interval '1 millisecond'),
                               payload = jsonb_set(payload, '{ruleDisabled}', to_jsonb(CAST(:disabled AS boolean)))
                         WHERE rule_name = :name""")
                .param("name", ruleName)
                .param("disabled", disabled)
                .param("updatedAt", Timestamp.from(updatedAt))
                .update() == 1;
    }

    boolean delete(String ruleName) {
        return jdbc.sql("DELETE FROM topic_rule WHERE rule_name = :name").param("name", ruleName).update() == 1;
    }

    @Override
    public List<RuleDefinition> enabledRules() {
        return jdbc.sql("""
                        SELECT rule_name, sql, aws_iot_sql_version, payload -> 'actions' AS actions,
                               payload -> 'errorAction' AS error_action, updated_at
                          FROM topic_rule WHERE NOT rule_disabled ORDER BY rule_name""")
                .query((rs, n) -> new RuleDefinition(rs.getString("rule_name"), rs.getString("sql"),
                        rs.getString("aws_iot_sql_version"),
                        json.readTree(rs.getString("actions") == null ? "[]" : rs.getString("actions")),
                        rs.getString("error_action") == null ? null : json.readTree(rs.getString("error_action")),
                        rs.getTimestamp("updated_at").toInstant()))
                .list();
    }

    @Override
    public String fingerprint() {
        // one row, no JSON: each rule's name and last change, summed, so that any create, replace, enable,
        // disable or delete changes it
        return jdbc.sql("""
                        SELECT count(*) || ':' || coalesce(sum(hashtext(rule_name || '@' || updated_at::text)), 0)
                          FROM topic_rule WHERE NOT rule_disabled""")
                .query(String.class)
                .single();
    }

    private StoredRule row(ResultSet rs, int rowNum) throws SQLException {
        JsonNode payload = json.readTree(rs.getString("payload"));
        return new StoredRule(rs.getString("rule_name"), rs.getString("sql"), rs.getString("topic_filter"),
                rs.getString("aws_iot_sql_version"), rs.getString("description"), rs.getBoolean("rule_disabled"),
                payload, instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }
}
