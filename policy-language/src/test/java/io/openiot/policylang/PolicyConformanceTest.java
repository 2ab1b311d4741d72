package io.openiot.policylang;

import static io.openiot.policylang.AuthDecision.ALLOWED;
import static io.openiot.policylang.AuthDecision.EXPLICIT_DENY;
import static io.openiot.policylang.AuthDecision.IMPLICIT_DENY;
import static io.openiot.policylang.Policies.ARN;
import static io.openiot.policylang.Policies.certificate;
import static io.openiot.policylang.Policies.compile;
import static io.openiot.policylang.Policies.device;
import static io.openiot.policylang.Policies.json;
import static io.openiot.policylang.Policies.policy;
import static io.openiot.policylang.Policies.statement;
import static io.openiot.policylang.Policies.thing;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The evaluator against the policies of AWS's developer guide (connect, publish/subscribe/receive, retain, shadow,
 * thing and certificate policy variables), one row per documented behaviour: policy → request → decision. Every
 * row is decided twice, through the per-principal index and by scanning every statement, and both must agree.
 */
class PolicyConformanceTest {

    record Row(List<String> policies, PrincipalContext context, String action, String resource,
            AuthDecision expected) {
    }

    private static Arguments row(String behaviour, String policy, PrincipalContext context, String action,
            String resource, AuthDecision expected) {
        return Arguments.of(behaviour, new Row(List.of(policy), context, action, ARN + resource, expected));
    }

    private static final PrincipalContext CLIENT1 = device("client1").build();
    private static final PrincipalContext THING1 = device("thing1")
            .thing(thing("thing1", "lightbulb", Map.of("location", "kitchen", "room", "k1"))).build();
    private static final PrincipalContext THING1_CLIENT_NOT_THING = device("other-client")
            .thing(thing("thing1", "lightbulb", Map.of())).build();
    private static final String CERT_ID = "a".repeat(64);
    private static final PrincipalContext CERTIFIED = device("client1").certificate(certificate(CERT_ID,
            Map.of("CommonName", List.of("LightBulb Device Cert"), "Country", List.of("US", "CA"),
                    "Organization", List.of("IoT Devices")),
            Map.of("CommonName", List.of("IoT Devices Primary CA"), "Organization", List.of("IoT Devices"))))
            .build();

    static Stream<Arguments> documentedExamples() {
        String connectClients = policy(statement("Allow", json("iot:Connect"),
                json(ARN + "client/client1", ARN + "client/client2", ARN + "client/client3")));
        String connectAllButTwo = policy(
                statement("Allow", json("iot:Connect"), json(ARN + "client/*")),
                statement("Deny", json("iot:Connect"), json(ARN + "client/client1", ARN + "client/client2")));
        String connectAsAttachedThing = policy(statement("Allow", json("iot:Connect"),
                json(ARN + "client/${iot:Connection.Thing.ThingName}"),
                "{\"Bool\":{\"iot:Connection.Thing.IsAttached\":\"true\"}}"));
        String publishSpecific = policy(statement("Allow", json("iot:Publish"), json(ARN + "topic/some_specific_topic")));
        String publishPrefix = policy(statement("Allow", json("iot:Publish"), json(ARN + "topic/some_topic_prefix*")));
        String subscribeLiteralPlus = policy(statement("Allow", json("iot:Subscribe"),
                json(ARN + "topicfilter/some/+/topic")));
        String subscribeStar = policy(statement("Allow", json("iot:Subscribe"),
                json(ARN + "topicfilter/some/*/topic")));
        String subscribeHash = policy(statement("Allow", json("iot:Subscribe"), json(ARN + "topicfilter/some/#")));
        String receiveStar = policy(statement("Allow", json("iot:Receive"), json(ARN + "topic/some/*")));
        String oneLevelWithQuestionMarks = policy(statement("Allow", json("iot:Subscribe"),
                json(ARN + "topicfilter/sensors/???/data")));
        String thingTopics = policy(statement("Allow", json("iot:Publish", "iot:Receive"),
                json(ARN + "topic/things/${iot:Connection.Thing.ThingName}/*")));
        String shadowTopics = policy(
                statement("Allow", json("iot:Publish"),
                        json(ARN + "topic/$aws/things/${iot:Connection.Thing.ThingName}/shadow/update")),
                statement("Allow", json("iot:Subscribe"),
                        json(ARN + "topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/shadow/update/*")));
        String thingAttribute = policy(statement("Allow", json("iot:Publish"),
                json(ARN + "topic/sites/${iot:Connection.Thing.Attributes[location]}/*")));
        String thingType = policy(statement("Allow", json("iot:Publish"),
                json(ARN + "topic/types/${iot:Connection.Thing.ThingTypeName}")));
        String retain = policy(statement("Allow", json("iot:Publish", "iot:RetainPublish"),
                json(ARN + "topic/retained/*")));
        String shadowApi = policy(statement("Allow",
                json("iot:GetThingShadow", "iot:UpdateThingShadow", "iot:DeleteThingShadow"),
                json(ARN + "thing/thing1")));
        String namedShadow = policy(statement("Allow", json("iot:UpdateThingShadow"),
                json(ARN + "thing/thing1/config")));
        String certificateIdTopic = policy(statement("Allow", json("iot:Publish"),
                json(ARN + "topic/${iot:CertificateId}")));
        String commonNameTopic = policy(statement("Allow", json("iot:Publish"),
                json(ARN + "topic/${iot:Certificate.Subject.CommonName}")));
        String secondCountry = policy(statement("Allow", json("iot:Publish"),
                json(ARN + "topic/country/${iot:Certificate.Subject.Country[2]}")));
        String countryList = policy(statement("Allow", json("iot:Publish"), json(ARN + "topic/c"),
                "{\"ForAnyValue:StringEquals\":{\"iot:Certificate.Subject.Country.List\":[\"CA\",\"MX\"]}}"));
        String issuerOrganization = policy(statement("Allow", json("iot:Connect"), json(ARN + "client/*"),
                "{\"StringEquals\":{\"iot:Certificate.Issuer.Organization\":\"IoT Devices\"}}"));
        String allIot = policy(statement("Allow", json("iot:*"), json("*")));
        String actionWildcard = policy(statement("Allow", json("iot:*Shadow"), json(ARN + "thing/*")));
        String clientIdVariable = policy(statement("Allow", json("iot:Publish"),
                json(ARN + "topic/clients/${iot:ClientId}")));

        return Stream.of(
                row("connect: a listed client id", connectClients, CLIENT1, "iot:Connect", "client/client1", ALLOWED),
                row("connect: an unlisted client id", connectClients, device("client4").build(), "iot:Connect",
                        "client/client4", IMPLICIT_DENY),
                row("connect: deny of listed ids wins over client/*", connectAllButTwo, CLIENT1, "iot:Connect",
                        "client/client2", EXPLICIT_DENY),
                row("connect: others still allowed by client/*", connectAllButTwo, CLIENT1, "iot:Connect",
                        "client/client9", ALLOWED),
                row("connect: client id is the attached thing's name", connectAsAttachedThing, THING1,
                        "iot:Connect", "client/thing1", ALLOWED),
                row("connect: no thing attached, thing variable unresolved", connectAsAttachedThing, CLIENT1,
                        "iot:Connect", "client/client1", IMPLICIT_DENY),
                row("connect: client id differs from the attached thing", connectAsAttachedThing,
                        THING1_CLIENT_NOT_THING, "iot:Connect", "client/thing1", IMPLICIT_DENY),
                row("publish: the specific topic", publishSpecific, CLIENT1, "iot:Publish",
                        "topic/some_specific_topic", ALLOWED),
                row("publish: a sub-topic of the specific topic is another topic", publishSpecific, CLIENT1,
                        "iot:Publish", "topic/some_specific_topic/sub", IMPLICIT_DENY),
                row("publish: prefix* spans levels", publishPrefix, CLIENT1, "iot:Publish",
                        "topic/some_topic_prefix/a/b", ALLOWED),
                row("publish: policy for Publish says nothing about Receive", publishSpecific, CLIENT1,
                        "iot:Receive", "topic/some_specific_topic", IMPLICIT_DENY),
                row("subscribe: + in the policy matches the filter some/+/topic", subscribeLiteralPlus, CLIENT1,
                        "iot:Subscribe", "topicfilter/some/+/topic", ALLOWED),
                row("subscribe: + in the policy is not an MQTT wildcard", subscribeLiteralPlus, CLIENT1,
                        "iot:Subscribe", "topicfilter/some/kitchen/topic", IMPLICIT_DENY),
                row("subscribe: * matches the filter some/+/topic", subscribeStar, CLIENT1, "iot:Subscribe",
                        "topicfilter/some/+/topic", ALLOWED),
                row("subscribe: * matches more than one level", subscribeStar, CLIENT1, "iot:Subscribe",
                        "topicfilter/some/a/b/topic", ALLOWED),
                row("subscribe: # in the policy is literal", subscribeHash, CLIENT1, "iot:Subscribe",
                        "topicfilter/some/#", ALLOWED),
                row("subscribe: # in the policy matches no other filter", subscribeHash, CLIENT1,
                        "iot:Subscribe", "topicfilter/some/a", IMPLICIT_DENY),
                row("receive: topic/some/*", receiveStar, CLIENT1, "iot:Receive", "topic/some/a/b", ALLOWED),
                row("? is exactly one character: three", oneLevelWithQuestionMarks, CLIENT1, "iot:Subscribe",
                        "topicfilter/sensors/abc/data", ALLOWED),
                row("? is exactly one character: four", oneLevelWithQuestionMarks, CLIENT1, "iot:Subscribe",
                        "topicfilter/sensors/abcd/data", IMPLICIT_DENY),
                row("? is exactly one character: two", oneLevelWithQuestionMarks, CLIENT1, "iot:Subscribe",
                        "topicfilter/sensors/ab/data", IMPLICIT_DENY),
                row("thing name variable: own topic", thingTopics, THING1, "iot:Publish", "topic/things/thing1/x",
                        ALLOWED),
                row("thing name variable: receive on own topic", thingTopics, THING1, "iot:Receive",
                        "topic/things/thing1/x/y", ALLOWED),
                row("thing name variable: another thing's topic", thingTopics, THING1, "iot:Publish",
                        "topic/things/thing2/x", IMPLICIT_DENY),
                row("shadow topics: update own shadow", shadowTopics, THING1, "iot:Publish",
                        "topic/$aws/things/thing1/shadow/update", ALLOWED),
                row("shadow topics: subscribe own update/accepted", shadowTopics, THING1, "iot:Subscribe",
                        "topicfilter/$aws/things/thing1/shadow/update/accepted", ALLOWED),
                row("shadow topics: another thing's shadow", shadowTopics, THING1, "iot:Publish",
                        "topic/$aws/things/thing2/shadow/update", IMPLICIT_DENY),
                row("thing attribute variable", thingAttribute, THING1, "iot:Publish", "topic/sites/kitchen/t",
                        ALLOWED),
                row("thing attribute variable: other value", thingAttribute, THING1, "iot:Publish",
                        "topic/sites/garage/t", IMPLICIT_DENY),
                row("thing attribute variable: missing attribute is unresolved", thingAttribute,
                        device("thing2").thing(thing("thing2", null, Map.of())).build(), "iot:Publish",
                        "topic/sites/kitchen/t", IMPLICIT_DENY),
                row("thing type variable", thingType, THING1, "iot:Publish", "topic/types/lightbulb", ALLOWED),
                row("retain publish on retained/*", retain, CLIENT1, "iot:RetainPublish", "topic/retained/a",
                        ALLOWED),
                row("retain publish elsewhere", retain, CLIENT1, "iot:RetainPublish", "topic/other", IMPLICIT_DENY),
                row("shadow API: get classic shadow", shadowApi, CLIENT1, "iot:GetThingShadow", "thing/thing1",
                        ALLOWED),
                row("shadow API: delete classic shadow", shadowApi, CLIENT1, "iot:DeleteThingShadow",
                        "thing/thing1", ALLOWED),
                row("shadow API: another thing", shadowApi, CLIENT1, "iot:UpdateThingShadow", "thing/thing2",
                        IMPLICIT_DENY),
                row("shadow API: thing/thing1 does not cover its named shadows", shadowApi, CLIENT1,
                        "iot:UpdateThingShadow", "thing/thing1/config", IMPLICIT_DENY),
                row("shadow API: a named shadow", namedShadow, CLIENT1, "iot:UpdateThingShadow",
                        "thing/thing1/config", ALLOWED),
                row("certificate id variable", certificateIdTopic, CERTIFIED, "iot:Publish", "topic/" + CERT_ID,
                        ALLOWED),
                row("certificate id variable without a certificate", certificateIdTopic, CLIENT1, "iot:Publish",
                        "topic/" + CERT_ID, IMPLICIT_DENY),
                row("subject common name variable", commonNameTopic, CERTIFIED, "iot:Publish",
                        "topic/LightBulb Device Cert", ALLOWED),
                row("multi-valued subject field, 1-based index", secondCountry, CERTIFIED, "iot:Publish",
                        "topic/country/CA", ALLOWED),
                row("multi-valued subject field, .List in a condition", countryList, CERTIFIED, "iot:Publish",
                        "topic/c", ALLOWED),
                row("issuer organization condition", issuerOrganization, CERTIFIED, "iot:Connect",
                        "client/client1", ALLOWED),
                row("issuer organization condition without a certificate", issuerOrganization, CLIENT1,
                        "iot:Connect", "client/client1", IMPLICIT_DENY),
                row("iot:* on * allows every action", allIot, CLIENT1, "iot:ListNamedShadowsForThing",
                        "thing/thing1", ALLOWED),
                row("action wildcard iot:*Shadow", actionWildcard, CLIENT1, "iot:GetThingShadow", "thing/t",
                        ALLOWED),
                row("action wildcard iot:*Shadow does not match ListNamedShadowsForThing", actionWildcard,
                        CLIENT1, "iot:ListNamedShadowsForThing", "thing/t", IMPLICIT_DENY),
                row("action names are case-insensitive", clientIdVariable, CLIENT1, "IOT:PUBLISH",
                        "topic/clients/client1", ALLOWED),
                row("variable names are case-insensitive", policy(statement("Allow", json("iot:Publish"),
                        json(ARN + "topic/clients/${IOT:CLIENTID}"))), CLIENT1, "iot:Publish",
                        "topic/clients/client1", ALLOWED),
                row("resources are case-sensitive", clientIdVariable, CLIENT1, "iot:Publish",
                        "topic/clients/CLIENT1", IMPLICIT_DENY),
                row("no policy statement for the action: default deny", clientIdVariable, CLIENT1, "iot:Connect",
                        "client/client1", IMPLICIT_DENY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedExamples")
    void decidesAsAwsDocuments(String behaviour, Row row) {
        CompiledPolicies compiled = compile(row.context(), row.policies().toArray(String[]::new));

        assertThat(compiled.decide(row.action(), row.resource())).as("indexed").isEqualTo(row.expected());
        assertThat(compiled.decideByScan(row.action(), row.resource())).as("scanned").isEqualTo(row.expected());
    }
}
