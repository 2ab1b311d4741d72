package io.openiot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.openiot.testsupport.EmbeddedKafkaServer;
import io.openiot.testsupport.EmbeddedPostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Bootstrap credentials across restarts of the service on one database, and secrets kept out of the logs. */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CredentialBootstrapTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void createsBootstrapCredentialsOnceKeepsThemAndTheSigningKeyAcrossRestartsAndNeverLogsSecrets(
            CapturedOutput output) throws Exception {
        EmbeddedPostgresServer.DatabaseCoordinates database = EmbeddedPostgresServer.freshDatabase("policy");
        List<String> secrets = new ArrayList<>(List.of(PolicyTestCredentials.ADMIN_SECRET,
                PolicyTestCredentials.SERVICE_SECRET, PolicyTestCredentials.ADMIN_SECRET_ACCESS_KEY,
                PolicyTestCredentials.MASTER_KEY.substring(PolicyTestCredentials.MASTER_KEY.indexOf('=') + 1)));
        String firstToken;
        String firstKeyId;
        try (ConfigurableApplicationContext first = start(database)) {
            int port = port(first);
            firstToken = PolicyTestCredentials.adminToken(port);
            firstKeyId = PolicyTestCredentials.header(firstToken).path("kid").asString();
            assertThat(PolicyTestCredentials.serviceToken(port)).isNotBlank();
            assertThat(counts(first)).containsExactly(2, 1, 1);
            assertThat(output.getOut()).contains("Created bootstrap admin client " + PolicyTestCredentials.ADMIN_ID,
                    "Created bootstrap admin access key " + PolicyTestCredentials.ADMIN_ACCESS_KEY_ID,
                    "Created bootstrap service client " + PolicyTestCredentials.SERVICE_ID);
            secrets.addAll(secretsMadeThroughTheApi(port, firstToken));
        }

        try (ConfigurableApplicationContext second = start(database)) {
            int port = port(second);
            assertThat(counts(second)).containsExactly(3, 2, 1);
            assertThat(output.getOut()).contains("Bootstrap admin client " + PolicyTestCredentials.ADMIN_ID
                    + " exists; left unchanged");
            // the token of the first run still verifies: same signing key, read back from the database
            assertThat(get(port, "/clients", firstToken).statusCode()).isEqualTo(200);
            assertThat(PolicyTestCredentials.header(PolicyTestCredentials.adminToken(port)).path("kid").asString())
                    .isEqualTo(firstKeyId);
            HttpResponse<String> wrong = PolicyTestCredentials.requestToken(port, PolicyTestCredentials.ADMIN_ID,
                    "not-" + PolicyTestCredentials.ADMIN_SECRET, null);
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).doesNotContain(PolicyTestCredentials.ADMIN_SECRET);
        }

        String everything = output.getAll();
        // the capture holds both runs (application logs included), so the checks below see everything they wrote
        assertThat(everything).contains("Tomcat started on port");
        for (String secret : secrets) {
            assertThat(everything).as("captured output must not contain a secret").doesNotContain(secret);
        }
        assertThat(everything).doesNotContainIgnoringCase("generated security password");
    }

    /** One API client and one access key (their secrets join the list the log must not contain). */
    private static List<String> secretsMadeThroughTheApi(int port, String adminToken) throws Exception {
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(uri(port, "/clients"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"logged?\",\"scopes\":[\"iot:read\"]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode client = PolicyTestCredentials.json(created.body());
        HttpResponse<String> key = HTTP.send(HttpRequest.newBuilder(uri(port, "/clients/"
                        + client.path("clientId").asString() + "/access-keys"))
                .header("Authorization", "Bearer " + adminToken).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
        return List.of(client.path("clientSecret").asString(),
                PolicyTestCredentials.json(key.body()).path("secretAccessKey").asString());
    }

    private static ConfigurableApplicationContext start(EmbeddedPostgresServer.DatabaseCoordinates database) {
        List<String> properties = new ArrayList<>(List.of(PolicyTestCredentials.PROPERTIES));
        properties.addAll(List.of("server.port=0", "spring.datasource.url=" + database.jdbcUrl(),
                "spring.datasource.username=" + database.username(),
                "spring.datasource.password=" + database.password(),
                "spring.kafka.bootstrap-servers=" + EmbeddedKafkaServer.bootstrapServers(),
                "spring.cloud.stream.kafka.binder.brokers=" + EmbeddedKafkaServer.bootstrapServers()));
        // as command-line arguments, so they win over the defaults in policy-service.yml
        return PolicyApplication.application().run(properties.stream().map(p -> "--" + p).toArray(String[]::new));
    }

    /** app_client rows, access_key rows, token signing keys. */
    private static List<Integer> counts(ConfigurableApplicationContext context) {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        return List.of(jdbc.queryForObject("SELECT count(*) FROM app_client", Integer.class),
                jdbc.queryForObject("SELECT count(*) FROM access_key", Integer.class),
                jdbc.queryForObject("SELECT count(*) FROM token_signing_key", Integer.class));
    }

    private static HttpResponse<String> get(int port, String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
