package io.openiot.policy.accesskey;

import io.openiot.policy.client.AppClient;
import io.openiot.policy.client.Clients;
import io.openiot.policy.credential.domain.CredentialGenerator;
import io.openiot.policy.credential.domain.SigV4SigningKey;
import io.openiot.policy.secret.SecretCipher;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * AWS-style access keys of application clients. The secret access key is returned once, kept encrypted, and never
 * leaves this service again: services get the derived daily signing key ({@link #signingKey}).
 */
@Service
public class AccessKeys {

    /** Configured (bootstrap) ids: 20 upper-case letters or digits, like IAM's. */
    private static final Pattern CONFIGURED_ID = Pattern.compile("[A-Z0-9]{20}");

    private final AccessKeyRepository repository;
    private final Clients clients;
    private final SecretCipher cipher;
    private final CredentialGenerator generator;
    private final Clock clock;

    AccessKeys(AccessKeyRepository repository, Clients clients, SecretCipher cipher, CredentialGenerator generator,
            Clock clock) {
        this.repository = repository;
        this.clients = clients;
        this.cipher = cipher;
        this.generator = generator;
        this.clock = clock;
    }

    record AccessKeyWithSecret(AccessKey key, String secretAccessKey) {

        @Override
        public String toString() {
            return "AccessKeyWithSecret[" + key + ", secretAccessKey=<hidden>]";
        }
    }

    /** The derived key and whose it is. */
    record SigningKey(String accessKeyId, String clientId, List<String> scopes, byte[] key) {
    }

    @Transactional
    AccessKeyWithSecret create(String clientId) {
        AppClient client = clients.get(clientId);
        String secret = generator.secretAccessKey();
        AccessKey key = new AccessKey(generator.accessKeyId(), client.clientId(), AccessKey.ACTIVE, now(), now());
        if (!repository.insert(key, encrypt(secret))) {
            throw new IllegalStateException("generated access key id collided");
        }
        return new AccessKeyWithSecret(key, secret);
    }

    /**
     * Stores an operator-chosen key (bootstrap) on an existing client unless the id exists.
     *
     * @return true if created
     */
    @Transactional
    public boolean createIfMissing(String clientId, String accessKeyId, String secretAccessKey) {
        if (accessKeyId == null || !CONFIGURED_ID.matcher(accessKeyId).matches()) {
            throw new IllegalArgumentException("access key id must be 20 upper-case letters or digits");
        }
        if (secretAccessKey == null || secretAccessKey.length() < 16) {
            throw new IllegalArgumentException("the secret access key of " + accessKeyId
                    + " must have at least 16 characters");
        }
        if (repository.exists(accessKeyId)) {
            return false;
        }
        AppClient client = clients.get(clientId);
        return repository.insert(new AccessKey(accessKeyId, client.clientId(), AccessKey.ACTIVE, now(), now()),
                encrypt(secretAccessKey));
    }

    List<AccessKey> list(String clientId) {
        clients.get(clientId);
        return repository.findByClient(clientId);
    }

    @Transactional
    AccessKey setStatus(String clientId, String accessKeyId, String status) {
        if (!AccessKey.ACTIVE.equals(status) && !AccessKey.INACTIVE.equals(status)) {
            throw new InvalidAccessKeyRequestException("status must be Active or Inactive");
        }
        clients.get(clientId);
        repository.updateStatus(clientId, accessKeyId, status, now());
        return repository.find(clientId, accessKeyId)
                .orElseThrow(() -> new AccessKeyNotFoundException(clientId, accessKeyId));
    }

    @Transactional
    void delete(String clientId, String accessKeyId) {
        if (!repository.delete(clientId, accessKeyId, now())) {
            throw new AccessKeyNotFoundException(clientId, accessKeyId);
        }
    }

    /** @throws UnrecognizedAccessKeyException if the key is unknown, inactive, deleted or its client revoked */
    SigningKey signingKey(String accessKeyId, String date, String region, String service) {
        if (accessKeyId == null) {
            throw new UnrecognizedAccessKeyException();
        }
        byte[] encrypted = repository.findUsableSecret(accessKeyId).orElseThrow(UnrecognizedAccessKeyException::new);
        String clientId = repository.clientOf(accessKeyId).orElseThrow(UnrecognizedAccessKeyException::new);
        AppClient client = clients.findActive(clientId).orElseThrow(UnrecognizedAccessKeyException::new);
        String secret = new String(cipher.decrypt(encrypted), StandardCharsets.UTF_8);
        byte[] key;
        try {
            key = SigV4SigningKey.derive(secret, date, region, service);
        } catch (IllegalArgumentException e) {
            throw new InvalidAccessKeyRequestException(e.getMessage());
        }
        return new SigningKey(accessKeyId, clientId, client.scopes(), key);
    }

    private byte[] encrypt(String secret) {
        return cipher.encrypt(secret.getBytes(StandardCharsets.UTF_8));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
