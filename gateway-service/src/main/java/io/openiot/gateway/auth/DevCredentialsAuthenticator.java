package io.openiot.gateway.auth;

import io.moquette.broker.security.IAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.stereotype.Component;

/**
 * Accepts the configured development user name and password. Moquette refuses a CONNECT without a user name itself
 * ({@code allow_anonymous=false}), so this only sees connections that carry one.
 */
@Component
class DevCredentialsAuthenticator implements IAuthenticator {

    private final byte[] username;
    private final byte[] password;

    DevCredentialsAuthenticator(AuthProperties properties) {
        this.username = properties.devUsername().getBytes(StandardCharsets.UTF_8);
        this.password = properties.devPassword().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean checkValid(String clientId, String username, byte[] password) {
        if (username == null || password == null) {
            return false;
        }
        // constant-time comparisons, and both always run, so timing tells nothing about which part was wrong
        boolean userMatches = MessageDigest.isEqual(this.username, username.getBytes(StandardCharsets.UTF_8));
        boolean passwordMatches = MessageDigest.isEqual(this.password, password);
        return userMatches & passwordMatches;
    }
}
