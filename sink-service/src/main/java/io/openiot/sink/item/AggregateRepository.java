package io.openiot.sink.item;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Time-bucket aggregates in SQL ({@code date_bin}): PostgreSQL reads the items and returns one row per bucket and
 * group; nothing but the buckets comes into the JVM. Attribute names are bound parameters, never spliced into SQL.
 */
@Repository
class AggregateRepository {

    /** The functions, by their API name; only these reach the SQL text. */
    static final Map<String, String> FUNCTIONS = Map.of("avg", "avg", "min", "min", "max", "max", "sum", "sum",
            "count", "count");
    static final Map<String, String> INTERVALS = Map.of("1m", "1 minute", "1h", "1 hour", "1d", "1 day");

    private final JdbcClient jdbc;

    AggregateRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param timeAttribute the table's time attribute (epoch milliseconds or ISO-8601), or null: the arrival time
     * @param groupBy       null, {@code partitionKey} or a top-level attribute
     */
    List<Aggregation.Bucket> aggregate(String table, String timeAttribute, String field, String fn, String interval,
                                       String groupBy, Instant from, Instant to, int maxBuckets) {
        List<Object> parameters = new ArrayList<>();
        String time;
        if (timeAttribute == null) {
            time = "stored_at";
        } else {
            time = "CASE jsonb_typeof(item -> ?) WHEN 'number' THEN to_timestamp((item ->> ?)::numeric / 1000) "
                    + "WHEN 'string' THEN (item ->> ?)::timestamptz END";
            parameters.add(timeAttribute);
            parameters.add(timeAttribute);
            parameters.add(timeAttribute);
        }
        String group = "NULL::text";
        if ("partitionKey".equals(groupBy)) {
            group = "partition_key";
        } else if (groupBy != null) {
            group = "item ->> ?";
            parameters.add(groupBy);
        }
        String value = "CASE WHEN jsonb_typeof(item -> ?) = 'number' THEN (item ->> ?)::numeric END";
        parameters.add(field);
        parameters.add(field);
        parameters.add(table);
        StringBuilder inner = new StringBuilder("SELECT " + time + " AS t, " + group + " AS g, " + value
                + " AS v FROM item WHERE table_name = ? AND (expires_at IS NULL OR expires_at > now())");
        if (timeAttribute == null) {
            // the arrival time is a column: the range narrows the scan (BRIN on stored_at)
            if (from != null) {
                inner.append(" AND stored_at >= ?");
                parameters.add(utc(from));
            }
            if (to != null) {
                inner.append(" AND stored_at < ?");
                parameters.add(utc(to));
            }
        }
        StringBuilder sql = new StringBuilder("SELECT date_bin(CAST(? AS interval), t, TIMESTAMPTZ '1970-01-01Z') AS "
                + "bucket, g, " + FUNCTIONS.get(fn) + "(v) AS value, count(v) AS n FROM (" + inner + ") AS s "
                + "WHERE t IS NOT NULL");
        parameters.add(0, INTERVALS.get(interval));
        if (from != null) {
            sql.append(" AND t >= ?");
            parameters.add(utc(from));
        }
        if (to != null) {
            sql.append(" AND t < ?");
            parameters.add(utc(to));
        }
        sql.append(" GROUP BY bucket, g ORDER BY bucket, g LIMIT ?");
        parameters.add(maxBuckets);
        return jdbc.sql(sql.toString()).params(parameters).query((rs, n) -> new Aggregation.Bucket(
                rs.getObject("bucket", OffsetDateTime.class).toInstant(), rs.getString("g"),
                rs.getBigDecimal("value"), rs.getLong("n"))).list();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
