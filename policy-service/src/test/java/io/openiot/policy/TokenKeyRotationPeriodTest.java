package io.openiot.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openiot.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code iot.policy.token.key-rotation-period}: the signing key is replaced by age, old tokens keep verifying. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        PolicyApplication.CONFIG_NAME, PolicyTestCredentials.MASTER_KEY,
        "iot.policy.bootstrap.admin-client-id=" + PolicyTestCredentials.ADMIN_ID,
        "iot.policy.bootstrap.admin-client-secret=" + PolicyTestCredentials.ADMIN_SECRET,
        "iot.policy.token.key-rotation-period=3s", "iot.policy.token.key-cache-time=0s"})
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TokenKeyRotationPeriodTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "policy");
    }

    @LocalServerPort
    int port;

    @Test
    void replacesTheSigningKeyOnceItIsOlderThanTheRotationPeriodAndKeepsTheOldTokensValid() throws Exception {
        String first = PolicyTestCredentials.adminToken(port);
        String firstKeyId = PolicyTestCredentials.header(first).path("kid").asString();

        String later = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> PolicyTestCredentials.adminToken(port),
                        token -> !PolicyTestCredentials.header(token).path("kid").asString().equals(firstKeyId));

        assertThat(status(first)).isEqualTo(200);
        assertThat(status(later)).isEqualTo(200);
    }

    private int status(String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/clients")).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
