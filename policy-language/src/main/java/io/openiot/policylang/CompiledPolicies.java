package io.openiot.policylang;

import java.util.ArrayList;
import java.util.List;

/**
 * The decisions of one principal on one connection: its policies with the connection's variables substituted once,
 * the conditions decided, and each {@link IotAction}'s resources indexed by name, so that a decision on the hot path
 * is a walk of a small trie that allocates nothing. IAM's logic: an explicit deny wins, otherwise an allow grants,
 * otherwise the default is deny. Immutable and safe to share between threads.
 */
public final class CompiledPolicies {

    private static final class ResolvedStatement {
        final Statement statement;
        final List<Glob> resources;

        ResolvedStatement(Statement statement, List<Glob> resources) {
            this.statement = statement;
            this.resources = resources;
        }

        boolean appliesTo(String resourceArn) {
            boolean listed = false;
            for (Glob glob : resources) {
                if (glob.matches(resourceArn)) {
                    listed = true;
                    break;
                }
            }
            return listed != statement.notResource();
        }
    }

    /** One action's statements, by name within the action's resource type. */
    private static final class ActionIndex {
        final String prefix;
        final ResourceIndex allow;
        final ResourceIndex deny;
        final ResourceIndex[] allowUnlessListed;
        final ResourceIndex[] denyUnlessListed;

        ActionIndex(String prefix, ResourceIndex allow, ResourceIndex deny, ResourceIndex[] allowUnlessListed,
                ResourceIndex[] denyUnlessListed) {
            this.prefix = prefix;
            this.allow = allow;
            this.deny = deny;
            this.allowUnlessListed = allowUnlessListed;
            this.denyUnlessListed = denyUnlessListed;
        }

        AuthDecision decide(String s, int from) {
            if (deny.matches(s, from) || anyUnlisted(denyUnlessListed, s, from)) {
                return AuthDecision.EXPLICIT_DENY;
            }
            if (allow.matches(s, from) || anyUnlisted(allowUnlessListed, s, from)) {
                return AuthDecision.ALLOWED;
            }
            return AuthDecision.IMPLICIT_DENY;
        }

        private static boolean anyUnlisted(ResourceIndex[] indexes, String s, int from) {
            for (ResourceIndex index : indexes) {
                if (!index.matches(s, from)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final IotAction[] ACTIONS = IotAction.values();
    private static final ResourceIndex[] NO_INDEXES = new ResourceIndex[0];

    private final PrincipalContext context;
    private final List<ResolvedStatement> statements;
    private final ActionIndex[] indexes;

    private CompiledPolicies(PrincipalContext context, List<ResolvedStatement> statements, ActionIndex[] indexes) {
        this.context = context;
        this.statements = statements;
        this.indexes = indexes;
    }

    /** Compiles all policies of a principal (those of its certificate, and of its thing's groups) for a connection. */
    public static CompiledPolicies compile(List<PolicyDocument> policies, PrincipalContext context) {
        List<ResolvedStatement> resolved = new ArrayList<>();
        for (PolicyDocument policy : policies) {
            for (Statement statement : policy.statements()) {
                ResolvedStatement r = resolve(statement, context);
                if (r != null) {
                    resolved.add(r);
                }
            }
        }
        ActionIndex[] indexes = new ActionIndex[ACTIONS.length];
        for (IotAction action : ACTIONS) {
            if (action.resourceType() != null) {
                indexes[action.ordinal()] = index(action, resolved, context);
            }
        }
        return new CompiledPolicies(context, List.copyOf(resolved), indexes);
    }

    /**
     * Compiles a certificate's policies with those of the thing groups of its thing. As in AWS, the group policies
     * count only when the client id is the name of the thing attached to the principal ({@code context.thing()}).
     */
    public static CompiledPolicies compile(List<PolicyDocument> principalPolicies,
            List<PolicyDocument> thingGroupPolicies, PrincipalContext context) {
        List<PolicyDocument> all = new ArrayList<>(principalPolicies);
        if (context.thingResolves()) {
            all.addAll(thingGroupPolicies);
        }
        return compile(all, context);
    }

    // null when the statement cannot match this principal: a condition fails, or a NotResource cannot be resolved
    private static ResolvedStatement resolve(Statement statement, PrincipalContext context) {
        for (ConditionClause condition : statement.conditionClauses) {
            if (!condition.holds(context)) {
                return null;
            }
        }
        List<Glob> resources = new ArrayList<>();
        for (Template template : statement.resourceTemplates) {
            Glob glob = template.substitute(name -> Variables.value(context, name));
            if (glob != null) {
                resources.add(glob);
            } else if (statement.notResource()) {
                // an unknown exclusion would widen the statement: it does not match at all
                return null;
            }
            // an unresolvable Resource entry matches nothing; the statement's other entries still count
        }
        if (resources.isEmpty() && !statement.notResource()) {
            return null;
        }
        return new ResolvedStatement(statement, List.copyOf(resources));
    }

    private static ActionIndex index(IotAction action, List<ResolvedStatement> statements, PrincipalContext context) {
        String prefix = action.resourceType().prefix(context.region(), context.accountId());
        List<ResolvedStatement> applicable = new ArrayList<>();
        for (ResolvedStatement r : statements) {
            if (r.statement.appliesToAction(action.actionName())) {
                applicable.add(r);
            }
        }
        if (applicable.isEmpty()) {
            return new ActionIndex(prefix, ResourceIndex.EMPTY, ResourceIndex.EMPTY, NO_INDEXES, NO_INDEXES);
        }
        ResourceIndex.Builder allow = new ResourceIndex.Builder();
        ResourceIndex.Builder deny = new ResourceIndex.Builder();
        List<ResourceIndex> allowUnlessListed = new ArrayList<>();
        List<ResourceIndex> denyUnlessListed = new ArrayList<>();
        for (ResolvedStatement r : applicable) {
            boolean isDeny = r.statement.effect() == Effect.DENY;
            if (r.statement.notResource()) {
                ResourceIndex.Builder listed = new ResourceIndex.Builder();
                addAfterPrefix(listed, r.resources, prefix);
                (isDeny ? denyUnlessListed : allowUnlessListed).add(listed.build());
            } else {
                addAfterPrefix(isDeny ? deny : allow, r.resources, prefix);
            }
        }
        return new ActionIndex(prefix, allow.build(), deny.build(), allowUnlessListed.toArray(NO_INDEXES),
                denyUnlessListed.toArray(NO_INDEXES));
    }

    private static void addAfterPrefix(ResourceIndex.Builder builder, List<Glob> globs, String prefix) {
        for (Glob glob : globs) {
            for (int position : glob.positionsAfter(prefix)) {
                builder.add(glob, position);
            }
        }
    }

    /** The context these policies were compiled for. */
    public PrincipalContext context() {
        return context;
    }

    /** Whether {@code action} (e.g. {@code iot:Publish}) is allowed on {@code resourceArn}. */
    public boolean isAllowed(String action, String resourceArn) {
        return decide(action, resourceArn).isAllowed();
    }

    public boolean isAllowed(IotAction action, String resourceArn) {
        return decide(action, resourceArn).isAllowed();
    }

    /** The decision, as AWS's TestAuthorization names it, for any action name and resource ARN. */
    public AuthDecision decide(String action, String resourceArn) {
        IotAction known = IotAction.fromName(action);
        return known != null ? decide(known, resourceArn) : decideSlowly(action, resourceArn);
    }

    public AuthDecision decide(IotAction action, String resourceArn) {
        ActionIndex index = indexes[action.ordinal()];
        if (index != null && resourceArn.startsWith(index.prefix)) {
            return index.decide(resourceArn, index.prefix.length());
        }
        return decideSlowly(action.actionName(), resourceArn);
    }

    /**
     * The decision on the resource {@code name} of the action's own type in the platform's region and account,
     * e.g. a topic for {@link IotAction#PUBLISH}, without building its ARN.
     */
    public AuthDecision decideOnName(IotAction action, String name) {
        ActionIndex index = indexes[action.ordinal()];
        if (index == null) {
            throw new IllegalArgumentException(action.actionName() + " takes no named resource");
        }
        return index.decide(name, 0);
    }

    /** Every statement scanned against the full ARN: the reference the indexes must agree with. */
    AuthDecision decideByScan(String action, String resourceArn) {
        return decideSlowly(action, resourceArn);
    }

    private AuthDecision decideSlowly(String action, String resourceArn) {
        boolean allowed = false;
        for (ResolvedStatement r : statements) {
            if (r.statement.appliesToAction(action) && r.appliesTo(resourceArn)) {
                if (r.statement.effect() == Effect.DENY) {
                    return AuthDecision.EXPLICIT_DENY;
                }
                allowed = true;
            }
        }
        return allowed ? AuthDecision.ALLOWED : AuthDecision.IMPLICIT_DENY;
    }

    /** {@code iot:Connect} on {@code client/{clientId}}. */
    public boolean canConnect(String clientId) {
        return decideOnName(IotAction.CONNECT, clientId).isAllowed();
    }

    /** {@code iot:Publish} on {@code topic/{topic}}. */
    public boolean canPublish(String topic) {
        return decideOnName(IotAction.PUBLISH, topic).isAllowed();
    }

    /** A publish with the retain flag needs {@code iot:Publish} and {@code iot:RetainPublish}, as in AWS. */
    public boolean canPublishRetained(String topic) {
        return canPublish(topic) && decideOnName(IotAction.RETAIN_PUBLISH, topic).isAllowed();
    }

    /** {@code iot:Subscribe} on {@code topicfilter/{topicFilter}}; {@code +} and {@code #} are literal there. */
    public boolean canSubscribe(String topicFilter) {
        return decideOnName(IotAction.SUBSCRIBE, topicFilter).isAllowed();
    }

    /** {@code iot:Receive} on {@code topic/{topic}}, checked before each delivery. */
    public boolean canReceive(String topic) {
        return decideOnName(IotAction.RECEIVE, topic).isAllowed();
    }

    /** {@code iot:GetThingShadow} on {@code thing/{thingName}} or, for a named shadow, {@code thing/{thingName}/{shadowName}}. */
    public boolean canGetThingShadow(String thingName, String shadowName) {
        return decideOnName(IotAction.GET_THING_SHADOW, shadowResource(thingName, shadowName)).isAllowed();
    }

    /** {@code iot:UpdateThingShadow}, resource as {@link #canGetThingShadow}. */
    public boolean canUpdateThingShadow(String thingName, String shadowName) {
        return decideOnName(IotAction.UPDATE_THING_SHADOW, shadowResource(thingName, shadowName)).isAllowed();
    }

    /** {@code iot:DeleteThingShadow}, resource as {@link #canGetThingShadow}. */
    public boolean canDeleteThingShadow(String thingName, String shadowName) {
        return decideOnName(IotAction.DELETE_THING_SHADOW, shadowResource(thingName, shadowName)).isAllowed();
    }

    /** {@code iot:ListNamedShadowsForThing} on {@code thing/{thingName}}. */
    public boolean canListNamedShadowsForThing(String thingName) {
        return decideOnName(IotAction.LIST_NAMED_SHADOWS_FOR_THING, thingName).isAllowed();
    }

    private static String shadowResource(String thingName, String shadowName) {
        return shadowName == null || shadowName.isEmpty() ? thingName : thingName + "/" + shadowName;
    }

    /** The number of statements that survived substitution and conditions for this principal. */
    public int statementCount() {
        return statements.size();
    }
}
