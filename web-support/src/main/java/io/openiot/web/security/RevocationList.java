package io.openiot.web.security;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The last revocation list this service has seen. It stays in force while policy-service cannot be reached;
 * listeners (the signing-key cache) hear of every new list.
 */
public final class RevocationList {

    private volatile Map<String, Instant> clients = Map.of();
    private volatile Map<String, Instant> accessKeys = Map.of();
    private final List<Consumer<RevocationList>> listeners = new CopyOnWriteArrayList<>();

    public void update(Revocations revocations) {
        Map<String, Instant> newClients = new HashMap<>();
        revocations.clients().forEach(c -> newClients.put(c.clientId(), Instant.ofEpochMilli(c.revokedAt())));
        Map<String, Instant> newKeys = new HashMap<>();
        revocations.accessKeys().forEach(k -> newKeys.put(k.accessKeyId(), Instant.ofEpochMilli(k.revokedAt())));
        clients = Map.copyOf(newClients);
        accessKeys = Map.copyOf(newKeys);
        listeners.forEach(listener -> listener.accept(this));
    }

    public Optional<Instant> clientRevokedAt(String clientId) {
        return Optional.ofNullable(clients.get(clientId));
    }

    public Optional<Instant> accessKeyRevokedAt(String accessKeyId) {
        return Optional.ofNullable(accessKeys.get(accessKeyId));
    }

    /** Whether a token of this client issued at {@code issuedAt} (or at an unknown time) is refused. */
    public boolean refusesToken(String clientId, Instant issuedAt) {
        Instant revokedAt = clients.get(clientId);
        return revokedAt != null && (issuedAt == null || issuedAt.isBefore(revokedAt));
    }

    public void addListener(Consumer<RevocationList> listener) {
        listeners.add(listener);
    }
}
