package io.openiot.policy.bootstrap;

import io.openiot.policy.accesskey.AccessKeys;
import io.openiot.policy.client.Clients;
import io.openiot.policy.credential.domain.Scopes;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Creates the configured bootstrap credentials if missing. Runs before the service reports ready, so the first
 * token request after readiness finds them. Logs ids only, never secrets.
 */
@Component
class CredentialBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(CredentialBootstrap.class);

    private final BootstrapProperties properties;
    private final Clients clients;
    private final AccessKeys accessKeys;

    CredentialBootstrap(BootstrapProperties properties, Clients clients, AccessKeys accessKeys) {
        this.properties = properties;
        this.clients = clients;
        this.accessKeys = accessKeys;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (isSet(properties.adminClientId())) {
            report("admin client", properties.adminClientId(), clients.createIfMissing(properties.adminClientId(),
                    "bootstrap admin", required(properties.adminClientSecret(), "admin-client-secret"),
                    List.of(Scopes.READ, Scopes.WRITE, Scopes.ADMIN)));
            if (isSet(properties.adminAccessKeyId())) {
                report("admin access key", properties.adminAccessKeyId(), accessKeys.createIfMissing(
                        properties.adminClientId(), properties.adminAccessKeyId(),
                        required(properties.adminAccessKeySecretAccessKey(), "admin-access-key-secret-access-key")));
            }
        } else if (isSet(properties.adminAccessKeyId())) {
            throw new IllegalStateException("iot.policy.bootstrap.admin-access-key-id needs admin-client-id: the key "
                    + "belongs to the admin client");
        }
        if (isSet(properties.serviceClientId())) {
            report("service client", properties.serviceClientId(), clients.createIfMissing(
                    properties.serviceClientId(), "platform services",
                    required(properties.serviceClientSecret(), "service-client-secret"), List.of(Scopes.INTERNAL)));
        }
    }

    private static void report(String what, String id, boolean created) {
        if (created) {
            log.info("Created bootstrap {} {}", what, id);
        } else {
            log.info("Bootstrap {} {} exists; left unchanged", what, id);
        }
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static String required(String secret, String name) {
        if (!isSet(secret)) {
            throw new IllegalStateException("iot.policy.bootstrap." + name + " is not set");
        }
        return secret;
    }
}
