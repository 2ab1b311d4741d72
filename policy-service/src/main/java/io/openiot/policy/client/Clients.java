package io.openiot.policy.client;

import io.openiot.policy.credential.domain.CredentialGenerator;
import io.openiot.policy.credential.domain.Scopes;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Application clients: created with a secret that is shown once, rotated, revoked. Every read goes to the database,
 * so the token endpoint sees a rotation or revocation at once, on every instance.
 */
@Service
public class Clients {

    /** Ids configured for bootstrap clients must fit what the table allows. */
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final long MIN_LIFETIME_SECONDS = 60;

    private final ClientRepository repository;
    private final PasswordEncoder passwordEncoder;
    private final CredentialGenerator generator;
    private final TokenProperties tokens;
    private final Clock clock;

    Clients(ClientRepository repository, PasswordEncoder passwordEncoder, CredentialGenerator generator,
            TokenProperties tokens, Clock clock) {
        this.repository = repository;
        this.passwordEncoder = passwordEncoder;
        this.generator = generator;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A client and its secret in clear, returned once. */
    public record ClientWithSecret(AppClient client, String secret) {

        @Override
        public String toString() {
            return "ClientWithSecret[" + client + ", secret=<hidden>]";
        }
    }

    ClientWithSecret create(String name, Collection<String> scopes, Integer tokenLifetimeSeconds) {
        if (name == null || name.isBlank() || name.length() > 128) {
            throw new InvalidClientRequestException("name must have 1 to 128 characters");
        }
        List<String> granted = validScopes(scopes, Scopes.APPLICATION);
        validLifetime(tokenLifetimeSeconds);
        String secret = generator.clientSecret();
        AppClient client = new AppClient(generator.clientId(), name, passwordEncoder.encode(secret), granted,
                tokenLifetimeSeconds, now(), null);
        if (!repository.insert(client)) {
            throw new IllegalStateException("generated client id collided");
        }
        return new ClientWithSecret(client, secret);
    }

    /**
     * Creates a client with an id and secret chosen by the operator (bootstrap) unless one with this id exists.
     *
     * @return true if created
     */
    public boolean createIfMissing(String clientId, String name, String secret, Collection<String> scopes) {
        if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("client id must match " + CLIENT_ID.pattern());
        }
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the secret of client " + clientId
                    + " must have at least 16 characters");
        }
        if (repository.find(clientId).isPresent()) {
            return false;
        }
        List<String> granted = validScopes(scopes, Set.of(Scopes.READ, Scopes.WRITE, Scopes.ADMIN, Scopes.INTERNAL));
        return repository.insert(new AppClient(clientId, name, passwordEncoder.encode(secret), granted, null, now(),
                null));
    }

    /** The client unless it is unknown or revoked. */
    public Optional<AppClient> findActive(String clientId) {
        return repository.find(clientId).filter(client -> !client.revoked());
    }

    public AppClient get(String clientId) {
        return findActive(clientId).orElseThrow(() -> new ClientNotFoundException(clientId));
    }

    List<AppClient> list() {
        return repository.findActive();
    }

    String rotateSecret(String clientId) {
        String secret = generator.clientSecret();
        if (!repository.updateSecret(clientId, passwordEncoder.encode(secret), now())) {
            throw new ClientNotFoundException(clientId);
        }
        return secret;
    }

    void revoke(String clientId) {
        if (!repository.revoke(clientId, now())) {
            throw new ClientNotFoundException(clientId);
        }
    }

    private static List<String> validScopes(Collection<String> scopes, Set<String> allowed) {
        if (scopes == null || scopes.isEmpty()) {
            throw new InvalidClientRequestException("scopes must name at least one of " + Scopes.ordered(allowed));
        }
        Set<String> unique = new LinkedHashSet<>(scopes);
        for (String scope : unique) {
            if (!allowed.contains(scope)) {
                throw new InvalidClientRequestException("unknown scope " + scope + "; allowed: "
                        + Scopes.ordered(allowed));
            }
        }
        return Scopes.ordered(unique);
    }

    private void validLifetime(Integer seconds) {
        if (seconds != null && (seconds < MIN_LIFETIME_SECONDS || seconds > tokens.maxLifetime().toSeconds())) {
            throw new InvalidClientRequestException("tokenLifetimeSeconds must be between " + MIN_LIFETIME_SECONDS
                    + " and " + tokens.maxLifetime().toSeconds());
        }
    }

    // PostgreSQL keeps microseconds; truncating here makes what we return equal what we read back
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
