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
