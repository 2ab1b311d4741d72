package io.openiot.gateway.auth;

import io.moquette.broker.security.IAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Moquette's password check. It accepts a CONNECT that {@link ConnectAuthorizer} has already authorized by client
 * certificate (it carries the per-process password), and the development credentials when they are enabled.
 * Moquette refuses a CONNECT without a user name itself ({@code allow_anonymous=false}).
 */
class GatewayAuthenticator implements IAuthenticator {

    private final byte[] internalPassword;
    private final boolean devEnabled;
    private final byte[] username;
    private final byte[] password;

    GatewayAuthenticator(AuthProperties properties, ConnectAuthorizer authorizer) {
        this.internalPassword = authorizer.internalPassword();
        this.devEnabled = properties.devCredentialsEnabled();
        this.username = properties.devUsername().getBytes(StandardCharsets.UTF_8);
        this.password = properties.devPassword().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean checkValid(String clientId, String username, byte[] password) {
        if (username == null || password == null) {
            return false;
        }
        if (MessageDigest.isEqual(internalPassword, password)) {
            return true;
        }
        if (!devEnabled) {
            return false;
        }
        // constant-time comparisons, and both always run, so timing tells nothing about which part was wrong
        boolean userMatches = MessageDigest.isEqual(this.username, username.getBytes(StandardCharsets.UTF_8));
        boolean passwordMatches = MessageDigest.isEqual(this.password, password);
        return userMatches & passwordMatches;
    }
}
