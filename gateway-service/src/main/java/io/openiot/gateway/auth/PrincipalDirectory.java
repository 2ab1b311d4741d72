package io.openiot.gateway.auth;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.List;
import java.util.Optional;

/**
 * Where the gateway learns what a client certificate is: its status, its CA's status, the thing attached to it and the
 * policy documents attached to it. Implementations may block; the gateway never calls them on an event loop.
 */
public interface PrincipalDirectory {

    /**
     * @param certificateId lower-case hex SHA-256 of the certificate's DER encoding
     * @return empty when the platform does not know the certificate
     */
    Optional<Principal> find(String certificateId);

    /**
     * What the platform knows of one certificate ({@code GET /internal/principals/{certificateId}}); policy-service
     * names the CA's status {@code caCertificateStatus}.
     */
    record Principal(String certificateId, String status, String caCertificateId,
                     @JsonAlias("caCertificateStatus") String caStatus, String thingName,
                     List<NamedPolicy> policies) {

        public Principal {
            policies = policies == null ? List.of() : List.copyOf(policies);
        }

        /** Only an ACTIVE certificate connects, and only when its CA (if registered) is ACTIVE too. */
        public boolean mayConnect() {
            return "ACTIVE".equals(status) && (caStatus == null || "ACTIVE".equals(caStatus));
        }
    }

    /** A policy attached to the certificate: its name and default version's document. */
    record NamedPolicy(String policyName, String policyDocument) {
    }
}
