package io.openiot.policy.client;

import java.time.Instant;
import java.util.List;

/**
 * An application client. {@code secretHash} is the encoded one-way hash ({@code {bcrypt}...}); the secret itself is
 * only ever in the answer that created or rotated it.
 */
public record AppClient(String clientId, String name, String secretHash, List<String> scopes,
        Integer tokenLifetimeSeconds, Instant createdAt, Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }

    @Override
    public String toString() {
        return "AppClient[clientId=" + clientId + ", name=" + name + ", scopes=" + scopes + ", revokedAt=" + revokedAt
                + "]";
    }
}
