package io.openiot.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.openiot.policylang.CompiledPolicies;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Security events as policy-service writes them (JSON), through the consumer, the caching directory and the
 * authorizer, to what happens to registered connections.
 */
class SecurityEventsConsumerTest {

    private static final TestPki PKI = new TestPki("events test CA");
    private static final TestPki.Issued LAMP = PKI.device("lamp-1");
    private static final TestPki.Issued DOOR = PKI.device("door-1");
    private static final String CA_ID = "c".repeat(64);

    private static final String PUBLISH_LAMPS = policy("lamps/*");
    private static final String PUBLISH_DOORS = policy("doors/*");

    private final ExecutorService lookups = Executors.newFixedThreadPool(2);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** policy-service's state: certificate id → (status, policy name → document). */
    private final Map<String, String> status = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> policies = new ConcurrentHashMap<>();
    private final AtomicInteger lookupsMade = new AtomicInteger();

    private final PrincipalDirectory directory = new CachingPrincipalDirectory(id -> {
        lookupsMade.incrementAndGet();
        return Optional.ofNullable(status.get(id)).map(s -> new PrincipalDirectory.Principal(id, s,
                id.equals(LAMP.certificateId()) ? CA_ID : null, id.equals(LAMP.certificateId()) ? "ACTIVE" : null,
                null, policies.get(id).entrySet().stream()
                .map(e -> new PrincipalDirectory.NamedPolicy(e.getKey(), e.getValue())).toList()));
    }, Duration.ofMinutes(10), Clock.systemUTC());
    private final ConnectAuthorizer authorizer = new ConnectAuthorizer(directory, lookups,
            new AuthProperties(false, "device", "device-secret", AuthProperties.ALLOW_ALL, "static",
                    Duration.ofMinutes(10), Map.of(), "us-east-1", "000000000000"));
    private final LiveConnections live = new LiveConnections(authorizer, meters);
    private final SecurityEventsConsumer consumer = new SecurityEventsConsumer(directory, live, meters);

    @AfterEach
    void stop() {
        lookups.shutdownNow();
    }

    /** A connection as the registry sees it: what it was told, in order. */
    private record Connection(BlockingQueue<CompiledPolicies> applied, BlockingQueue<String> revoked)
            implements LiveConnections.Channel {
        Connection() {
            this(new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>());
        }

        @Override
        public void apply(CompiledPolicies policies) {
            applied.add(policies);
        }

        @Override
        public void revoke(String why) {
            revoked.add(why);
        }
    }

    @Test
    void aRevokedCertificateIsDisconnectedAndItsCachedAnswerForgotten() throws Exception {
        Connection lamp = connect(LAMP, "lamps-policy", PUBLISH_LAMPS);
        Connection door = connect(DOOR, "doors-policy", PUBLISH_DOORS);
        int before = lookupsMade.get();

        status.put(LAMP.certificateId(), "REVOKED");
        consumer.accept(event("""
                {"eventId":"1","type":"CertificateStatusChanged","principal":"%1$s","timestamp":1,
                 "certificateId":"%1$s","status":"REVOKED"}""".formatted(LAMP.certificateId())));

        assertThat(lamp.revoked().poll(5, TimeUnit.SECONDS)).contains("REVOKED");
        assertThat(door.revoked()).isEmpty();
        assertThat(authorizer.authorize(LAMP.certificate(), attempt("lamp-1")).get(10, TimeUnit.SECONDS)
                .returnCode()).isEqualTo(ConnectDecision.NOT_AUTHORIZED);
        assertThat(lookupsMade.get()).isGreaterThan(before);
        assertThat(meters.get("iot.gateway.security.actions").tag("action", "disconnected").counter().count())
                .isEqualTo(1);
    }

    @Test
    void anInactiveCaDisconnectsTheCertificatesItSigned() throws Exception {
        Connection lamp = connect(LAMP, "lamps-policy", PUBLISH_LAMPS);
        Connection door = connect(DOOR, "doors-policy", PUBLISH_DOORS);

        consumer.accept(event("""
                {"eventId":"2","type":"CaCertificateStatusChanged","principal":"%1$s","timestamp":1,
                 "certificateId":"%1$s","status":"INACTIVE"}""".formatted(CA_ID)));

        assertThat(lamp.revoked().poll(5, TimeUnit.SECONDS)).contains("INACTIVE");
        assertThat(door.revoked()).isEmpty();
    }

    @Test
    void aNewDefaultVersionRecompilesOnlyTheConnectionsThatHoldThePolicy() throws Exception {
        Connection lamp = connect(LAMP, "lamps-policy", PUBLISH_LAMPS);
        Connection door = connect(DOOR, "doors-policy", PUBLISH_DOORS);

        policies.get(LAMP.certificateId()).put("lamps-policy", policy("lamps/only-this"));
        consumer.accept(event("""
                {"eventId":"3","type":"PolicyVersionSetAsDefault","principal":"lamps-policy","timestamp":1,
                 "policyName":"lamps-policy","policyVersionId":"2"}"""));

        CompiledPolicies narrowed = lamp.applied().poll(5, TimeUnit.SECONDS);
        assertThat(narrowed).isNotNull();
        assertThat(narrowed.canPublish("lamps/only-this")).isTrue();
        assertThat(narrowed.canPublish("lamps/other")).isFalse();
        assertThat(door.applied().poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aDetachFromTheCertificateRecompilesItsConnectionsWithoutThePolicy() throws Exception {
        Connection lamp = connect(LAMP, "lamps-policy", PUBLISH_LAMPS);

        policies.put(LAMP.certificateId(), new ConcurrentHashMap<>(Map.of("connect-only", policy("none"))));
        consumer.accept(event("""
                {"eventId":"4","type":"PolicyDetached","principal":"%1$s","timestamp":1,"certificateId":"%1$s",
                 "policyName":"lamps-policy","target":"arn:aws:iot:us-east-1:000000000000:cert/%1$s"}"""
                .formatted(LAMP.certificateId())));

        CompiledPolicies after = lamp.applied().poll(5, TimeUnit.SECONDS);
        assertThat(after).isNotNull();
        assertThat(after.canPublish("lamps/lamp-1")).isFalse();
    }

    @Test
    void unknownTypesAndUnreadableEventsChangeNothing() throws Exception {
        Connection lamp = connect(LAMP, "lamps-policy", PUBLISH_LAMPS);

        consumer.accept(event("""
                {"eventId":"5","type":"SomethingNew","principal":"x","timestamp":1}"""));
        consumer.accept("not json".getBytes(StandardCharsets.UTF_8));

        assertThat(lamp.applied().poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(lamp.revoked()).isEmpty();
        assertThat(meters.get("iot.gateway.security.events").tag("type", "other").counter().count()).isEqualTo(1);
        assertThat(meters.get("iot.gateway.security.events").tag("type", "unreadable").counter().count())
                .isEqualTo(1);
    }

    private Connection connect(TestPki.Issued certificate, String policyName, String document) throws Exception {
        status.put(certificate.certificateId(), "ACTIVE");
        policies.put(certificate.certificateId(), new ConcurrentHashMap<>(Map.of(policyName, document)));
        ConnectDecision decision = authorizer.authorize(certificate.certificate(),
                attempt(certificate.certificate().getSubjectX500Principal().getName().substring(3)))
                .get(10, TimeUnit.SECONDS);
        assertThat(decision.accepted()).isTrue();
        Connection connection = new Connection();
        assertThat(live.register(decision, connection)).isNotNull();
        return connection;
    }

    private static ConnectAuthorizer.ConnectAttempt attempt(String clientId) {
        return new ConnectAuthorizer.ConnectAttempt(clientId, null, null, false, "127.0.0.1");
    }

    private static byte[] event(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String policy(String topics) {
        return """
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","Action":"iot:Connect","Resource":"*"},
                 {"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:us-east-1:000000000000:topic/%s"}]}"""
                .formatted(topics);
    }
}
