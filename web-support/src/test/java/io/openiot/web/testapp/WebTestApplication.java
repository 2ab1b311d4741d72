package io.openiot.web.testapp;

import io.openiot.web.problem.ApiError;
import io.openiot.web.problem.ApiExceptionTranslator;
import io.openiot.web.security.Revocations;
import io.openiot.web.security.RevocationSource;
import io.openiot.web.security.ScopeTable;
import io.openiot.web.security.SigningKey;
import io.openiot.web.security.SigningKeyProvider;
import io.openiot.web.security.SigningKeys;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;

/**
 * A tiny service built on web-support the way every OpenIoT service is: a few endpoints with AWS's paths, a real
 * in-memory access-key table behind the {@link SigningKeyProvider} (as policy-service's own provider does it), and a
 * revocation list the tests change.
 */
@SpringBootApplication
public class WebTestApplication {

    public static final String ADMIN_KEY = "AKIATESTADMIN0000001";
    public static final String ADMIN_SECRET = "admin/secret+key/0123456789abcdefghijkl";
    public static final String READER_KEY = "AKIATESTREADER000001";
    public static final String READER_SECRET = "reader-secret-key-0123456789abcdefghijkl";
    public static final String REVOKED_KEY = "AKIATESTREVOKED00001";
    public static final String REVOKED_SECRET = "revoked-secret-key-0123456789abcdefghijk";

    /** The access-key table: id → secret, client, scopes. */
    public static final java.util.Map<String, KeyEntry> KEYS = new java.util.concurrent.ConcurrentHashMap<>(
            java.util.Map.of(
                    ADMIN_KEY, new KeyEntry(ADMIN_SECRET, "admin-client",
                            java.util.Set.of(ScopeTable.READ, ScopeTable.WRITE, ScopeTable.ADMIN)),
                    READER_KEY, new KeyEntry(READER_SECRET, "reader-client", java.util.Set.of(ScopeTable.READ)),
                    REVOKED_KEY, new KeyEntry(REVOKED_SECRET, "revoked-key-client",
                            java.util.Set.of(ScopeTable.READ, ScopeTable.WRITE))));

    /** What the revocation poller finds; tests replace it. */
    public static final AtomicReference<Revocations> REVOCATIONS =
            new AtomicReference<>(new Revocations(java.util.List.of(), java.util.List.of()));

    public record KeyEntry(String secret, String clientId, java.util.Set<String> scopes) {
    }

    /** As the gateway does: %2F in a topic reaches Spring's path matching. */
    @Bean
    org.springframework.boot.tomcat.TomcatConnectorCustomizer encodedSlashesPassThrough() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }

    @Bean
    SigningKeyProvider inMemorySigningKeys() {
        return request -> Optional.ofNullable(KEYS.get(request.accessKeyId()))
                .map(entry -> new SigningKey(request.accessKeyId(), entry.clientId(), entry.scopes(),
                        SigningKeys.derive(entry.secret(), request.date(), request.region(), request.service())));
    }

    @Bean
    RevocationSource inMemoryRevocations() {
        return () -> Optional.of(REVOCATIONS.get());
    }

    /** A plain-Java domain exception reported through a translator, as rules' SqlParseException is. */
    @Bean
    ApiExceptionTranslator domainErrors() {
        return e -> e instanceof TestController.DomainRuleException rule
                ? Optional.of(new ApiError(HttpStatus.BAD_REQUEST, "SqlParseException", rule.getMessage(),
                        java.util.Map.of("line", 1, "column", 7)))
                : Optional.empty();
    }
}
