package io.openiot.policy.credential.domain;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/** The platform's OAuth2 scopes. {@code iot:internal} is for service clients only, created from configuration. */
public final class Scopes {

    public static final String READ = "iot:read";
    public static final String WRITE = "iot:write";
    public static final String ADMIN = "iot:admin";
    public static final String INTERNAL = "iot:internal";

    /** What an application client created through the API may hold. */
    public static final Set<String> APPLICATION = Set.of(READ, WRITE, ADMIN);

    private Scopes() {
    }

    /** The scopes in a stable order (read, write, admin, internal), for storage and answers. */
    public static List<String> ordered(Collection<String> scopes) {
        return List.of(READ, WRITE, ADMIN, INTERNAL).stream().filter(scopes::contains).toList();
    }
}
