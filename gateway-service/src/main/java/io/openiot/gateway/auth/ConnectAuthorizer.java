package io.openiot.gateway.auth;

import io.openiot.policylang.CompiledPolicies;
import io.openiot.policylang.MalformedPolicyException;
import io.openiot.policylang.PolicyDocument;
import io.openiot.policylang.PrincipalContext;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides a CONNECT before Moquette sees it: who the principal is (the client certificate on the TLS listener, the
 * development user on the TCP one), whether it may connect ({@code iot:Connect} on {@code client/{clientId}}, and
 * {@code iot:Publish} on the will topic), and its policies compiled once for the connection.
 *
 * <p>A certificate-authenticated CONNECT reaches Moquette with the certificate id as user name and a random
 * per-process password that only this class and {@link GatewayAuthenticator} know: Moquette requires a user name,
 * and the one the device sent (the AWS SDKs send {@code ?SDK=...}) must be ignored on the TLS listener.
 */
public class ConnectAuthorizer {

    private static final Logger log = LoggerFactory.getLogger(ConnectAuthorizer.class);

    private final PrincipalDirectory directory;
    private final ExecutorService lookups;
    private final AuthProperties properties;
    private final List<PolicyDocument> devPolicies;
    private final byte[] internalPassword = new byte[32];
    private final AtomicLong changes = new AtomicLong();

    /** What the CONNECT says, as far as authorization cares. */
    public record ConnectAttempt(String clientId, String username, String willTopic, boolean willRetain,
                                 String sourceIp) {
    }

    public ConnectAuthorizer(PrincipalDirectory directory, ExecutorService lookups, AuthProperties properties) {
        this.directory = directory;
        this.lookups = lookups;
        this.properties = properties;
        this.devPolicies = properties.devPolicies().stream().map(PolicyDocument::parse).toList();
        new SecureRandom().nextBytes(internalPassword);
    }

    void close() {
        lookups.shutdownNow();
    }

    byte[] internalPassword() {
        return internalPassword.clone();
    }

    /** A TLS connection: the look-up runs off the event loop. */
    public CompletableFuture<ConnectDecision> authorize(X509Certificate certificate, ConnectAttempt attempt) {
        PrincipalContext.CertificateInfo info = PrincipalContext.CertificateInfo.of(certificate);
        long changesBefore = changes.get();
        return CompletableFuture.supplyAsync(() -> decide(info, attempt, changesBefore), lookups);
    }

    /**
     * A request on the HTTPS publish port: the certificate's policies, compiled without a client id (AWS's HTTPS
     * publish has none, so a statement that needs {@code ${iot:ClientId}} does not match). Accepted only for an
     * ACTIVE certificate known to the platform; blocks on the directory (its answers are cached).
     */
    public ConnectDecision authorizeHttps(X509Certificate certificate, String sourceIp) {
        PrincipalContext.CertificateInfo info = PrincipalContext.CertificateInfo.of(certificate);
        Evaluation evaluation = evaluate(info, new ConnectAttempt(null, null, null, false, sourceIp));
        if (evaluation.returnCode() != 0) {
            return ConnectDecision.refused(evaluation.returnCode());
        }
        return new ConnectDecision(0, info.certificateId(), evaluation.policies(), null, null);
    }

    /** Counts security changes, so a connection authorized while one arrived is evaluated again once it is live. */
    void changed() {
        changes.incrementAndGet();
    }

    long changes() {
        return changes.get();
    }

    private ConnectDecision decide(PrincipalContext.CertificateInfo certificate, ConnectAttempt attempt,
                                   long changesBefore) {
        Evaluation evaluation = evaluate(certificate, attempt);
        if (evaluation.returnCode() != 0) {
            return ConnectDecision.refused(evaluation.returnCode());
        }
        ConnectDecision decision = connectDecision(attempt, evaluation.policies(), certificate.certificateId(),
                certificate.certificateId(), internalPassword);
        if (!decision.accepted()) {
            return decision;
        }
        return decision.withIdentity(new ConnectDecision.Identity(certificate, attempt,
                evaluation.principal().caCertificateId(), evaluation.policyNames(), changesBefore));
    }

    /**
     * The principal's current state for a live connection (a security event changed it): empty when it may no
     * longer be connected, else its policies compiled again.
     *
     * @throws RuntimeException when the directory cannot be asked or a policy does not parse
     */
    Optional<Evaluation> reevaluate(ConnectDecision.Identity identity) {
        Evaluation evaluation = evaluate(identity.certificate(), identity.attempt());
        return switch (evaluation.returnCode()) {
            case 0 -> Optional.of(evaluation);
            case ConnectDecision.NOT_AUTHORIZED -> Optional.empty();
            default -> throw new IllegalStateException("the principal directory or a policy failed");
        };
    }

    ExecutorService lookups() {
        return lookups;
    }

    /** A principal's state: refused with a CONNACK code, or its compiled policies and their names. */
    record Evaluation(int returnCode, PrincipalDirectory.Principal principal, CompiledPolicies policies,
                      Set<String> policyNames) {
        static Evaluation refused(int returnCode) {
            return new Evaluation(returnCode, null, null, Set.of());
        }
    }

    private Evaluation evaluate(PrincipalContext.CertificateInfo certificate, ConnectAttempt attempt) {
        Optional<PrincipalDirectory.Principal> found;
        try {
            found = directory.find(certificate.certificateId());
        } catch (RuntimeException e) {
            log.warn("Principal look-up for certificate {} failed: {}", certificate.certificateId(), e.toString());
            return Evaluation.refused(ConnectDecision.SERVER_UNAVAILABLE);
        }
        if (found.isEmpty() || !found.get().mayConnect()) {
            log.info("Refused client {}: certificate {} is {}", attempt.clientId(), certificate.certificateId(),
                    found.map(p -> p.status() + " (CA " + p.caStatus() + ")").orElse("unknown"));
            return Evaluation.refused(ConnectDecision.NOT_AUTHORIZED);
        }
        PrincipalDirectory.Principal principal = found.get();
        Optional<PrincipalDirectory.Thing> thing = principal.thingFor(attempt.clientId());
        List<PolicyDocument> documents;
        List<PolicyDocument> groupDocuments;
        try {
            documents = parse(principal.policies());
            // AWS: the policies of the thing's groups count only when the client id is the thing's name
            groupDocuments = thing.isPresent() ? parse(principal.thingGroupPolicies()) : List.of();
        } catch (MalformedPolicyException e) {
            log.warn("Certificate {} has a policy that does not parse: {}", certificate.certificateId(),
                    e.getMessage());
            return Evaluation.refused(ConnectDecision.SERVER_UNAVAILABLE);
        }
        PrincipalContext.Builder context = context(attempt).certificate(certificate);
        // AWS: the thing variables exist only when the client id is the name of an attached thing
        thing.ifPresent(t -> context.thing(new PrincipalContext.ThingInfo(t.thingName(), t.thingTypeName(),
                t.attributes())));
        CompiledPolicies policies = CompiledPolicies.compile(documents, groupDocuments, context.build());
        Set<String> names = new HashSet<>();
        principal.policies().forEach(p -> names.add(p.policyName()));
        if (thing.isPresent()) {
            principal.thingGroupPolicies().forEach(p -> names.add(p.policyName()));
        }
        return new Evaluation(0, principal, policies, Set.copyOf(names));
    }

    private static List<PolicyDocument> parse(List<PrincipalDirectory.NamedPolicy> policies) {
        return policies.stream().map(p -> PolicyDocument.parse(p.policyDocument())).toList();
    }

    /** A TCP connection with the development credentials (Moquette then checks the password). */
    public ConnectDecision authorizeDevCredentials(ConnectAttempt attempt) {
        if (!properties.devCredentialsEnabled()) {
            return ConnectDecision.refused(4);
        }
        CompiledPolicies policies = CompiledPolicies.compile(devPolicies, context(attempt).build());
        return connectDecision(attempt, policies, attempt.username(), null, null);
    }

    private PrincipalContext.Builder context(ConnectAttempt attempt) {
        PrincipalContext.Builder builder = PrincipalContext.builder()
                .region(properties.region()).accountId(properties.accountId())
                .clientId(attempt.clientId());
        if (attempt.sourceIp() != null) {
            builder.sourceIp(attempt.sourceIp());
        }
        return builder;
    }

    private static ConnectDecision connectDecision(ConnectAttempt attempt, CompiledPolicies policies,
                                                   String principal, String username, byte[] password) {
        if (!policies.canConnect(attempt.clientId())) {
            log.info("Refused client {} of principal {}: iot:Connect not allowed", attempt.clientId(), principal);
            return ConnectDecision.refused(ConnectDecision.NOT_AUTHORIZED);
        }
        if (attempt.willTopic() != null && !(attempt.willRetain()
                ? policies.canPublishRetained(attempt.willTopic()) : policies.canPublish(attempt.willTopic()))) {
            log.info("Refused client {} of principal {}: its will topic is not allowed", attempt.clientId(),
                    principal);
            return ConnectDecision.refused(ConnectDecision.NOT_AUTHORIZED);
        }
        return new ConnectDecision(0, principal, policies, username, password);
    }
}
