package io.openiot.web.security;

import java.util.Optional;

/**
 * Where the revocation list comes from. The default asks policy-service over HTTP; policy-service declares its own
 * that reads its tables.
 *
 * @see RevocationList
 */
@FunctionalInterface
public interface RevocationSource {

    /** @return the current list, or empty when there is nothing to ask (no policy-service configured) */
    Optional<Revocations> fetch();
}
