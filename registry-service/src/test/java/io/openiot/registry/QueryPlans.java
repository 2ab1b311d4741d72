package io.openiot.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A fleet big enough that PostgreSQL's planner prefers indexes where they help, and checks on its plans. */
public final class QueryPlans {

    public static final int FLEET = 20_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private QueryPlans() {
    }

    /**
     * {@value #FLEET} things {@code plan-00000} … in one INSERT … SELECT (not through the API: that would take
     * minutes), each with a {@code site} of 200 and a numeric {@code serial}, then vacuumed with fresh statistics. Idempotent, so
     * test classes sharing the database may each call it.
     */
    public static void loadFleet(JdbcClient jdbc) {
        jdbc.sql("""
                INSERT INTO thing (name, id, attributes)
                SELECT 'plan-' || lpad(g::text, 5, '0'), gen_random_uuid(),
                       jsonb_build_object('site', 'site-' || (g % 200), 'serial', g::text)
                FROM generate_series(0, ? - 1) g
                ON CONFLICT (name) DO NOTHING""").param(FLEET).update();
        // VACUUM, not only ANALYZE: rows just inserted wait in a GIN index's pending list, which the planner prices
        // in, so right after the load it may prefer a Seq Scan to the attribute index (seen in one full run)
        jdbc.sql("VACUUM ANALYZE thing").update();
        jdbc.sql("VACUUM ANALYZE thing_attribute").update();
    }

    /** The plan of a statement with its parameters, as EXPLAIN (FORMAT JSON) gives it. */
    public static JsonNode plan(JdbcClient jdbc, String sql, List<Object> params) {
        String text = jdbc.sql("EXPLAIN (FORMAT JSON) " + sql).params(params).query(String.class).single();
        return JSON.readTree(text).get(0).get("Plan");
    }

    /** Asserts that no node of the plan reads the whole {@code thing} table and that it uses the given index. */
    public static void assertIndexedWithoutThingSeqScan(JsonNode plan, String index) {
        List<JsonNode> nodes = new ArrayList<>();
        collect(plan, nodes);
        assertThat(nodes).as(plan.toString()).noneMatch(node -> node.path("Node Type").asString().equals("Seq Scan")
                && node.path("Relation Name").asString().equals("thing"));
        assertThat(nodes.stream().map(node -> node.path("Index Name").asString()).toList()).as(plan.toString())
                .contains(index);
    }

    private static void collect(JsonNode node, List<JsonNode> nodes) {
        nodes.add(node);
        node.path("Plans").forEach(child -> collect(child, nodes));
    }
}
