package io.openiot.policy;

import static io.openiot.policy.PolicyTestCredentials.ADMIN_ACCESS_KEY_ID;
import static io.openiot.policy.PolicyTestCredentials.ADMIN_ID;
import static io.openiot.policy.PolicyTestCredentials.ADMIN_SECRET_ACCESS_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openiot.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.IotException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/**
 * SigV4 against policy-service itself, which derives the signing key from its own access keys (no HTTP to itself):
 * the AWS SDK's {@code IotClient} (signing name {@code iot}) and the SDK's signer as {@code execute-api}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        PolicyApplication.CONFIG_NAME, PolicyTestCredentials.MASTER_KEY,
        "iot.policy.bootstrap.admin-client-id=" + ADMIN_ID,
        "iot.policy.bootstrap.admin-client-secret=" + PolicyTestCredentials.ADMIN_SECRET,
        "iot.policy.bootstrap.admin-access-key-id=" + ADMIN_ACCESS_KEY_ID,
        "iot.policy.bootstrap.admin-access-key-secret-access-key=" + ADMIN_SECRET_ACCESS_KEY})
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SigV4OnPolicyServiceTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "policy");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private IotClient iot(String accessKeyId, String secret) {
        return IotClient.builder().endpointOverride(URI.create("http://localhost:" + port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                .build();
    }

    @Test
    void theAwsSdkSignedWithABootstrapKeyGetsPastAuthenticationToTheModelledError() {
        try (IotClient iot = iot(ADMIN_ACCESS_KEY_ID, ADMIN_SECRET_ACCESS_KEY)) {
            // authenticated and authorised: the request reaches the API, which has no such policy
            assertThatThrownBy(() -> iot.getPolicy(r -> r.policyName("no-such-policy")))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void aWrongSecretOrAnUnknownKeyIsRefusedAsAwsDoes() {
        try (IotClient iot = iot(ADMIN_ACCESS_KEY_ID, "not-the-secret-at-all")) {
            assertThatThrownBy(() -> iot.getPolicy(r -> r.policyName("any")))
                    .isInstanceOfSatisfying(IotException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                    });
        }
        try (IotClient iot = iot("AKIANOBODY0000000000", ADMIN_SECRET_ACCESS_KEY)) {
            assertThatThrownBy(() -> iot.getPolicy(r -> r.policyName("any")))
                    .isInstanceOfSatisfying(IotException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("UnrecognizedClientException"));
        }
    }

    @Test
    void executeApiSignedRequestsReadTheAdminApiAndADeactivatedKeyIsRefusedAtOnce() throws Exception {
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/clients/" + ADMIN_ID + "/access-keys"))
                .header("Authorization", "Bearer " + PolicyTestCredentials.adminToken(port))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String keyId = PolicyTestCredentials.json(created.body()).path("accessKeyId").asString();
        String secret = PolicyTestCredentials.json(created.body()).path("secretAccessKey").asString();

        HttpResponse<String> keys = signedGet("/clients/" + ADMIN_ID + "/access-keys", keyId, secret);
        assertThat(keys.statusCode()).as(keys.body()).isEqualTo(200);
        assertThat(keys.body()).contains(ADMIN_ACCESS_KEY_ID, keyId).doesNotContain(secret);

        jdbc.update("UPDATE access_key SET status = 'Inactive', status_changed_at = now() WHERE access_key_id = ?",
                keyId);
        HttpResponse<String> refused = signedGet("/clients/" + ADMIN_ID + "/access-keys", keyId, secret);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("x-amzn-ErrorType")).hasValue("UnrecognizedClientException");
    }

    /** A GET signed by the AWS SDK's own SigV4 signer as {@code execute-api}, sent over plain HTTP. */
    private HttpResponse<String> signedGet(String path, String accessKeyId, String secret) throws Exception {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create("http://localhost:" + port + path)).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
                .identity(AwsCredentialsIdentity.create(accessKeyId, secret))
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder out = HttpRequest.newBuilder(signed.request().getUri()).timeout(Duration.ofSeconds(10)).GET();
        for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
            if (!header.getKey().equalsIgnoreCase("host")) {
                header.getValue().forEach(value -> out.header(header.getKey(), value));
            }
        }
        return HTTP.send(out.build(), HttpResponse.BodyHandlers.ofString());
    }
}
