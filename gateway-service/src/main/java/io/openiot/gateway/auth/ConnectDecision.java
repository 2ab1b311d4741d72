package io.openiot.gateway.auth;

import io.openiot.policylang.CompiledPolicies;
import io.openiot.policylang.PrincipalContext;
import java.util.Set;

/**
 * The outcome of a CONNECT: refused with an MQTT 3.1.1 CONNACK return code, or accepted with the principal and its
 * policies compiled for this connection.
 *
 * @param returnCode 0 accepted; 3 server unavailable, 4 bad user name or password, 5 not authorized
 * @param principal  the certificate id, or the development user name
 * @param policies   what the connection may do from now on; null when refused
 * @param username   user name to hand Moquette (null: keep the client's own)
 * @param password   password to hand Moquette (null: keep the client's own)
 * @param identity   for an accepted client certificate, what re-evaluating the connection after a security event
 *                   takes; null otherwise
 */
public record ConnectDecision(int returnCode, String principal, CompiledPolicies policies, String username,
                              byte[] password, Identity identity) {

    public static final int SERVER_UNAVAILABLE = 3;
    public static final int NOT_AUTHORIZED = 5;

    public ConnectDecision(int returnCode, String principal, CompiledPolicies policies, String username,
                           byte[] password) {
        this(returnCode, principal, policies, username, password, null);
    }

    /**
     * A live certificate connection as the security events see it.
     *
     * @param certificate     the client certificate's fields
     * @param attempt         what its CONNECT said
     * @param caCertificateId the registered CA that signed it, or null
     * @param policyNames     the policies compiled into its decision (the certificate's and its thing groups')
     * @param changesBefore   the security-change count when its look-up started
     */
    public record Identity(PrincipalContext.CertificateInfo certificate, ConnectAuthorizer.ConnectAttempt attempt,
                           String caCertificateId, Set<String> policyNames, long changesBefore) {

        public String certificateId() {
            return certificate.certificateId();
        }
    }

    static ConnectDecision refused(int returnCode) {
        return new ConnectDecision(returnCode, null, null, null, null);
    }

    ConnectDecision withIdentity(Identity identity) {
        return new ConnectDecision(returnCode, principal, policies, username, password, identity);
    }

    public boolean accepted() {
        return returnCode == 0;
    }
}
