package io.openiot.registry.thing;

import static io.openiot.registry.QueryPlans.assertIndexedWithoutThingSeqScan;
import static io.openiot.registry.QueryPlans.plan;

import io.openiot.registry.QueryPlans;
import io.openiot.registry.api.RegistryApiTestBase;
import io.openiot.registry.domain.KeysetPage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** ListThings' statement, as the service builds it, reads by index over {@value QueryPlans#FLEET} things. */
class ListThingsQueryPlanTest extends RegistryApiTestBase {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ThingService things;

    @BeforeEach
    void fleet() {
        QueryPlans.loadFleet(jdbc);
    }

    @Test
    void theFirstPageAndAPageAfterATokenWalkTheNameIndex() {
        ThingService.Statement first = things.listStatement(new KeysetPage(50, null), null, null, null, false);
        assertIndexedWithoutThingSeqScan(plan(jdbc, first.sql(), first.params()), "thing_pkey");
        ThingService.Statement later = things.listStatement(new KeysetPage(250, "plan-12345"), null, null, null,
                false);
        assertIndexedWithoutThingSeqScan(plan(jdbc, later.sql(), later.params()), "thing_pkey");
    }

    @Test
    void aSelectiveAttributeFilterUsesAnAttributeIndex() {
        ThingService.Statement equal = things.listStatement(new KeysetPage(50, null), "serial", "4321", null, false);
        assertIndexedWithoutThingSeqScan(plan(jdbc, equal.sql(), equal.params()), "thing_attributes_idx");
        ThingService.Statement prefix = things.listStatement(new KeysetPage(50, null), "serial", "4321", null, true);
        assertIndexedWithoutThingSeqScan(plan(jdbc, prefix.sql(), prefix.params()), "thing_attribute_value_idx");
    }
}
