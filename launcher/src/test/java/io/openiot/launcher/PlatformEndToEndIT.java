package io.openiot.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.ListTopicRulesResponse;
import software.amazon.awssdk.services.iot.model.TopicRuleListItem;
import software.amazon.awssdk.services.iotdataplane.IotDataPlaneClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drives the whole platform, started by the launcher in this JVM, as a device and an application would: MQTT with
 * Eclipse Paho, REST with a plain HTTP client carrying a token of the printed admin client, the AWS SDK with the
 * printed access key. Nothing is mocked: embedded Kafka (KRaft) and PostgreSQL, six services.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
@ExtendWith(OutputCaptureExtension.class)
class PlatformEndToEndIT {

    private static final String DEVICE_TOPIC = "iot/ccar-ad/car1";
    private static final String RULE = """
            {"sql": "SELECT * FROM 'iot/ccar-ad/#' WHERE speed > 120",
             "description": "speeding cars",
             "ruleDisabled": false,
             "actions": [
               {"dynamoDB": {"tableName": "speeding", "roleArn": "arn:aws:iam::000000000000:role/ignored",
                             "hashKeyField": "car", "hashKeyValue": "${topic(3)}",
                             "rangeKeyField": "ts", "rangeKeyValue": "${timestamp()}",
                             "payloadField": "payload"}},
               {"republish": {"topic": "alerts/speeding/${topic(3)}", "qos": 1,
                              "roleArn": "arn:aws:iam::000000000000:role/ignored"}}
             ]}""";

    private static final String STANDALONE_USERNAME = "standalone-device";
    private static final String STANDALONE_PASSWORD = "standalone-secret";
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Path dataDirectory;
    private static LauncherSettings settings;
    private static Platform platform;
    private static String adminToken;

    @BeforeAll
    static void startPlatform() throws Exception {
        dataDirectory = Files.createTempDirectory("openiot-e2e-");
        List<Integer> ports = FreePorts.take(11);
        List<String> arguments = new ArrayList<>(List.of(
                "--data-dir=" + dataDirectory,
                "--mqtt-port=" + ports.get(0),
                "--kafka-port=" + ports.get(1),
                "--kafka-controller-port=" + ports.get(2),
                "--postgres-port=" + ports.get(3),
                "--kafka-partitions=2"));
        int next = 4;
        for (PlatformService service : PlatformService.values()) {
            arguments.add("--" + service.shortName() + "-port=" + ports.get(next++));
        }
        settings = LauncherSettings.from(arguments.toArray(String[]::new), Map.of());
        platform = Platform.start(settings);
    }

    @AfterAll
    static void stopPlatform() throws IOException {
        if (platform != null) {
            platform.close();
        }
        EmbeddedKafkaBroker.deleteRecursively(dataDirectory);
    }

    @Test
    @Order(1)
    void everyServiceIsReadyAndDocumentsItsApi() throws Exception {
        for (PlatformService service : PlatformService.values()) {
            assertThat(get(service, "/actuator/health/readiness").statusCode()).as(service.moduleName()).isEqualTo(200);
            assertThat(get(service, "/actuator/health/liveness").statusCode()).as(service.moduleName()).isEqualTo(200);
            assertThat(get(service, "/v3/api-docs").body()).as(service.moduleName()).contains("\"openapi\"");
            assertThat(get(service, "/actuator/prometheus").body()).as(service.moduleName()).contains("jvm_");
        }
    }

    @Test
    @Order(1)
    void printsEveryEndpointAndTheDevelopmentCredentials() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        platform.printEndpoints(new PrintStream(printed, true, StandardCharsets.UTF_8));

        String text = printed.toString(StandardCharsets.UTF_8);
        PlatformCredentials credentials = platform.credentials();
        assertThat(text).contains("\"" + credentials.adminClientId() + "\"", credentials.adminClientSecret(),
                "AWS_ACCESS_KEY_ID=" + credentials.adminAccessKeyId(),
                "AWS_SECRET_ACCESS_KEY=" + credentials.adminSecretAccessKey(),
                "POST http://localhost:" + settings.httpPort(PlatformService.POLICY) + "/oauth2/token",
                PlatformCredentials.FILE_NAME);
        assertThat(text).contains("tcp://localhost:" + settings.mqttPort(), "\"" + settings.devUsername() + "\"",
                "\"" + settings.devPassword() + "\"", platform.kafkaBootstrapServers(), "kept across restarts",
                "Press Ctrl-C to stop.");
        for (PlatformService service : PlatformService.values()) {
            assertThat(text).contains(service.moduleName() + " ", "http://localhost:" + settings.httpPort(service)
                    + "/swagger-ui.html");
        }
    }

    @Test
    @Order(1)
    void thePrintedAdminCredentialsWorkAndNoSecretReachesTheLog(CapturedOutput output) throws Exception {
        PlatformCredentials credentials = platform.credentials();
        String basic = Base64.getEncoder().encodeToString((credentials.adminClientId() + ":"
                + credentials.adminClientSecret()).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(platform.platformIssuerUri()
                        + "/oauth2/token")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        String accessToken = json.readTree(token.body()).path("access_token").asString();
        HttpResponse<String> keys = http.send(HttpRequest.newBuilder(URI.create(platform.platformIssuerUri()
                        + "/clients/" + credentials.adminClientId() + "/access-keys"))
                .header("Authorization", "Bearer " + accessToken).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(keys.statusCode()).isEqualTo(200);
        assertThat(keys.body()).contains(credentials.adminAccessKeyId())
                .doesNotContain(credentials.adminSecretAccessKey());

        for (String secret : List.of(credentials.masterKey(), credentials.adminClientSecret(),
                credentials.adminSecretAccessKey(), credentials.serviceClientSecret())) {
            assertThat(output.getAll()).as("the log must not contain a generated secret").doesNotContain(secret);
        }
        assertThat(output.getAll()).contains("Created bootstrap admin client " + credentials.adminClientId());
    }

    @Test
    @Order(1)
    void everyServiceRefusesARequestWithoutCredentials() throws Exception {
        for (PlatformService service : PlatformService.values()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                            + settings.httpPort(service) + "/no-such-path")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(service.moduleName()).isEqualTo(401);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).as(service.moduleName())
                    .hasValue("UnauthorizedException");
        }
    }

    @Test
    @Order(1)
    void createsTheContractTopicsWithTheConfiguredPartitionCount() throws Exception {
        Properties config = new Properties();
        config.put("bootstrap.servers", platform.kafkaBootstrapServers());
        try (AdminClient admin = AdminClient.create(config)) {
            List<String> topics = List.of("iot.messages", "iot.sink-records", "iot.registry-events",
                    "iot.security-events");
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, topic) ->
                    assertThat(topic.partitions()).as(name).hasSize(2));
        }
    }

    @Test
    @Order(2)
    void aSpeedingCarIsStoredAndRepublishedAndASlowOneIsNot() throws Exception {
        assertThat(send(PlatformService.RULES, "POST", "/rules/speeding", RULE).statusCode()).isEqualTo(200);
        awaitStableConsumerGroups();

        List<String> alerts = Collections.synchronizedList(new ArrayList<>());
        try (Device app = connect("dashboard"); Device car = connect("car1")) {
            app.client().subscribe("alerts/speeding/#", 1, (topic, message) ->
                    alerts.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));

            publish(car, "not json at all");
            publish(car, "{\"speed\":140}");
            publish(car, "{\"speed\":100}");
            publish(car, "{\"speed\":150}");

            // the 150 item comes last on the same partition: once it is stored, the 100 would have been too
            JsonNode page = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> items("speeding", "car1"), items -> items.path("items").size() >= 2);
            List<Integer> speeds = new ArrayList<>();
            page.path("items").forEach(item -> speeds.add(item.path("item").path("payload").path("speed").asInt()));
            assertThat(speeds).containsExactly(150, 140);
            JsonNode newest = page.path("items").get(0).path("item");
            assertThat(newest.path("car").asString()).isEqualTo("car1");
            assertThat(newest.path("ts").asString()).isNotBlank();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(alerts)
                    .containsExactlyInAnyOrder("alerts/speeding/car1 {\"speed\":140}",
                            "alerts/speeding/car1 {\"speed\":150}"));
        }
    }

    @Test
    @Order(3)
    void badInputGetsProblemDetails() throws Exception {
        HttpResponse<String> badJson = send(PlatformService.RULES, "POST", "/rules/broken", "{\"sql\": ");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(badJson.headers().firstValue("content-type")).hasValueSatisfying(type ->
                assertThat(type).contains("application/problem+json"));

        HttpResponse<String> badSql = send(PlatformService.RULES, "POST", "/rules/broken",
                "{\"sql\": \"SELECT * FROM 'a/b' WHERE speed >\", \"actions\": []}");
        assertThat(badSql.statusCode()).isEqualTo(400);
        assertThat(json.readTree(badSql.body()).path("code").asString()).isEqualTo("SqlParseException");
        assertThat(badSql.body()).contains("column");

        HttpResponse<String> unknown = get(PlatformService.RULES, "/rules/no_such_rule");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json.readTree(unknown.body()).path("code").asString()).isEqualTo("ResourceNotFoundException");

        assertThat(get(PlatformService.SINK, "/tables/speeding/items?limit=0").statusCode()).isEqualTo(400);
        assertThat(get(PlatformService.SINK, "/tables/no_such_table/items").statusCode()).isEqualTo(404);
    }

    /**
     * AWS's offline-device story: the application sets {@code desired} over REST while the device is away; the device
     * connects, subscribes, asks for its shadow and finds the delta; it reports the new state; then the shadow has
     * no delta and {@code update/documents} shows the state before and after.
     */
    @Test
    @Order(3)
    void anOfflineDeviceCatchesUpWithItsShadowWhenItConnects() throws Exception {
        String shadow = "$aws/things/offline-lamp/shadow";
        HttpResponse<String> desired = send(PlatformService.SHADOW, "POST", "/things/offline-lamp/shadow",
                "{\"state\":{\"desired\":{\"power\":\"on\",\"level\":7}}}");
        assertThat(desired.statusCode()).as(desired.body()).isEqualTo(200);
        awaitStableConsumerGroups();
        awaitStableConsumerGroup("shadow-service");

        Map<String, List<JsonNode>> received = new java.util.concurrent.ConcurrentHashMap<>();
        try (Device lamp = connect("offline-lamp")) {
            for (String topic : List.of("/get/accepted", "/get/rejected", "/update/accepted", "/update/rejected",
                    "/update/delta", "/update/documents")) {
                lamp.client().subscribe(shadow + topic, 1, (t, message) -> received
                        .computeIfAbsent(t, key -> Collections.synchronizedList(new ArrayList<>()))
                        .add(json.readTree(message.getPayload())));
            }
            publishTo(lamp, shadow + "/get", "{\"clientToken\":\"lamp-1\"}");
            JsonNode first = awaitMessage(received, shadow + "/get/accepted", 0);
            assertThat(first.path("clientToken").asString()).isEqualTo("lamp-1");
            assertThat(first.path("state").path("delta")).isEqualTo(json.readTree("{\"power\":\"on\",\"level\":7}"));

            publishTo(lamp, shadow + "/update", "{\"state\":{\"reported\":" + first.path("state").path("delta")
                    + "},\"clientToken\":\"lamp-2\"}");
            JsonNode accepted = awaitMessage(received, shadow + "/update/accepted", 0);
            JsonNode documents = awaitMessage(received, shadow + "/update/documents", 0);
            assertThat(accepted.path("version").asLong()).isEqualTo(2);
            assertThat(documents.path("previous").path("state").has("reported")).isFalse();
            assertThat(documents.path("current").path("state").path("reported"))
                    .isEqualTo(json.readTree("{\"power\":\"on\",\"level\":7}"));
            assertThat(documents.path("clientToken").asString()).isEqualTo("lamp-2");

            publishTo(lamp, shadow + "/get", "{\"clientToken\":\"lamp-3\"}");
            JsonNode second = awaitMessage(received, shadow + "/get/accepted", 1);
            assertThat(second.path("state").has("delta")).isFalse();
            assertThat(second.path("version").asLong()).isEqualTo(2);
            assertThat(received.getOrDefault(shadow + "/update/delta", List.of())).isEmpty();
            assertThat(received.getOrDefault(shadow + "/update/rejected", List.of())).isEmpty();
        }
    }

    /**
     * A rule that reads the publishing thing's shadow ({@code get_thing_shadow}) and its row of a sink table
     * ({@code get_dynamodb}) and republishes the enriched message: the shadow set over shadow-service's REST API, the
     * item written over the sink's DynamoDB API, the message published and received over MQTT.
     */
    @Test
    @Order(3)
    void aRuleEnrichesAMessageWithTheThingsShadowAndItsSinkItemAndRepublishesIt() throws Exception {
        HttpResponse<String> shadow = send(PlatformService.SHADOW, "POST", "/things/lamp-7/shadow",
                "{\"state\":{\"reported\":{\"color\":\"amber\",\"level\":3}}}");
        assertThat(shadow.statusCode()).as(shadow.body()).isEqualTo(200);
        assertThat(dynamoDb("CreateTable", "{\"TableName\":\"lamps\",\"KeySchema\":[{\"AttributeName\":\"lampId\","
                + "\"KeyType\":\"HASH\"}],\"AttributeDefinitions\":[{\"AttributeName\":\"lampId\","
                + "\"AttributeType\":\"S\"}]}").statusCode()).isEqualTo(200);
        assertThat(dynamoDb("PutItem", "{\"TableName\":\"lamps\",\"Item\":{\"lampId\":{\"S\":\"lamp-7\"},"
                + "\"room\":{\"S\":\"kitchen\"}}}").statusCode()).isEqualTo(200);
        HttpResponse<String> rule = send(PlatformService.RULES, "POST", "/rules/enrich_lamps", """
                {"sql": "SELECT level, get_thing_shadow(topic(2), 'arn:aws:iam::000000000000:role/ignored').state.reported.color AS color, get_dynamodb('lamps', 'lampId', topic(2), 'arn:aws:iam::000000000000:role/ignored').room AS room FROM 'lamps/+/level'",
                 "awsIotSqlVersion": "2016-03-23",
                 "actions": [{"republish": {"topic": "lamps/${topic(2)}/enriched", "qos": 1,
                                            "roleArn": "arn:aws:iam::000000000000:role/ignored"}}]}""");
        assertThat(rule.statusCode()).as(rule.body()).isEqualTo(200);
        awaitStableConsumerGroups();

        List<String> received = Collections.synchronizedList(new ArrayList<>());
        try (Device app = connect("lamp-dashboard"); Device lamp = connect("lamp-7")) {
            app.client().subscribe("lamps/+/enriched", 1, (topic, message) ->
                    received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
            publishTo(lamp, "lamps/lamp-7/level", "{\"level\":5}");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(received).containsExactly(
                    "lamps/lamp-7/enriched {\"level\":5,\"color\":\"amber\",\"room\":\"kitchen\"}"));
        }
    }

    private static HttpResponse<String> dynamoDb(String operation, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + settings.httpPort(PlatformService.SINK)
                        + "/")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + adminToken())
                .header("X-Amz-Target", "DynamoDB_20120810." + operation)
                .header("Content-Type", "application/x-amz-json-1.0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * An application written for AWS IoT Core, unchanged but for the endpoint: the AWS SDK for Java v2 signs with
     * SigV4 using the printed admin access key; rules-service and the gateway get the signing key from
     * policy-service's internal endpoint with their service client's token.
     */
    @Test
    @Order(3)
    void theAwsSdkSignsWithThePrintedAccessKeyAgainstRulesServiceAndTheGateway() throws Exception {
        PlatformCredentials credentials = platform.credentials();
        StaticCredentialsProvider keys = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                credentials.adminAccessKeyId(), credentials.adminSecretAccessKey()));
        try (IotClient iot = IotClient.builder().region(Region.US_EAST_1).credentialsProvider(keys)
                .endpointOverride(URI.create("http://localhost:" + settings.httpPort(PlatformService.RULES)))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            ListTopicRulesResponse rules = iot.listTopicRules(request -> { });
            assertThat(rules.rules()).extracting(TopicRuleListItem::ruleName).contains("speeding");
        }

        List<String> received = Collections.synchronizedList(new ArrayList<>());
        try (Device app = connect("sdk-listener");
             IotDataPlaneClient data = IotDataPlaneClient.builder().region(Region.US_EAST_1).credentialsProvider(keys)
                     .endpointOverride(URI.create("http://localhost:" + settings.httpPort(PlatformService.GATEWAY)))
                     .httpClient(UrlConnectionHttpClient.create()).build()) {
            app.client().subscribe("sdk/+/status", 1, (topic, message) ->
                    received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
            data.publish(request -> request.topic("sdk/app1/status").qos(1)
                    .payload(SdkBytes.fromUtf8String("{\"ok\":true}")));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(received).containsExactly("sdk/app1/status {\"ok\":true}"));
        }
    }

    private static void publishTo(Device device, String topic, String payload) throws Exception {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        device.client().publish(topic, message);
    }

    private static JsonNode awaitMessage(Map<String, List<JsonNode>> received, String topic, int index) {
        await(topic).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> received.getOrDefault(topic, List.of()).size() > index);
        return received.get(topic).get(index);
    }

    private static void awaitStableConsumerGroup(String group) {
        Properties config = new Properties();
        config.put("bootstrap.servers", platform.kafkaBootstrapServers());
        try (AdminClient admin = AdminClient.create(config)) {
            await(group + " stable").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions().until(() -> {
                        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                                .get().get(group);
                        return description.groupState() == GroupState.STABLE && description.members().stream()
                                .anyMatch(member -> !member.assignment().topicPartitions().isEmpty());
                    });
        }
    }

    /**
     * Every service also runs on its own, as {@code java -jar}, configured only by environment variables: here all
     * six jars as separate processes against the platform's Kafka and PostgreSQL, each a second replica beside the
     * launcher's. A device on the standalone gateway is handled by whichever rules and sink replica owns its
     * partition, and an application on the launcher's gateway receives the republished message.
     */
    @Test
    @Order(4)
    @Timeout(300)
    void everyServiceRunsOnItsOwnFromItsJarAgainstExternalKafkaAndPostgres() throws Exception {
        List<Integer> ports = FreePorts.take(PlatformService.values().length + 1);
        int standaloneMqttPort = ports.get(PlatformService.values().length);
        Map<PlatformService, Integer> httpPorts = new EnumMap<>(PlatformService.class);
        Map<PlatformService, StandaloneService> processes = new EnumMap<>(PlatformService.class);
        try {
            for (PlatformService service : PlatformService.values()) {
                httpPorts.put(service, ports.get(service.ordinal()));
                Map<String, String> environment = new HashMap<>(Map.of(
                        "IOT_HTTP_PORT", String.valueOf(httpPorts.get(service)),
                        "IOT_KAFKA_BOOTSTRAP_SERVERS", platform.kafkaBootstrapServers(),
                        "IOT_KAFKA_PARTITIONS", "2",
                        "IOT_DB_URL", "jdbc:postgresql://localhost:" + settings.postgresPort() + "/"
                                + service.databaseName(),
                        "IOT_DB_USERNAME", "postgres",
                        "IOT_DB_PASSWORD", "postgres"));
                // the launcher's policy-service stays the issuer: the same `iss`, keys and clients for every replica
                environment.put("IOT_PLATFORM_ISSUER_URI", platform.platformIssuerUri());
                environment.put("IOT_SERVICE_CLIENT_ID", platform.credentials().serviceClientId());
                environment.put("IOT_SERVICE_CLIENT_SECRET", platform.credentials().serviceClientSecret());
                if (service == PlatformService.POLICY) {
                    // the same database, so the same master key must decrypt what the launcher's replica stored
                    environment.put("IOT_POLICY_MASTER_KEY", platform.credentials().masterKey());
                }
                if (service == PlatformService.GATEWAY) {
                    environment.put("IOT_MQTT_PORT", String.valueOf(standaloneMqttPort));
                    // not the launcher's credentials: the variables must be what the gateway uses
                    environment.put("IOT_GATEWAY_DEV_USERNAME", STANDALONE_USERNAME);
                    environment.put("IOT_GATEWAY_DEV_PASSWORD", STANDALONE_PASSWORD);
                }
                processes.put(service, StandaloneService.start(service, environment));
            }
            for (PlatformService service : PlatformService.values()) {
                StandaloneService process = processes.get(service);
                URI readiness = URI.create("http://localhost:" + httpPorts.get(service) + "/actuator/health/readiness");
                await(service.moduleName() + " ready").atMost(Duration.ofSeconds(180))
                        .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .failFast(service.moduleName() + " exited; its log is " + process.log(), process::exited)
                        .until(() -> http.send(HttpRequest.newBuilder(readiness).build(),
                                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
                JsonNode health = json.readTree(http.send(HttpRequest.newBuilder(readiness).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertThat(health.path("components").propertyNames()).as(service.moduleName())
                        .contains("db", "binders");
            }
            awaitStableConsumerGroups();

            List<String> alerts = Collections.synchronizedList(new ArrayList<>());
            try (Device app = connect("dashboard-2", settings.mqttPort(), settings.devUsername(),
                    settings.devPassword());
                 Device car = connect("car2", standaloneMqttPort, STANDALONE_USERNAME, STANDALONE_PASSWORD)) {
                app.client().subscribe("alerts/speeding/car2", 1, (topic, message) ->
                        alerts.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
                MqttMessage message = new MqttMessage("{\"speed\":160}".getBytes(StandardCharsets.UTF_8));
                message.setQos(1);
                car.client().publish("iot/ccar-ad/car2", message);

                URI items = URI.create("http://localhost:" + httpPorts.get(PlatformService.SINK)
                        + "/tables/speeding/items?partitionKey=car2");
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                        .until(() -> json.readTree(http.send(HttpRequest.newBuilder(items)
                                        .header("Authorization", "Bearer " + adminToken()).build(),
                                HttpResponse.BodyHandlers.ofString()).body()).path("items").size() == 1);
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(alerts).containsExactly("{\"speed\":160}"));
            }
        } finally {
            processes.values().forEach(StandaloneService::stop);
        }
    }

    /** A service jar running in its own JVM, its output in a temporary log file kept only if it fails. */
    private record StandaloneService(Process process, Path log) {

        static StandaloneService start(PlatformService service, Map<String, String> environment) throws IOException {
            String version = System.getProperty("openiot.version", "0.1.0-SNAPSHOT");
            Path jar = Path.of(System.getProperty("openiot.root", ".."), service.moduleName(), "target",
                    service.moduleName() + "-" + version + "-exec.jar");
            assertThat(jar).as("the %s jar; `./mvnw verify` packages it before the launcher's tests",
                    service.moduleName()).exists();
            Path log = Files.createTempFile(service.moduleName() + "-", ".log");
            // small heaps and the C1 compiler only: six JVMs start side by side on a 2-core machine
            ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            return new StandaloneService(builder.start(), log);
        }

        boolean exited() {
            return !process.isAlive();
        }

        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                if (process.exitValue() == 0 || process.exitValue() == 143) {
                    Files.deleteIfExists(log);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | IllegalThreadStateException e) {
                // the log stays for whoever investigates
            }
        }
    }

    @Test
    @Order(5)
    void rulesAndStoredItemsSurviveARestartWithTheSameDataDirectory() throws Exception {
        platform.close();
        platform = null;
        platform = Platform.start(settings);

        assertThat(get(PlatformService.RULES, "/rules/speeding").statusCode()).isEqualTo(200);
        assertThat(items("speeding", "car1").path("items").size()).isEqualTo(2);
        // Kafka's data survived too: the rules engine's committed position on iot.messages is still there
        Properties config = new Properties();
        config.put("bootstrap.servers", platform.kafkaBootstrapServers());
        try (AdminClient admin = AdminClient.create(config)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("rules-service")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertThat(committed.values()).anySatisfy(offset -> assertThat(offset.offset()).isPositive());
        }
    }

    /** A connected Paho client that disconnects before it closes (Paho refuses to close a connected client). */
    private record Device(MqttClient client) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (client.isConnected()) {
                client.disconnect(2_000);
            }
            client.close();
        }
    }

    private static Device connect(String clientId) throws Exception {
        return connect(clientId, settings.mqttPort(), settings.devUsername(), settings.devPassword());
    }

    private static Device connect(String clientId, int mqttPort, String username, String password) throws Exception {
        MqttClient client = new MqttClient("tcp://localhost:" + mqttPort, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(username);
        options.setPassword(password.toCharArray());
        options.setCleanSession(true);
        options.setConnectionTimeout(10);
        client.connect(options);
        return new Device(client);
    }

    private static void publish(Device device, String payload) throws Exception {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        device.client().publish(DEVICE_TOPIC, message);
    }

    private static JsonNode items(String table, String partitionKey) throws Exception {
        HttpResponse<String> response = get(PlatformService.SINK,
                "/tables/" + table + "/items?partitionKey=" + partitionKey);
        return response.statusCode() == 200 ? json.readTree(response.body()) : json.createObjectNode();
    }

    /** The rules engine and the gateway read iot.messages from their committed/latest position once assigned. */
    private static void awaitStableConsumerGroups() {
        Properties config = new Properties();
        config.put("bootstrap.servers", platform.kafkaBootstrapServers());
        try (AdminClient admin = AdminClient.create(config)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                List<String> groups = admin.listConsumerGroups().all().get().stream()
                        .map(ConsumerGroupListing::groupId)
                        .filter(id -> id.startsWith("gateway") || id.startsWith("rules"))
                        .toList();
                if (groups.size() < 2) {
                    return false;
                }
                Map<String, ConsumerGroupDescription> descriptions = admin.describeConsumerGroups(groups).all().get();
                return descriptions.values().stream().allMatch(group -> group.groupState() == GroupState.STABLE
                        && group.members().stream().anyMatch(member -> !member.assignment().topicPartitions().isEmpty()));
            });
        }
    }

    /** A client-credentials token of the printed admin client, from the platform's policy-service. */
    private static synchronized String adminToken() throws Exception {
        if (adminToken == null) {
            PlatformCredentials credentials = platform.credentials();
            String basic = Base64.getEncoder().encodeToString((credentials.adminClientId() + ":"
                    + credentials.adminClientSecret()).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(platform.platformIssuerUri()
                            + "/oauth2/token")).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            adminToken = json.readTree(token.body()).path("access_token").asString();
        }
        return adminToken;
    }

    private static HttpResponse<String> get(PlatformService service, String path) throws Exception {
        return send(service, "GET", path, null);
    }

    private static HttpResponse<String> send(PlatformService service, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + settings.httpPort(service) + path))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "*/*")
                .header("Authorization", "Bearer " + adminToken());
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
