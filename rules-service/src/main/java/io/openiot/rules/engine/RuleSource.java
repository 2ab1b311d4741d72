package io.openiot.rules.engine;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Where the engine finds the enabled rules; the rule store implements it. */
public interface RuleSource {

    /**
     * A stored rule as the engine needs it. {@code updatedAt} tells whether it must be compiled again;
     * {@code sqlVersion} is the rule's {@code awsIotSqlVersion};
     * {@code errorAction} is null when the rule has none.
     */
    record RuleDefinition(String name, String sql, String sqlVersion, JsonNode actions, JsonNode errorAction,
                          Instant updatedAt) {
    }

    List<RuleDefinition> enabledRules();

    /**
     * A cheap summary of the enabled rules that changes whenever one is created, replaced, enabled, disabled or
     * deleted, so that a replica polls often without reloading every rule each time.
     */
    String fingerprint();
}
