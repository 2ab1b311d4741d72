package io.openiot.rules.destination;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code topic_rule_destination} table. */
@Repository
class DestinationRepository {

    private static final String COLUMNS = "arn, confirmation_url, status, status_reason, confirmation_token, "
            + "confirmed, created_at, last_updated_at";

    private final JdbcClient jdbc;

    DestinationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a new destination; false if one with that confirmation URL exists. */
    boolean insert(Destination d) {
        try {
            return jdbc.sql("INSERT INTO topic_rule_destination (" + COLUMNS + ") VALUES (:arn, :url, :status, "
                            + ":reason, :token, :confirmed, :created, :updated) ON CONFLICT (confirmation_url) DO NOTHING")
                    .param("arn", d.arn()).param("url", d.confirmationUrl()).param("status", d.status().name())
                    .param("reason", d.statusReason()).param("token", d.confirmationToken())
                    .param("confirmed", d.confirmed()).param("created", Timestamp.from(d.createdAt()))
                    .param("updated", Timestamp.from(d.lastUpdatedAt()))
                    .update() == 1;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    Optional<Destination> find(String arn) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM topic_rule_destination WHERE arn = :arn").param("arn", arn)
                .query(DestinationRepository::row).optional();
    }

    Optional<Destination> findByToken(String token) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM topic_rule_destination WHERE confirmation_token = :token")
                .param("token", token).query(DestinationRepository::row).optional();
    }

    /** Destinations in ARN order after {@code after} (exclusive, null for the start). */
    List<Destination> list(String after, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + """
                         FROM topic_rule_destination
                        WHERE CAST(:after AS text) IS NULL OR arn > :after
                        ORDER BY arn LIMIT :limit""")
                .param("after", after).param("limit", limit).query(DestinationRepository::row).list();
    }

    List<Destination> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM topic_rule_destination").query(DestinationRepository::row).list();
    }

    /** Sets status (and reason, token, confirmed) of a destination; false if it is gone. */
    boolean update(Destination d) {
        return jdbc.sql("""
                        UPDATE topic_rule_destination
                           SET status = :status, status_reason = :reason, confirmation_token = :token,
                               confirmed = :confirmed, last_updated_at = :updated
                         WHERE arn = :arn""")
                .param("arn", d.arn()).param("status", d.status().name()).param("reason", d.statusReason())
                .param("token", d.confirmationToken()).param("confirmed", d.confirmed())
                .param("updated", Timestamp.from(d.lastUpdatedAt()))
                .update() == 1;
    }

    /**
     * Marks a failed confirmation request, unless the destination moved on meanwhile (confirmed, or challenged
     * again with another token).
     */
    void markError(String arn, String token, String reason, Instant now) {
        jdbc.sql("""
                        UPDATE topic_rule_destination SET status = 'ERROR', status_reason = :reason, last_updated_at = :now
                         WHERE arn = :arn AND confirmation_token = :token AND status = 'IN_PROGRESS'""")
                .param("arn", arn).param("token", token).param("reason", reason).param("now", Timestamp.from(now))
                .update();
    }

    boolean delete(String arn) {
        return jdbc.sql("DELETE FROM topic_rule_destination WHERE arn = :arn").param("arn", arn).update() == 1;
    }

    private static Destination row(ResultSet rs, int rowNum) throws SQLException {
        return new Destination(rs.getString("arn"), rs.getString("confirmation_url"),
                DestinationStatus.valueOf(rs.getString("status")), rs.getString("status_reason"),
                rs.getString("confirmation_token"), rs.getBoolean("confirmed"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("last_updated_at").toInstant());
    }
}
