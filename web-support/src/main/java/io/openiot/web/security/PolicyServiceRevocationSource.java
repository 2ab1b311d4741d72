package io.openiot.web.security;

import java.util.Optional;

/** The revocation list from policy-service's {@code GET /internal/revocations}. */
final class PolicyServiceRevocationSource implements RevocationSource {

    private final PolicyServiceClient policyService;

    PolicyServiceRevocationSource(PolicyServiceClient policyService) {
        this.policyService = policyService;
    }

    @Override
    public Optional<Revocations> fetch() {
        return Optional.ofNullable(policyService.revocations());
    }
}
