package io.openiot.gateway.auth;

import java.util.List;
import java.util.Optional;

/** The principals listed under {@code iot.gateway.auth.static-principals}. */
final class StaticPrincipalDirectory implements PrincipalDirectory {

    private final AuthProperties properties;

    StaticPrincipalDirectory(AuthProperties properties) {
        this.properties = properties;
    }

    @Override
    public Optional<Principal> find(String certificateId) {
        AuthProperties.StaticPrincipal entry = properties.staticPrincipals().get(certificateId);
        if (entry == null) {
            return Optional.empty();
        }
        List<NamedPolicy> policies = entry.policies().entrySet().stream()
                .map(e -> new NamedPolicy(e.getKey(), e.getValue())).toList();
        return Optional.of(new Principal(certificateId, entry.status(), null, blankToNull(entry.caStatus()),
                blankToNull(entry.thingName()), policies));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
