package io.openiot.rules;

import io.openiot.rules.lookup.ShadowAndSinkEndpoint;
import io.openiot.testsupport.ServiceEndpoints;
import io.openiot.testsupport.TestInfrastructure;
import io.openiot.testsupport.TestTokenIssuer;
import io.openiot.web.testing.TestAccessKeys;
import java.net.URI;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iot.IotClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rules service against real PostgreSQL and Kafka. Every Spring test extends this class so that they share one
 * application context: two contexts would be two consumers in group {@code rules-service}, each with its own
 * database and so its own rules.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {RulesApplication.CONFIG_NAME, "iot.rules.refresh-interval=1s", "iot.rules.summary-interval=1s"})
@Import(TestAccessKeys.class)
public abstract class RulesServiceTestBase {

    /** The access key the AWS SDK signs with; {@link TestAccessKeys} holds it where policy-service would. */
    protected static final String ACCESS_KEY = TestAccessKeys.ACCESS_KEY;
    protected static final String SECRET_KEY = TestAccessKeys.SECRET_KEY;
    /** The client whose token get_thing_shadow and get_dynamodb send; it may only read. */
    protected static final String FUNCTIONS_CLIENT = "rules-functions";
    private static final String FUNCTIONS_SECRET = "rules-functions-secret";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "rules");
        TestTokenIssuer.registerAsPlatformIssuer(registry);
        // get_thing_shadow/get_dynamodb read an HTTP server that answers as shadow-service and sink-service do
        TestTokenIssuer.shared().registerClient(FUNCTIONS_CLIENT, FUNCTIONS_SECRET, TestTokenIssuer.READ);
        registry.add("iot.rules.functions.shadow-url", () -> ShadowAndSinkEndpoint.shared().url());
        registry.add("iot.rules.functions.sink-url", () -> ShadowAndSinkEndpoint.shared().url());
        registry.add("iot.rules.functions.client-id", () -> FUNCTIONS_CLIENT);
        registry.add("iot.rules.functions.client-secret", () -> FUNCTIONS_SECRET);
        registry.add("iot.rules.functions.failure-backoff", () -> "1s");
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JsonMapper json;

    /** The AWS SDK's own {@code IotClient}, unchanged but for its endpoint, signing with the test access key. */
    protected IotClient iotClient() {
        return IotClient.builder().endpointOverride(URI.create("http://localhost:" + port)).region(Region.US_EAST_1)
                .httpClient(ApacheHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .build();
    }

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
