package io.openiot.web.security;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.client.RestClientException;

/**
 * Signing keys from policy-service, cached per (access key, date, region, service): one call per key and day, and a
 * cached key keeps working while policy-service is down. A revocation drops the cached keys it concerns.
 */
final class PolicyServiceSigningKeyProvider implements SigningKeyProvider {

    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final PolicyServiceClient policyService;
    private final java.time.Clock clock;
    private final Map<SigningKeyRequest, SigningKey> cache = new ConcurrentHashMap<>();

    PolicyServiceSigningKeyProvider(PolicyServiceClient policyService, RevocationList revocations,
                                    java.time.Clock clock) {
        this.policyService = policyService;
        this.clock = clock;
        revocations.addListener(this::dropRevoked);
    }

    @Override
    public Optional<SigningKey> signingKey(SigningKeyRequest request) {
        SigningKey cached = cache.get(request);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<SigningKey> fetched;
        try {
            fetched = policyService.signingKey(request);
        } catch (RestClientException | IllegalStateException e) {
            throw new SigningKeyUnavailableException("policy-service could not be asked for a signing key", e);
        }
        fetched.ifPresent(key -> {
            dropOldDays();
            cache.put(request, key);
        });
        return fetched;
    }

    private void dropRevoked(RevocationList revocations) {
        cache.entrySet().removeIf(entry -> revocations.accessKeyRevokedAt(entry.getKey().accessKeyId()).isPresent()
                || revocations.clientRevokedAt(entry.getValue().clientId()).isPresent());
    }

    /** Keys are per day; those of days before yesterday are no use any more. */
    private void dropOldDays() {
        String oldest = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1).format(DAY);
        cache.keySet().removeIf(key -> key.date().compareTo(oldest) < 0);
    }
}
