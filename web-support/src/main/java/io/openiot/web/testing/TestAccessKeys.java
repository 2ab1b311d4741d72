package io.openiot.web.testing;

import io.openiot.web.security.SigningKey;
import io.openiot.web.security.SigningKeyProvider;
import io.openiot.web.security.SigningKeyRequest;
import io.openiot.web.security.SigningKeys;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * For tests and benchmarks of a service that run without policy-service: one real access key held in memory, whose
 * SigV4 signing key is derived as policy-service derives it ({@link SigningKeys}) and cached per (date, region,
 * service), as the production provider caches policy-service's answer. The service verifies real signatures (the
 * AWS SDK's) against it; nothing else about the chain changes. Not auto-configured: a test imports it with
 * {@code @Import(TestAccessKeys.class)}, which replaces the provider that would ask policy-service.
 *
 * <p>It lives in web-support's main code because test-support cannot depend on web-support (web-support's tests use
 * test-support) and a test-jar would carry web-support's own test configuration onto every service's classpath.
 */
@Configuration(proxyBeanMethods = false)
public class TestAccessKeys {

    /** The access key id the AWS SDK signs with in the tests. */
    public static final String ACCESS_KEY = "AKIAOPENIOTTEST00001";
    /** Its secret access key. */
    public static final String SECRET_KEY = "openiot-test-secret-0123456789abcdefghij";
    /** The client the key belongs to. */
    public static final String CLIENT_ID = "test-access-key-client";
    /** The key's scopes: reading and writing, not administration. */
    public static final Set<String> SCOPES = Set.of("iot:read", "iot:write");

    @Bean
    SigningKeyProvider testAccessKeys() {
        return new Provider();
    }

    /** The table of one key; package-visible for web-support's own tests. */
    static final class Provider implements SigningKeyProvider {

        private final Map<SigningKeyRequest, SigningKey> derived = new ConcurrentHashMap<>();

        @Override
        public Optional<SigningKey> signingKey(SigningKeyRequest request) {
            if (!ACCESS_KEY.equals(request.accessKeyId())) {
                return Optional.empty();
            }
            return Optional.of(derived.computeIfAbsent(request, r -> new SigningKey(ACCESS_KEY, CLIENT_ID, SCOPES,
                    SigningKeys.derive(SECRET_KEY, r.date(), r.region(), r.service()))));
        }
    }
}
