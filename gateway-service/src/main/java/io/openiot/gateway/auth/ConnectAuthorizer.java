package io.openiot.gateway.auth;

import io.openiot.policylang.CompiledPolicies;
import io.openiot.policylang.MalformedPolicyException;
import io.openiot.policylang.PolicyDocument;
import io.openiot.policylang.PrincipalContext;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
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
        return CompletableFuture.supplyAsync(() -> decide(info, attempt), lookups);
    }

    /**
     * A request on the HTTPS publish port: the certificate's policies, compiled without a client id (AWS's HTTPS
     * publish has none, so a statement that needs {@code ${iot:ClientId}} does not match). Accepted only for an
     * ACTIVE certificate known to the platform; blocks on the directory (its answers are cached).
     */
    public ConnectDecision authorizeHttps(X509Certificate certificate, String sourceIp) {
        PrincipalContext.CertificateInfo info = PrincipalContext.CertificateInfo.of(certificate);
        return principalPolicies(info, new ConnectAttempt(null, null, null, false, sourceIp));
    }

    private ConnectDecision decide(PrincipalContext.CertificateInfo certificate, ConnectAttempt attempt) {
        ConnectDecision found = principalPolicies(certificate, attempt);
        if (!found.accepted()) {
            return found;
        }
        return connectDecision(attempt, found.policies(), certificate.certificateId(), certificate.certificateId(),
                internalPassword);
    }

    /** The certificate's principal and its policies compiled, or a refusal; no action checked yet. */
    private ConnectDecision principalPolicies(PrincipalContext.CertificateInfo certificate, ConnectAttempt attempt) {
        Optional<PrincipalDirectory.Principal> found;
        try {
            found = directory.find(certificate.certificateId());
        } catch (RuntimeException e) {
            log.warn("Principal look-up for certificate {} failed: {}", certificate.certificateId(), e.toString());
            return ConnectDecision.refused(ConnectDecision.SERVER_UNAVAILABLE);
        }
        if (found.isEmpty() || !found.get().mayConnect()) {
            log.info("Refused client {}: certificate {} is {}", attempt.clientId(), certificate.certificateId(),
                    found.map(p -> p.status() + " (CA " + p.caStatus() + ")").orElse("unknown"));
            return ConnectDecision.refused(ConnectDecision.NOT_AUTHORIZED);
        }
        PrincipalDirectory.Principal principal = found.get();
        List<PolicyDocument> documents;
        try {
            documents = principal.policies().stream().map(p -> PolicyDocument.parse(p.policyDocument())).toList();
        } catch (MalformedPolicyException e) {
            log.warn("Certificate {} has a policy that does not parse: {}", certificate.certificateId(),
                    e.getMessage());
            return ConnectDecision.refused(ConnectDecision.SERVER_UNAVAILABLE);
        }
        PrincipalContext.Builder context = context(attempt).certificate(certificate);
        // AWS: the thing variables exist only when the client id is the name of the attached thing
        if (principal.thingName() != null && principal.thingName().equals(attempt.clientId())) {
            context.thing(new PrincipalContext.ThingInfo(principal.thingName(), null, Map.of()));
        }
        CompiledPolicies policies = CompiledPolicies.compile(documents, context.build());
        return new ConnectDecision(0, certificate.certificateId(), policies, null, null);
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
