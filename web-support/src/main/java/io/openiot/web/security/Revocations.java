package io.openiot.web.security;

import java.util.List;

/** policy-service's {@code GET /internal/revocations}: revoked clients and access keys, each with when (epoch ms). */
public record Revocations(List<Client> clients, List<AccessKey> accessKeys) {

    public Revocations {
        clients = clients == null ? List.of() : List.copyOf(clients);
        accessKeys = accessKeys == null ? List.of() : List.copyOf(accessKeys);
    }

    public record Client(String clientId, long revokedAt) {
    }

    public record AccessKey(String accessKeyId, long revokedAt) {
    }
}
