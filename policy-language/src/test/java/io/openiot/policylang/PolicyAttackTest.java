package io.openiot.policylang;

import static io.openiot.policylang.Policies.ARN;
import static io.openiot.policylang.Policies.compile;
import static io.openiot.policylang.Policies.device;
import static io.openiot.policylang.Policies.json;
import static io.openiot.policylang.Policies.policy;
import static io.openiot.policylang.Policies.statement;
import static io.openiot.policylang.Policies.thing;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a hostile or careless device tries, and what the evaluator must refuse. */
class PolicyAttackTest {

    private static final String OWN_TOPICS = policy(
            statement("Allow", json("iot:Connect"), json(ARN + "client/${iot:ClientId}")),
            statement("Allow", json("iot:Publish", "iot:Receive"), json(ARN + "topic/devices/${iot:ClientId}/*")),
            statement("Allow", json("iot:Subscribe"), json(ARN + "topicfilter/devices/${iot:ClientId}/*")));

    @Test
    void deviceCannotPublishToAnotherDevicesTopic() {
        CompiledPolicies dev1 = compile(device("dev1").build(), OWN_TOPICS);

        assertThat(dev1.canPublish("devices/dev1/telemetry")).isTrue();
        assertThat(dev1.canPublish("devices/dev2/telemetry")).isFalse();
        assertThat(dev1.canPublish("devices/dev1")).isFalse();
        assertThat(dev1.canReceive("devices/dev2/commands")).isFalse();
        assertThat(dev1.canSubscribe("devices/dev2/#")).isFalse();
        assertThat(dev1.canSubscribe("devices/+/#")).isFalse();
        assertThat(dev1.canSubscribe("#")).isFalse();
    }

    @ParameterizedTest(name = "client id \"{0}\"")
    @ValueSource(strings = {"+", "#", "*", "?", "a*", "${iot:ClientId}", "$(*)"})
    void wildcardClientIdMatchesOnlyItselfLiterally(String clientId) {
        String subscribeOwn = policy(statement("Allow", json("iot:Subscribe"),
                json(ARN + "topicfilter/my/${iot:ClientId}/topic")));
        CompiledPolicies attacker = compile(device(clientId).build(), subscribeOwn);

        // the substituted value is literal: it does not become an IAM wildcard ...
        assertThat(attacker.canSubscribe("my/victim/topic")).isFalse();
        assertThat(attacker.canSubscribe("my/a/b/topic")).isFalse();
        assertThat(attacker.canSubscribe("my/x/topic")).isFalse();
        assertThat(attacker.isAllowed("iot:Subscribe", ARN + "topicfilter/my/victim/topic")).isFalse();
        // ... it only matches the filter that spells it
        assertThat(attacker.canSubscribe("my/" + clientId + "/topic")).isTrue();
    }

    @Test
    void clientIdPlusGetsTheMqttWildcardFilterAsAwsWarnsAndConnectPinsClientIds() {
        // AWS's security note: with client id "+", topicfilter/my/${iot:ClientId}/topic allows the filter my/+/topic,
        // which covers every device's topic; iot:Connect on client/${iot:Connection.Thing.ThingName} stops that
        String policy = policy(
                statement("Allow", json("iot:Connect"), json(ARN + "client/${iot:Connection.Thing.ThingName}")),
                statement("Allow", json("iot:Subscribe"), json(ARN + "topicfilter/my/${iot:ClientId}/topic")));
        CompiledPolicies plus = compile(device("+").thing(thing("dev1", null, Map.of())).build(), policy);

        assertThat(plus.canSubscribe("my/+/topic")).isTrue();
        assertThat(plus.canConnect("+")).isFalse();
        CompiledPolicies dev1 = compile(device("dev1").thing(thing("dev1", null, Map.of())).build(), policy);
        assertThat(dev1.canConnect("dev1")).isTrue();
    }

    @Test
    void denyInOnePolicyWinsOverAllowInAnother() {
        String allowAll = policy(statement("Allow", json("iot:*"), json("*")));
        String denyAdmin = policy(statement("Deny", json("iot:Publish", "iot:Subscribe"),
                json(ARN + "topic/admin/*", ARN + "topicfilter/admin/*")));
        CompiledPolicies compiled = compile(device("dev1").build(), allowAll, denyAdmin);

        assertThat(compiled.canPublish("admin/reboot")).isFalse();
        assertThat(compiled.decideOnName(IotAction.PUBLISH, "admin/reboot")).isEqualTo(AuthDecision.EXPLICIT_DENY);
        assertThat(compiled.canSubscribe("admin/#")).isFalse();
        assertThat(compiled.canPublish("public/news")).isTrue();
        // order of the policies does not matter
        assertThat(compile(device("dev1").build(), denyAdmin, allowAll).canPublish("admin/reboot")).isFalse();
    }

    @Test
    void unresolvableVariableMakesItsResourceMatchNothing() {
        String policy = policy(statement("Allow", json("iot:Publish"),
                json(ARN + "topic/things/${iot:Connection.Thing.ThingName}", ARN + "topic/public")));
        CompiledPolicies noThing = compile(device("dev1").build(), policy);

        assertThat(noThing.canPublish("things/")).isFalse();
        assertThat(noThing.canPublish("things/dev1")).isFalse();
        assertThat(noThing.canPublish("things/${iot:Connection.Thing.ThingName}")).isFalse();
        // the statement's other resource still counts
        assertThat(noThing.canPublish("public")).isTrue();
    }

    @Test
    void unresolvableVariableWithDefaultUsesTheDefault() {
        String policy = policy(statement("Allow", json("iot:Publish"),
                json(ARN + "topic/things/${iot:Connection.Thing.ThingName, 'unregistered'}")));

        assertThat(compile(device("dev1").build(), policy).canPublish("things/unregistered")).isTrue();
        assertThat(compile(device("dev1").thing(thing("dev1", null, Map.of())).build(), policy)
                .canPublish("things/dev1")).isTrue();
    }

    @Test
    void unresolvableVariableInNotResourceMakesTheStatementNotMatch() {
        // if the exclusion were dropped, this Allow would cover every topic
        String policy = policy("{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"NotResource\":"
                + json(ARN + "topic/private/${iot:Connection.Thing.ThingName}") + "}");

        assertThat(compile(device("dev1").build(), policy).canPublish("anything")).isFalse();
    }

    @Test
    void unresolvableVariableInAConditionMakesTheStatementNotMatch() {
        String policy = policy(statement("Allow", json("iot:Connect"), json(ARN + "client/*"),
                "{\"StringNotEquals\":{\"iot:ClientId\":\"${iot:Connection.Thing.ThingName}\"}}"));

        assertThat(compile(device("dev1").build(), policy).canConnect("dev1")).isFalse();
    }

    @Test
    void notActionAppliesToEveryOtherAction() {
        String policy = policy(
                "{\"Effect\":\"Allow\",\"NotAction\":\"iot:Publish\",\"Resource\":\"*\"}");
        CompiledPolicies compiled = compile(device("dev1").build(), policy);

        assertThat(compiled.canPublish("a")).isFalse();
        assertThat(compiled.canSubscribe("a")).isTrue();
        assertThat(compiled.canReceive("a")).isTrue();
        assertThat(compiled.canConnect("dev1")).isTrue();
        assertThat(compiled.isAllowed("iot:DescribeJobExecution", ARN + "thing/dev1")).isTrue();
    }

    @Test
    void denyWithNotActionDeniesEverythingButTheListedActions() {
        String allowAll = policy(statement("Allow", json("iot:*"), json("*")));
        String onlyConnectAndPublish = policy(
                "{\"Effect\":\"Deny\",\"NotAction\":[\"iot:Connect\",\"iot:Publish\"],\"Resource\":\"*\"}");
        CompiledPolicies compiled = compile(device("dev1").build(), allowAll, onlyConnectAndPublish);

        assertThat(compiled.canConnect("dev1")).isTrue();
        assertThat(compiled.canPublish("t")).isTrue();
        assertThat(compiled.canSubscribe("t")).isFalse();
        assertThat(compiled.canGetThingShadow("dev1", null)).isFalse();
    }

    @Test
    void notResourceAllowsEverythingButTheListedResources() {
        String policy = policy("{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"NotResource\":"
                + json(ARN + "topic/admin/*", ARN + "topic/$aws/*") + "}");
        CompiledPolicies compiled = compile(device("dev1").build(), policy);

        assertThat(compiled.canPublish("telemetry/dev1")).isTrue();
        assertThat(compiled.canPublish("admin/reboot")).isFalse();
        assertThat(compiled.canPublish("$aws/things/other/shadow/update")).isFalse();
        // a NotResource statement covers ARNs outside the platform's too
        assertThat(compiled.isAllowed("iot:Publish", "arn:aws:iot:eu-west-1:999999999999:topic/x")).isTrue();
    }

    @Test
    void denyWithNotResourceDeniesEverythingButTheListedResources() {
        String allowAll = policy(statement("Allow", json("iot:*"), json("*")));
        String denyOutsideOwn = policy("{\"Effect\":\"Deny\",\"Action\":\"iot:Publish\",\"NotResource\":"
                + json(ARN + "topic/devices/${iot:ClientId}/*") + "}");
        CompiledPolicies compiled = compile(device("dev1").build(), allowAll, denyOutsideOwn);

        assertThat(compiled.canPublish("devices/dev1/t")).isTrue();
        assertThat(compiled.decideOnName(IotAction.PUBLISH, "devices/dev2/t")).isEqualTo(AuthDecision.EXPLICIT_DENY);
    }

    @Test
    void escapedWildcardsAreLiteral() {
        String policy = policy(statement("Allow", json("iot:Publish"),
                json(ARN + "topic/literal/${*}", ARN + "topic/question/$(?)", ARN + "topic/dollar/${$}x")));
        CompiledPolicies compiled = compile(device("dev1").build(), policy);

        assertThat(compiled.canPublish("literal/*")).isTrue();
        assertThat(compiled.canPublish("literal/anything")).isFalse();
        assertThat(compiled.canPublish("question/?")).isTrue();
        assertThat(compiled.canPublish("question/a")).isFalse();
        assertThat(compiled.canPublish("dollar/$x")).isTrue();
    }

    @Test
    void resourceOfAnotherRegionOrAccountIsNotThePlatforms() {
        String otherAccount = policy(statement("Allow", json("iot:Publish"),
                json("arn:aws:iot:us-east-1:999999999999:topic/*")));
        String anyAccount = policy(statement("Allow", json("iot:Publish"), json("arn:aws:iot:*:*:topic/*")));

        assertThat(compile(device("dev1").build(), otherAccount).canPublish("t")).isFalse();
        assertThat(compile(device("dev1").build(), anyAccount).canPublish("t")).isTrue();
        // topic/* does not reach other resource types through the wildcard
        assertThat(compile(device("dev1").build(), anyAccount).canConnect("dev1")).isFalse();
        assertThat(compile(device("dev1").build(), anyAccount).canSubscribe("t")).isFalse();
    }

    @Test
    void wildcardAcrossTheArnReachesEveryTypeItSpells() {
        // arn:aws:iot:*:*:*dev1 ends in dev1 whatever the type: client/dev1 and topic/x/dev1 alike
        String policy = policy(statement("Allow", json("iot:*"), json("arn:aws:iot:*:*:*dev1")));
        CompiledPolicies compiled = compile(device("dev1").build(), policy);

        assertThat(compiled.canConnect("dev1")).isTrue();
        assertThat(compiled.canPublish("x/dev1")).isTrue();
        assertThat(compiled.canPublish("x/dev2")).isFalse();
    }

    @Test
    void thingGroupPoliciesCountOnlyWhenTheClientIdIsTheAttachedThing() {
        String certificatePolicy = policy(statement("Allow", json("iot:Connect"), json(ARN + "client/*")));
        String groupPolicy = policy(statement("Allow", json("iot:Publish"), json(ARN + "topic/fleet/*")));
        PrincipalContext asThing = device("dev1").thing(thing("dev1", null, Map.of())).build();
        PrincipalContext asOther = device("other").thing(thing("dev1", null, Map.of())).build();

        assertThat(CompiledPolicies.compile(List.of(PolicyDocument.parse(certificatePolicy)),
                List.of(PolicyDocument.parse(groupPolicy)), asThing).canPublish("fleet/a")).isTrue();
        assertThat(CompiledPolicies.compile(List.of(PolicyDocument.parse(certificatePolicy)),
                List.of(PolicyDocument.parse(groupPolicy)), asOther).canPublish("fleet/a")).isFalse();
    }

    @Test
    void retainedPublishNeedsPublishAndRetainPublish() {
        String publishOnly = policy(statement("Allow", json("iot:Publish"), json(ARN + "topic/*")));
        String retainOnly = policy(statement("Allow", json("iot:RetainPublish"), json(ARN + "topic/*")));

        assertThat(compile(device("d").build(), publishOnly).canPublishRetained("t")).isFalse();
        assertThat(compile(device("d").build(), retainOnly).canPublishRetained("t")).isFalse();
        assertThat(compile(device("d").build(), publishOnly, retainOnly).canPublishRetained("t")).isTrue();
    }

    @Test
    void noPoliciesDenyEverything() {
        CompiledPolicies none = CompiledPolicies.compile(List.of(), device("dev1").build());

        assertThat(none.canConnect("dev1")).isFalse();
        assertThat(none.canPublish("t")).isFalse();
        assertThat(none.decide("iot:Publish", ARN + "topic/t")).isEqualTo(AuthDecision.IMPLICIT_DENY);
    }
}
