package io.openiot.shadow.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.openiot.shadow.ShadowServiceTestBase;
import io.openiot.shadow.document.ShadowJson;
import io.openiot.shadow.document.ShadowName;
import io.openiot.shadow.document.ShadowRejection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ShadowStorageTest extends ShadowServiceTestBase {

    @Autowired
    ShadowService shadows;
    @Autowired
    ShadowStore store;
    @Autowired
    ShadowHousekeeping housekeeping;
    @Autowired
    MovableClock clock;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void fiftyConcurrentWritersLoseNoAcceptedUpdate() throws Exception {
        ShadowName name = ShadowName.classic("contended");
        int writers = 50;
        Set<Integer> accepted = ConcurrentHashMap.newKeySet();
        Set<Integer> conflicts = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            int writer = i;
            done.add(pool.submit(() -> {
                start.await();
                // every other writer updates optimistically with the version it read, as a careful app would
                String version = "";
                if (writer % 2 == 1) {
                    try {
                        version = ",\"version\":" + shadows.get(name, null).get("version").asLong();
                    } catch (ShadowRejection notYet) {
                        version = ",\"version\":0";
                    }
                }
                String body = "{\"state\":{\"desired\":{\"k" + writer + "\":" + writer + "}," + "\"reported\":{\"w"
                        + writer + "\":true}}" + version + "}";
                try {
                    shadows.update(name, body.getBytes(StandardCharsets.UTF_8));
                    accepted.add(writer);
                } catch (ShadowRejection e) {
                    assertThat(e.code()).isEqualTo(409);
                    conflicts.add(writer);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        ObjectNode shadow = shadows.get(name, null);
        assertThat(accepted.size() + conflicts.size()).isEqualTo(writers);
        assertThat(accepted).hasSizeGreaterThanOrEqualTo(writers / 2);
        assertThat(shadow.get("version").asLong()).isEqualTo(accepted.size());
        JsonNode desired = shadow.path("state").path("desired");
        for (int writer : accepted) {
            assertThat(desired.path("k" + writer).asInt(-1)).as("writer %d", writer).isEqualTo(writer);
            assertThat(shadow.path("state").path("reported").path("w" + writer).asBoolean()).isTrue();
        }
        for (int writer : conflicts) {
            assertThat(desired.has("k" + writer)).as("rejected writer %d", writer).isFalse();
        }
        assertThat(jdbc.queryForList("SELECT version FROM shadow_version WHERE thing_name = 'contended' "
                + "ORDER BY version", Long.class))
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, accepted.size()).boxed()
                        .toList());
    }

    @Test
    void aDeletedShadowKeepsItsVersionCountAndItsHistory() {
        ShadowName name = new ShadowName("recreated", "cfg");
        update(name, "{\"state\":{\"reported\":{\"a\":1}}}");
        update(name, "{\"state\":{\"reported\":{\"a\":2}}}");

        ObjectNode deleted = shadows.delete(name);
        ObjectNode recreated = update(name, "{\"state\":{\"reported\":{\"b\":3}}}");

        assertThat(deleted.get("version").asLong()).isEqualTo(2);
        assertThat(recreated.get("version").asLong()).isEqualTo(3);
        assertThat(shadows.get(name, null).path("state").path("reported"))
                .isEqualTo(ShadowJson.read("{\"b\":3}"));
        assertThat(shadows.getVersion(name, 2).path("state").path("reported"))
                .isEqualTo(ShadowJson.read("{\"a\":2}"));
        assertThat(shadows.history(name, 1, Long.MAX_VALUE, 0, 10).versions()).extracting(v -> v.get("version")
                .asLong()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aShadowWhoseSectionsAreEmptiedStillExistsWithItsVersion() {
        ShadowName name = ShadowName.classic("emptied");
        update(name, "{\"state\":{\"desired\":{\"a\":1}}}");
        update(name, "{\"state\":{\"desired\":null}}");

        ObjectNode shadow = shadows.get(name, null);

        assertThat(shadow.get("version").asLong()).isEqualTo(2);
        assertThat(shadow.get("state")).isEqualTo(ShadowJson.read("{}"));
    }

    @Test
    void aRejectedUpdateLeavesNoTrace() {
        ShadowName name = ShadowName.classic("never-created");
        try {
            update(name, "{\"state\":{\"desired\":{\"a\":1}},\"version\":3}");
        } catch (ShadowRejection expected) {
            assertThat(expected.code()).isEqualTo(409);
        }

        assertThat(store.find(name)).isEmpty();
    }

    @Test
    void retentionKeepsTheNewestVersionsAndDropsOldOnes() {
        ShadowName old = ShadowName.classic("retention-old");
        clock.shift(Duration.ofDays(-40));
        try {
            update(old, "{\"state\":{\"reported\":{\"a\":1}}}");
        } finally {
            clock.reset();
        }
        ShadowName many = ShadowName.classic("retention-many");
        for (int i = 0; i < 5; i++) {
            update(many, "{\"state\":{\"reported\":{\"n\":" + i + "}}}");
        }

        housekeeping.cleanUp();
        store.deleteVersionsBeyond(2);

        assertThat(store.versions(old, 1, Long.MAX_VALUE, 0, 10)).isEmpty();
        assertThat(shadows.get(old, null).get("version").asLong()).isEqualTo(1);
        assertThat(store.versions(many, 1, Long.MAX_VALUE, 0, 10)).extracting(d -> d.version())
                .containsExactly(4L, 5L);
    }

    @Test
    void theOutboxIsEmptyOnceResponsesAreSentAndTheRelaySendsLeftovers() {
        ShadowName name = ShadowName.classic("outboxed");
        update(name, "{\"state\":{\"reported\":{\"a\":1}}}");

        assertThat(jdbc.queryForObject("SELECT count(*) FROM shadow_outbox", Integer.class)).isZero();

        jdbc.update("INSERT INTO shadow_outbox (request_id, topic, payload, qos, message_time, message_id, trace_id, "
                + "origin, hop_count, created_at) VALUES ('r', '$aws/things/outboxed/shadow/update/accepted', "
                + "'{}'::bytea, 1, 0, 'left-over', 'left-over', 'shadow-service', 1, now() - interval '1 minute')");
        assertThat(housekeeping.relayOutbox()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM shadow_outbox", Integer.class)).isZero();
    }

    private ObjectNode update(ShadowName name, String body) {
        return shadows.update(name, body.getBytes(StandardCharsets.UTF_8));
    }
}
