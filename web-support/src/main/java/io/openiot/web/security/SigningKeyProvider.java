package io.openiot.web.security;

import java.util.Optional;

/**
 * Finds the SigV4 signing key for a credential scope. The default asks policy-service's internal endpoint and caches
 * the answer; policy-service itself declares a bean of this type that derives the key locally.
 */
public interface SigningKeyProvider {

    /**
     * @return the key, or empty when the access key is unknown, inactive or deleted
     * @throws SigningKeyUnavailableException when the answer cannot be had right now (policy-service down and
     *                                        nothing cached)
     */
    Optional<SigningKey> signingKey(SigningKeyRequest request);
}
