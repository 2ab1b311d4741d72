package io.openiot.rules.engine;

import io.openiot.rules.action.RuleAction;
import io.openiot.rules.sql.RuleQuery;
import io.openiot.rules.sql.TopicFilter;
import java.util.List;

/** An enabled rule, parsed once: its query and its actions. */
record CompiledRule(String name, RuleQuery query, List<RuleAction> actions) {

    CompiledRule {
        actions = List.copyOf(actions);
    }

    TopicFilter topicFilter() {
        return query.topicFilter();
    }
}
