package io.openiot.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CONNECT decisions from a real certificate and the static directory. */
class ConnectAuthorizerTest {

    private static final TestPki PKI = new TestPki("authorizer test CA");
    private static final TestPki.Issued CERT = PKI.device("car-1");
    private static final String THING_PINNED = """
            {"Version":"2012-10-17","Statement":[
             {"Effect":"Allow","Action":"iot:Connect",
              "Resource":"arn:aws:iot:us-east-1:000000000000:client/${iot:Connection.Thing.ThingName}"},
             {"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:us-east-1:000000000000:topic/will/*"}]}""";

    private final ExecutorService lookups = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        lookups.shutdownNow();
    }

    @Test
    void theThingVariablesResolveOnlyWhenTheClientIdIsTheAttachedThingsName() throws Exception {
        ConnectAuthorizer authorizer = authorizer(true, principal("ACTIVE", null, "car-1"));

        assertThat(decide(authorizer, "car-1", null).returnCode()).isZero();
        assertThat(decide(authorizer, "car-2", null).returnCode()).isEqualTo(ConnectDecision.NOT_AUTHORIZED);
    }

    @Test
    void anActiveCertificateOfAnInactiveCaIsRefused() throws Exception {
        ConnectAuthorizer authorizer = authorizer(true, principal("ACTIVE", "INACTIVE", "car-1"));

        assertThat(decide(authorizer, "car-1", null).returnCode()).isEqualTo(ConnectDecision.NOT_AUTHORIZED);
    }

    @Test
    void aWillOnATopicThePolicyDoesNotAllowIsRefused() throws Exception {
        ConnectAuthorizer authorizer = authorizer(true, principal("ACTIVE", null, "car-1"));

        assertThat(decide(authorizer, "car-1", "will/car-1").returnCode()).isZero();
        assertThat(decide(authorizer, "car-1", "other/car-1").returnCode()).isEqualTo(ConnectDecision.NOT_AUTHORIZED);
    }

    @Test
    void anAcceptedCertificateReachesMoquetteAsItsIdWithTheInternalPassword() throws Exception {
        ConnectAuthorizer authorizer = authorizer(true, principal("ACTIVE", null, "car-1"));

        ConnectDecision decision = decide(authorizer, "car-1", null);
        assertThat(decision.principal()).isEqualTo(CERT.certificateId());
        assertThat(decision.username()).isEqualTo(CERT.certificateId());
        assertThat(decision.password()).isEqualTo(authorizer.internalPassword());
    }

    @Test
    void aFailingDirectoryAnswersServerUnavailable() throws Exception {
        ConnectAuthorizer authorizer = new ConnectAuthorizer(id -> {
            throw new IllegalStateException("policy-service down");
        }, lookups, properties(true, Map.of()));

        assertThat(decide(authorizer, "car-1", null).returnCode()).isEqualTo(ConnectDecision.SERVER_UNAVAILABLE);
    }

    @Test
    void developmentCredentialsAreRefusedWhenSwitchedOffAndGetTheDevelopmentPolicyOtherwise() {
        ConnectAuthorizer.ConnectAttempt attempt = new ConnectAuthorizer.ConnectAttempt("dev-1", "device", null,
                false, "127.0.0.1");

        assertThat(authorizer(false, Map.of()).authorizeDevCredentials(attempt).returnCode()).isEqualTo(4);
        ConnectDecision allowed = authorizer(true, Map.of()).authorizeDevCredentials(attempt);
        assertThat(allowed.accepted()).isTrue();
        assertThat(allowed.policies().canPublish("any/topic")).isTrue();
        assertThat(allowed.username()).isNull(); // Moquette checks the client's own password
    }

    /** What policy-service answers once the registry's thing fields are in (read by Jackson as the gateway does). */
    private static final String WITH_THINGS = """
            {"certificateId":"%s","certificateArn":"arn:aws:iot:us-east-1:000000000000:cert/x","status":"ACTIVE",
             "caCertificateId":null,"caCertificateStatus":null,"certificatePem":"-----BEGIN CERTIFICATE-----",
             "policies":[{"policyName":"by-thing","policyArn":"arn:x","policyVersionId":"1","policyDocument":%s}],
             "things":[{"thingName":"car-1","thingTypeName":"car","attributes":{"fleet":"north"},"attached":true},
                       {"thingName":"car-9","thingTypeName":"truck","attributes":{"fleet":"south"},"attached":true}],
             "thingGroupPolicies":[{"policyName":"group-telemetry","policyDocument":%s}]}""";

    private static final String BY_THING = """
            {"Version":"2012-10-17","Statement":[
             {"Effect":"Allow","Action":"iot:Connect","Resource":"*",
              "Condition":{"Bool":{"iot:Connection.Thing.IsAttached":"true"}}},
             {"Effect":"Allow","Action":"iot:Publish",
              "Resource":"arn:aws:iot:us-east-1:000000000000:topic/${iot:Connection.Thing.ThingTypeName}/${iot:Connection.Thing.Attributes[fleet]}/${iot:Connection.Thing.ThingName}"}]}""";

    private static final String GROUP_TELEMETRY = """
            {"Version":"2012-10-17","Statement":[
             {"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:us-east-1:000000000000:topic/group/*"}]}""";

    private ConnectAuthorizer withThings() {
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        PrincipalDirectory.Principal principal = json.readValue(WITH_THINGS.formatted(CERT.certificateId(),
                json.writeValueAsString(BY_THING), json.writeValueAsString(GROUP_TELEMETRY)),
                PrincipalDirectory.Principal.class);
        return new ConnectAuthorizer(id -> java.util.Optional.of(principal), lookups, properties(true, Map.of()));
    }

    @Test
    void theThingWhoseNameIsTheClientIdGivesItsTypeAttributesAndIsAttached() throws Exception {
        ConnectDecision decision = decide(withThings(), "car-1", null);

        assertThat(decision.returnCode()).isZero();
        assertThat(decision.policies().canPublish("car/north/car-1")).isTrue();
        assertThat(decision.policies().canPublish("truck/south/car-9")).isFalse();
        ConnectDecision other = decide(withThings(), "car-9", null);
        assertThat(other.policies().canPublish("truck/south/car-9")).isTrue();
        assertThat(other.policies().canPublish("car/north/car-1")).isFalse();
    }

    @Test
    void aClientIdThatNamesNoAttachedThingGetsNoThingVariablesNorGroupPolicies() throws Exception {
        // IsAttached is false, so the only iot:Connect statement does not match
        assertThat(decide(withThings(), "car-2", null).returnCode()).isEqualTo(ConnectDecision.NOT_AUTHORIZED);
    }

    @Test
    void thingGroupPoliciesApplyWithTheCertificatesOwnWhenTheClientIdIsTheThing() throws Exception {
        ConnectDecision decision = decide(withThings(), "car-1", null);

        assertThat(decision.policies().canPublish("group/anything")).isTrue();
        assertThat(decision.identity().policyNames()).containsExactlyInAnyOrder("by-thing", "group-telemetry");
    }

    @Test
    void reevaluationFollowsTheDirectoryAndEndsForACertificateNoLongerActive() throws Exception {
        java.util.concurrent.atomic.AtomicReference<String> status = new java.util.concurrent.atomic.AtomicReference<>(
                "ACTIVE");
        java.util.concurrent.atomic.AtomicReference<String> policy = new java.util.concurrent.atomic.AtomicReference<>(
                THING_PINNED);
        ConnectAuthorizer authorizer = new ConnectAuthorizer(id -> java.util.Optional.of(
                new PrincipalDirectory.Principal(id, status.get(), null, null, "car-1",
                        java.util.List.of(new PrincipalDirectory.NamedPolicy("pinned", policy.get())))),
                lookups, properties(true, Map.of()));
        ConnectDecision decision = decide(authorizer, "car-1", null);
        assertThat(decision.policies().canPublish("will/car-1")).isTrue();

        policy.set(THING_PINNED.replace("topic/will/*", "topic/other/*"));
        ConnectAuthorizer.Evaluation narrowed = authorizer.reevaluate(decision.identity()).orElseThrow();
        assertThat(narrowed.policies().canPublish("will/car-1")).isFalse();
        assertThat(narrowed.policies().canPublish("other/car-1")).isTrue();

        status.set("REVOKED");
        assertThat(authorizer.reevaluate(decision.identity())).isEmpty();
    }

    private ConnectDecision decide(ConnectAuthorizer authorizer, String clientId, String willTopic) throws Exception {
        return authorizer.authorize(CERT.certificate(),
                        new ConnectAuthorizer.ConnectAttempt(clientId, "?SDK=x", willTopic, false, "127.0.0.1"))
                .get(10, TimeUnit.SECONDS);
    }

    private static Map<String, AuthProperties.StaticPrincipal> principal(String status, String caStatus,
                                                                         String thing) {
        return Map.of(CERT.certificateId(),
                new AuthProperties.StaticPrincipal(status, caStatus, thing, Map.of("pinned", THING_PINNED)));
    }

    private ConnectAuthorizer authorizer(boolean devEnabled, Map<String, AuthProperties.StaticPrincipal> known) {
        AuthProperties properties = properties(devEnabled, known);
        return new ConnectAuthorizer(new StaticPrincipalDirectory(properties), lookups, properties);
    }

    private static AuthProperties properties(boolean devEnabled, Map<String, AuthProperties.StaticPrincipal> known) {
        return new AuthProperties(devEnabled, "device", "device-secret", AuthProperties.ALLOW_ALL, "static",
                Duration.ofSeconds(10), known, "us-east-1", "000000000000");
    }
}
