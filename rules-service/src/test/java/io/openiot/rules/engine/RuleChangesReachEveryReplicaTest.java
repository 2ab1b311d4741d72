package io.openiot.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openiot.rules.RulesServiceTestBase;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * A second replica's rule snapshot (its own {@link RuleSnapshot} on the same database, with the default refresh
 * interval of 1 s) sees every change made through the API of this one within 2 s: create, disable, enable, replace,
 * delete.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RuleChangesReachEveryReplicaTest extends RulesServiceTestBase {

    private static final Duration WITHIN = Duration.ofSeconds(2);

    @Autowired
    RuleSource source;

    private RuleSnapshot otherReplica;

    @BeforeEach
    void startOtherReplica() {
        otherReplica = new RuleSnapshot(source, new EngineProperties(8, Duration.ofSeconds(1), Duration.ofSeconds(35),
                Duration.ofSeconds(10)));
        otherReplica.start();
    }

    @AfterEach
    void stopOtherReplica() {
        otherReplica.stop();
    }

    @Test
    void everyChangeThroughTheApiReachesAnotherReplicaWithinTwoSeconds() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String name = newRuleName("replicated");
        String first = "replica/" + id + "/a";
        String second = "replica/" + id + "/b";

        ok(post("/rules/" + name, rule(first)));
        within(() -> runs(first, name));

        ok(post("/rules/" + name + "/disable", ""));
        within(() -> !runs(first, name));

        ok(post("/rules/" + name + "/enable", ""));
        within(() -> runs(first, name));

        ok(http().patch().uri("/rules/" + name).contentType(MediaType.APPLICATION_JSON).body(rule(second))
                .retrieve().toEntity(String.class));
        within(() -> runs(second, name) && !runs(first, name));

        ok(http().delete().uri("/rules/" + name).retrieve().toEntity(String.class));
        within(() -> !runs(second, name));
    }

    private boolean runs(String topic, String rule) {
        return otherReplica.rulesFor(topic).stream().anyMatch(compiled -> compiled.name().equals(rule));
    }

    private static String rule(String topic) {
        return "{\"sql\": \"SELECT * FROM '" + topic + "'\", \"actions\": [{\"republish\": {\"topic\": \"x/y\"}}]}";
    }

    /** The other replica reflects the change within 2 s of the API's answer. */
    private static void within(BooleanSupplier condition) {
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
    }

    private static void ok(ResponseEntity<String> response) {
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
    }
}
