package io.openiot.policylang;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One decision with the policies behind it, for AWS's TestAuthorization: which policies allow, which deny
 * explicitly, which do neither, and the context values (variables, condition keys) the principal lacks. Decided by
 * compiling each policy on its own, so it is for the API, not for the message path.
 *
 * @param decision             the decision over all policies together
 * @param allowingPolicies     names of the policies that allow the request (and deny nothing of it)
 * @param denyingPolicies      names of the policies that deny it explicitly
 * @param otherPolicies        names of the policies that say nothing about it (implicit deny)
 * @param missingContextValues variables and condition keys the policies name that have no value for this principal
 */
public record AuthorizationExplanation(AuthDecision decision, List<String> allowingPolicies,
        List<String> denyingPolicies, List<String> otherPolicies, Set<String> missingContextValues) {

    public AuthorizationExplanation {
        allowingPolicies = List.copyOf(allowingPolicies);
        denyingPolicies = List.copyOf(denyingPolicies);
        otherPolicies = List.copyOf(otherPolicies);
        missingContextValues = Set.copyOf(missingContextValues);
    }

    /** Explains {@code action} on {@code resourceArn} for the principal's policies, keyed by policy name. */
    public static AuthorizationExplanation explain(Map<String, PolicyDocument> policies, PrincipalContext context,
            String action, String resourceArn) {
        List<String> allowing = new ArrayList<>();
        List<String> denying = new ArrayList<>();
        List<String> other = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>();
        for (Map.Entry<String, PolicyDocument> policy : policies.entrySet()) {
            AuthDecision decision = CompiledPolicies.compile(List.of(policy.getValue()), context)
                    .decide(action, resourceArn);
            switch (decision) {
                case ALLOWED -> allowing.add(policy.getKey());
                case EXPLICIT_DENY -> denying.add(policy.getKey());
                default -> other.add(policy.getKey());
            }
            for (Statement statement : policy.getValue().statements()) {
                for (Template resource : statement.resourceTemplates) {
                    resource.addUnresolved(context, missing);
                }
                for (ConditionClause condition : statement.conditionClauses) {
                    condition.addMissing(context, missing);
                }
            }
        }
        AuthDecision decision = !denying.isEmpty() ? AuthDecision.EXPLICIT_DENY
                : !allowing.isEmpty() ? AuthDecision.ALLOWED : AuthDecision.IMPLICIT_DENY;
        return new AuthorizationExplanation(decision, allowing, denying, other, missing);
    }
}
