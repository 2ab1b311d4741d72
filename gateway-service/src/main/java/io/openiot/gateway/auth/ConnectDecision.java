package io.openiot.gateway.auth;

import io.openiot.policylang.CompiledPolicies;

/**
 * The outcome of a CONNECT: refused with an MQTT 3.1.1 CONNACK return code, or accepted with the principal and its
 * policies compiled for this connection.
 *
 * @param returnCode 0 accepted; 3 server unavailable, 4 bad user name or password, 5 not authorized
 * @param principal  the certificate id, or the development user name
 * @param policies   what the connection may do from now on; null when refused
 * @param username   user name to hand Moquette (null: keep the client's own)
 * @param password   password to hand Moquette (null: keep the client's own)
 */
public record ConnectDecision(int returnCode, String principal, CompiledPolicies policies, String username,
                              byte[] password) {

    public static final int SERVER_UNAVAILABLE = 3;
    public static final int NOT_AUTHORIZED = 5;

    static ConnectDecision refused(int returnCode) {
        return new ConnectDecision(returnCode, null, null, null, null);
    }

    public boolean accepted() {
        return returnCode == 0;
    }
}
