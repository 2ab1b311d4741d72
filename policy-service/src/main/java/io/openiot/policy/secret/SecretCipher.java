package io.openiot.policy.secret;

import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.crypto.encrypt.AesBytesEncryptor;
import org.springframework.security.crypto.encrypt.BytesEncryptor;
import org.springframework.security.crypto.keygen.KeyGenerators;
import org.springframework.stereotype.Component;

/** Encrypts secrets that must be recoverable (secret access keys, private signing keys) with AES-256-GCM. */
@Component
public class SecretCipher {

    private final BytesEncryptor encryptor;

    SecretCipher(MasterKeyProperties properties) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(properties.masterKey().trim());
        } catch (IllegalArgumentException e) {
            // the message must not echo the value
            throw new IllegalArgumentException("iot.policy.master-key is not base64");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException("iot.policy.master-key must be base64 of 32 bytes, got " + key.length);
        }
        // a fresh random 96-bit IV per message, stored in front of the ciphertext; GCM authenticates both
        this.encryptor = new AesBytesEncryptor(new SecretKeySpec(key, "AES"), KeyGenerators.secureRandom(12),
                AesBytesEncryptor.CipherAlgorithm.GCM);
    }

    public byte[] encrypt(byte[] plain) {
        return encryptor.encrypt(plain);
    }

    /** @throws IllegalStateException if the data was not encrypted with this master key or was altered */
    public byte[] decrypt(byte[] encrypted) {
        return encryptor.decrypt(encrypted);
    }
}
