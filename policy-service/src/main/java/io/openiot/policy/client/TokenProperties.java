package io.openiot.policy.client;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code iot.policy.token.*}: lifetimes of the access tokens the authorization server issues and how long retired
 * signing keys stay published.
 *
 * @param defaultLifetime lifetime of a client's tokens unless the client sets {@code tokenLifetimeSeconds}
 * @param maxLifetime the longest {@code tokenLifetimeSeconds} a client may ask for; a retired signing key stays in
 *     the JWKS this long, so every token it signed can still be verified until it expires
 * @param keyRotationPeriod when set, the signing key is replaced once it is this old (checked as keys are loaded);
 *     otherwise only {@code POST /token-keys/rotate} replaces it
 * @param keyCacheTime how long an instance uses the signing keys it read before reading them again (other instances
 *     may have rotated)
 */
@Validated
@ConfigurationProperties("iot.policy.token")
public record TokenProperties(
        @DefaultValue("1h") @NotNull Duration defaultLifetime,
        @DefaultValue("24h") @NotNull Duration maxLifetime,
        Duration keyRotationPeriod,
        @DefaultValue("10s") @NotNull Duration keyCacheTime) {

    /** The lifetime of a client's tokens: its own setting, else the default. */
    public Duration lifetimeOf(AppClient client) {
        return client.tokenLifetimeSeconds() == null ? defaultLifetime
                : Duration.ofSeconds(client.tokenLifetimeSeconds());
    }
}
