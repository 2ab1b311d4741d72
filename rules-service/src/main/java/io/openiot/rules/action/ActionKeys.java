package io.openiot.rules.action;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stable keys of a rule's actions, from which the ids of their outputs are derived: {@code <type>:<target>}
 * ({@code republish:alerts/${topic(3)}}, {@code dynamoDB:speeding}), so that reordering a rule's actions keeps every
 * id. Only when a rule holds several actions of the same type and target do the second and later ones get an
 * occurrence number ({@code #2}, {@code #3}); reordering just those among themselves swaps their ids.
 */
public final class ActionKeys {

    /** Prefix of the error action's key, so that it never collides with one of the rule's own actions. */
    public static final String ERROR_ACTION_PREFIX = "errorAction:";

    private ActionKeys() {
    }

    public static List<String> of(List<RuleAction> actions) {
        Map<String, Integer> seen = new HashMap<>();
        List<String> keys = new ArrayList<>(actions.size());
        for (RuleAction action : actions) {
            String base = action.baseKey();
            int occurrence = seen.merge(base, 1, Integer::sum);
            keys.add(occurrence == 1 ? base : base + "#" + occurrence);
        }
        return List.copyOf(keys);
    }

    public static String ofErrorAction(RuleAction errorAction) {
        return ERROR_ACTION_PREFIX + errorAction.baseKey();
    }
}
