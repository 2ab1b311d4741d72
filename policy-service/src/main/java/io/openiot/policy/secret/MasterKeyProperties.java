package io.openiot.policy.secret;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code iot.policy.master-key}: base64 of 32 random bytes, the AES-256 key that encrypts the secret access keys and
 * the token signing keys at rest. No default: a key made up at start would leave the stored secrets unreadable
 * after a restart.
 */
@Validated
@ConfigurationProperties("iot.policy")
record MasterKeyProperties(@NotBlank String masterKey) {

    @Override
    public String toString() {
        return "MasterKeyProperties[masterKey=<hidden>]";
    }
}
