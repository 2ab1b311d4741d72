package io.openiot.policy.accesskey;

import io.openiot.web.security.SigningKey;
import io.openiot.web.security.SigningKeyProvider;
import io.openiot.web.security.SigningKeyRequest;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * SigV4 requests to policy-service itself: the signing key derived from its own access keys, read fresh for each
 * request (so a deactivated key or revoked client is refused at once), instead of web-support's HTTP look-up.
 */
@Component
class LocalSigningKeys implements SigningKeyProvider {

    private final AccessKeys accessKeys;

    LocalSigningKeys(AccessKeys accessKeys) {
        this.accessKeys = accessKeys;
    }

    @Override
    public Optional<SigningKey> signingKey(SigningKeyRequest request) {
        try {
            AccessKeys.SigningKey key = accessKeys.signingKey(request.accessKeyId(), request.date(),
                    request.region(), request.service());
            return Optional.of(new SigningKey(key.accessKeyId(), key.clientId(), Set.copyOf(key.scopes()),
                    key.key()));
        } catch (UnrecognizedAccessKeyException | InvalidAccessKeyRequestException e) {
            // unknown, inactive, deleted, of a revoked client, or a malformed scope: no key, as the endpoint's 404
            return Optional.empty();
        }
    }
}
