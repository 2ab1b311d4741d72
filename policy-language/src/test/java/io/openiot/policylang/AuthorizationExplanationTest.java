package io.openiot.policylang;

import static io.openiot.policylang.Policies.ARN;
import static io.openiot.policylang.Policies.device;
import static io.openiot.policylang.Policies.json;
import static io.openiot.policylang.Policies.policy;
import static io.openiot.policylang.Policies.statement;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthorizationExplanationTest {

    private static Map<String, PolicyDocument> policies() {
        Map<String, PolicyDocument> policies = new LinkedHashMap<>();
        policies.put("allow-telemetry", PolicyDocument.parse(policy(statement("Allow", json("iot:Publish"),
                json(ARN + "topic/telemetry/*")))));
        policies.put("deny-admin", PolicyDocument.parse(policy(statement("Deny", json("iot:Publish"),
                json(ARN + "topic/telemetry/admin")))));
        policies.put("thing-topics", PolicyDocument.parse(policy(statement("Allow", json("iot:Publish"),
                json(ARN + "topic/things/${iot:Connection.Thing.ThingName}"),
                "{\"StringEquals\":{\"iot:Certificate.Subject.CommonName\":\"x\"}}"))));
        return policies;
    }

    @Test
    void namesThePoliciesThatAllowAndTheOthers() {
        AuthorizationExplanation explanation = AuthorizationExplanation.explain(policies(), device("dev1").build(),
                "iot:Publish", ARN + "topic/telemetry/t1");

        assertThat(explanation.decision()).isEqualTo(AuthDecision.ALLOWED);
        assertThat(explanation.allowingPolicies()).containsExactly("allow-telemetry");
        assertThat(explanation.denyingPolicies()).isEmpty();
        assertThat(explanation.otherPolicies()).containsExactly("deny-admin", "thing-topics");
    }

    @Test
    void explicitDenyNamesTheDenyingPolicy() {
        AuthorizationExplanation explanation = AuthorizationExplanation.explain(policies(), device("dev1").build(),
                "iot:Publish", ARN + "topic/telemetry/admin");

        assertThat(explanation.decision()).isEqualTo(AuthDecision.EXPLICIT_DENY);
        assertThat(explanation.allowingPolicies()).containsExactly("allow-telemetry");
        assertThat(explanation.denyingPolicies()).containsExactly("deny-admin");
    }

    @Test
    void listsTheContextValuesThePrincipalLacks() {
        AuthorizationExplanation explanation = AuthorizationExplanation.explain(policies(), device("dev1").build(),
                "iot:Publish", ARN + "topic/things/dev1");

        assertThat(explanation.decision()).isEqualTo(AuthDecision.IMPLICIT_DENY);
        assertThat(explanation.missingContextValues()).containsExactlyInAnyOrder(
                "iot:Connection.Thing.ThingName", "iot:Certificate.Subject.CommonName");
    }
}
