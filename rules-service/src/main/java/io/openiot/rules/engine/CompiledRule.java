package io.openiot.rules.engine;

import io.openiot.rules.action.ActionKeys;
import io.openiot.rules.action.RuleAction;
import io.openiot.rules.sql.RuleQuery;
import io.openiot.rules.sql.TopicFilter;
import java.util.List;

/**
 * An enabled rule, parsed once: its query, its actions with their stable keys ({@link ActionKeys}), and its error
 * action ({@code null} when it has none).
 */
record CompiledRule(String name, RuleQuery query, List<RuleAction> actions, List<String> actionKeys,
                    RuleAction errorAction, String errorActionKey) {

    CompiledRule(String name, RuleQuery query, List<RuleAction> actions, RuleAction errorAction) {
        this(name, query, List.copyOf(actions), ActionKeys.of(actions), errorAction,
                errorAction == null ? null : ActionKeys.ofErrorAction(errorAction));
    }

    TopicFilter topicFilter() {
        return query.topicFilter();
    }
}
