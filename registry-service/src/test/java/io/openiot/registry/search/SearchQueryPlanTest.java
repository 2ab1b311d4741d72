package io.openiot.registry.search;

import static io.openiot.registry.QueryPlans.assertIndexedWithoutThingSeqScan;
import static io.openiot.registry.QueryPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.openiot.registry.QueryPlans;
import io.openiot.registry.api.RegistryApiTestBase;
import io.openiot.registry.domain.KeysetPage;
import io.openiot.registry.search.domain.QueryParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** SearchIndex's statements, as the service builds them, run on indexes over {@value QueryPlans#FLEET} things. */
class SearchQueryPlanTest extends RegistryApiTestBase {

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void fleet() {
        QueryPlans.loadFleet(jdbc);
    }

    private SearchSql.Statement statement(String query, String after) {
        return SearchSql.statement(QueryParser.parse(query), new KeysetPage(50, after));
    }

    @Test
    void anAttributeSearchUsesTheAttributeValueIndex() {
        SearchSql.Statement search = statement("attributes.site:SITE-7", null);
        assertIndexedWithoutThingSeqScan(plan(jdbc, search.sql(), search.params()),
                "thing_attribute_lower_value_idx");
        assertThat(jdbc.sql(search.sql()).params(search.params()).query((rs, n) -> rs.getString("name")).list())
                .hasSize(51).allMatch(name -> name.startsWith("plan-"));
    }

    @Test
    void aThingNamePrefixSearchUsesTheLowerCaseNameIndexOnEveryPage() {
        SearchSql.Statement first = statement("thingName:PLAN-012*", null);
        assertIndexedWithoutThingSeqScan(plan(jdbc, first.sql(), first.params()), "thing_name_lower_idx");
        SearchSql.Statement next = statement("thingName:plan-012*", "plan-01249");
        assertIndexedWithoutThingSeqScan(plan(jdbc, next.sql(), next.params()), "thing_name_lower_idx");
        assertThat(jdbc.sql(next.sql()).params(next.params()).query((rs, n) -> rs.getString("name")).list())
                .hasSize(50).first().isEqualTo("plan-01250");
    }

    @Test
    void anAttributePrefixAndANumericRangeUseTheAttributeIndexes() {
        SearchSql.Statement prefix = statement("attributes.serial:1234*", null);
        assertIndexedWithoutThingSeqScan(plan(jdbc, prefix.sql(), prefix.params()),
                "thing_attribute_lower_value_idx");
        SearchSql.Statement range = statement("attributes.serial:[100 TO 120]", null);
        assertIndexedWithoutThingSeqScan(plan(jdbc, range.sql(), range.params()), "thing_attribute_number_idx");
    }
}
