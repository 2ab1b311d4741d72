package io.openiot.policylang;

import java.util.List;

/**
 * One statement of a policy document, immutable. Exactly one of {@code Action}/{@code NotAction} and one of
 * {@code Resource}/{@code NotResource} is present; {@link #notAction()} and {@link #notResource()} tell which.
 */
public final class Statement {

    private final String sid;
    private final Effect effect;
    private final List<String> actions;
    private final boolean notAction;
    private final List<String> resources;
    private final boolean notResource;
    private final List<Condition> conditions;

    // parsed once when the document is parsed, compiled per principal
    final List<Glob> actionPatterns;
    final List<Template> resourceTemplates;
    final List<ConditionClause> conditionClauses;

    Statement(String sid, Effect effect, List<String> actions, boolean notAction, List<String> resources,
            boolean notResource, List<ConditionClause> conditionClauses, List<Glob> actionPatterns,
            List<Template> resourceTemplates) {
        this.sid = sid;
        this.effect = effect;
        this.actions = List.copyOf(actions);
        this.notAction = notAction;
        this.resources = List.copyOf(resources);
        this.notResource = notResource;
        this.conditionClauses = List.copyOf(conditionClauses);
        this.conditions = conditionClauses.stream().map(ConditionClause::condition).toList();
        this.actionPatterns = List.copyOf(actionPatterns);
        this.resourceTemplates = List.copyOf(resourceTemplates);
    }

    /** The {@code Sid}, or {@code null}. */
    public String sid() {
        return sid;
    }

    public Effect effect() {
        return effect;
    }

    /** The {@code Action} or, if {@link #notAction()}, the {@code NotAction} values. */
    public List<String> actions() {
        return actions;
    }

    public boolean notAction() {
        return notAction;
    }

    /** The {@code Resource} or, if {@link #notResource()}, the {@code NotResource} values. */
    public List<String> resources() {
        return resources;
    }

    public boolean notResource() {
        return notResource;
    }

    public List<Condition> conditions() {
        return conditions;
    }

    boolean appliesToAction(String actionName) {
        boolean listed = false;
        for (Glob pattern : actionPatterns) {
            if (pattern.matchesIgnoreCase(actionName)) {
                listed = true;
                break;
            }
        }
        return listed != notAction;
    }

    @Override
    public String toString() {
        return "Statement[" + (sid == null ? "" : sid + " ") + effect.jsonName() + (notAction ? " NotAction " : " ")
                + actions + (notResource ? " NotResource " : " ") + resources
                + (conditions.isEmpty() ? "" : " " + conditions) + "]";
    }
}
