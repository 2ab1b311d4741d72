package io.openiot.rules;

import io.openiot.testsupport.ServiceEndpoints;
import io.openiot.testsupport.TestInfrastructure;
import io.openiot.testsupport.TestTokenIssuer;
import io.openiot.web.security.SigningKey;
import io.openiot.web.security.SigningKeyProvider;
import io.openiot.web.security.SigningKeys;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rules service against real PostgreSQL and Kafka. Every Spring test extends this class so that they share one
 * application context: two contexts would be two consumers in group {@code rules-service}, each with its own
 * database and so its own rules.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {RulesApplication.CONFIG_NAME, "iot.rules.refresh-interval=1s", "iot.rules.summary-interval=1s"})
@Import(RulesServiceTestBase.AccessKeys.class)
public abstract class RulesServiceTestBase {

    /** The access key the AWS SDK signs with; {@link AccessKeys} holds it where policy-service would. */
    protected static final String ACCESS_KEY = "AKIARULESTEST0000001";
    protected static final String SECRET_KEY = "rules-test-secret-0123456789abcdefghijk";

    /** One real access key in memory: the service verifies SigV4 against the key derived from it. */
    @TestConfiguration(proxyBeanMethods = false)
    static class AccessKeys {
        @Bean
        SigningKeyProvider testAccessKeys() {
            return request -> ACCESS_KEY.equals(request.accessKeyId())
                    ? Optional.of(new SigningKey(ACCESS_KEY, "rules-test-client", Set.of("iot:read", "iot:write"),
                            SigningKeys.derive(SECRET_KEY, request.date(), request.region(), request.service())))
                    : Optional.empty();
        }
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "rules");
        TestTokenIssuer.registerAsPlatformIssuer(registry);
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JsonMapper json;

    /** With an admin token; never throws for an error status, so tests can look at problem details. */
    protected RestClient http() {
        return ServiceEndpoints.adminClient(port);
    }

    protected ResponseEntity<String> post(String uri, String body) {
        return http().post().uri(uri).contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(String.class);
    }

    protected ResponseEntity<String> get(String uri) {
        return http().get().uri(uri).retrieve().toEntity(String.class);
    }

    protected JsonNode body(ResponseEntity<String> response) {
        return json.readTree(response.getBody());
    }

    /** A rule name no other test uses. */
    protected static String newRuleName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }
}
