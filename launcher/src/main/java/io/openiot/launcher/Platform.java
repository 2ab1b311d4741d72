package io.openiot.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The whole platform in one JVM: Kafka and PostgreSQL (embedded unless external ones are configured), then the six
 * services, each in its own Spring context with its own port and database. {@link #close()} stops everything in
 * reverse order.
 */
final class Platform implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Platform.class);

    private final LauncherSettings settings;
    private final Path dataDirectory;
    private final boolean temporaryData;
    private final Map<PlatformService, ConfigurableApplicationContext> contexts = new EnumMap<>(PlatformService.class);
    private PlatformCredentials credentials;
    private EmbeddedKafkaBroker kafka;
    private EmbeddedDatabaseServer database;
    private String kafkaBootstrap;
    /** Null for a temporary run: the gateway picks a random one, as a new replica would. */
    private String gatewayReplicaId;
    private Duration startupTime;

    /** Password of the sink's read-only SQL role in the one-command run (development credentials, like MQTT's). */
    static final String ANALYST_PASSWORD = "openiot-analyst";

    private Platform(LauncherSettings settings, Path dataDirectory, boolean temporaryData) {
        this.settings = settings;
        this.dataDirectory = dataDirectory;
        this.temporaryData = temporaryData;
    }

    static Platform start(LauncherSettings settings) throws Exception {
        long started = System.nanoTime();
        // logback is configured once for the JVM (logback.xml); see the note there
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        Path dataDirectory = settings.dataDirectory().isPresent()
                ? settings.dataDirectory().get().toAbsolutePath()
                : Files.createTempDirectory("openiot-");
        Platform platform = new Platform(settings, dataDirectory, settings.dataDirectory().isEmpty());
        try {
            Files.createDirectories(dataDirectory);
            platform.credentials = PlatformCredentials.loadOrCreate(dataDirectory);
            if (!platform.temporaryData) {
                platform.gatewayReplicaId = GatewayReplicaId.loadOrCreate(dataDirectory);
            }
            platform.startInfrastructure();
            platform.startServices();
            platform.awaitReadiness(Duration.ofSeconds(60));
        } catch (Exception | Error e) {
            platform.close();
            throw e;
        }
        platform.startupTime = Duration.ofNanos(System.nanoTime() - started);
        return platform;
    }

    private void startInfrastructure() throws Exception {
        List<String> databases = Arrays.stream(PlatformService.values()).map(PlatformService::databaseName).toList();
        if (settings.postgresUrlPrefix().isEmpty()) {
            log.info("Starting embedded PostgreSQL on port {} with data in {} ({})", settings.postgresPort(),
                    dataDirectory, temporaryData ? "temporary: fsync and synchronous_commit off" : "durable");
            // a temporary run trades durability for speed; kept data must survive a crash of the machine too
            database = EmbeddedDatabaseServer.start(dataDirectory.resolve("postgres"), settings.postgresPort(),
                    databases, !temporaryData);
        }
        if (settings.kafkaBootstrap().isPresent()) {
            kafkaBootstrap = settings.kafkaBootstrap().get();
        } else {
            log.info("Starting embedded Kafka (KRaft) on port {}", settings.kafkaPort());
            kafka = EmbeddedKafkaBroker.start(dataDirectory.resolve("kafka"), settings.kafkaPort(),
                    settings.kafkaControllerPort(), settings.kafkaPartitions());
            kafkaBootstrap = kafka.bootstrapServers();
        }
    }

    private void startServices() throws Exception {
        // Independent contexts: starting them side by side roughly halves the start-up time on two cores.
        ExecutorService starter = Executors.newFixedThreadPool(3, runnable -> {
            Thread thread = new Thread(runnable, "service-starter");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<PlatformService, Future<ConfigurableApplicationContext>> starting = new EnumMap<>(PlatformService.class);
            for (PlatformService service : PlatformService.values()) {
                starting.put(service, starter.submit(() -> startService(service)));
            }
            List<Exception> failures = new ArrayList<>();
            for (var entry : starting.entrySet()) {
                try {
                    contexts.put(entry.getKey(), entry.getValue().get());
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(new IllegalStateException(entry.getKey().moduleName() + " did not start", e.getCause()));
                }
            }
            if (!failures.isEmpty()) {
                failures.subList(1, failures.size()).forEach(failures.get(0)::addSuppressed);
                throw failures.get(0);
            }
        } finally {
            starter.shutdown();
        }
    }

    /** Started is not ready: wait until every service's readiness probe (database, Kafka binder) answers UP. */
    private void awaitReadiness(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (PlatformService service : PlatformService.values()) {
            URI probe = URI.create("http://localhost:" + settings.httpPort(service) + "/actuator/health/readiness");
            while (!isUp(http, probe)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(service.moduleName() + " is not ready after " + timeout);
                }
                Thread.sleep(200);
            }
        }
    }

    private static boolean isUp(HttpClient http, URI probe) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private ConfigurableApplicationContext startService(PlatformService service) {
        Map<String, Object> properties = serviceProperties(service);
        log.info("Starting {} on port {}", service.moduleName(), settings.httpPort(service));
        long started = System.nanoTime();
        ConfigurableApplicationContext context = service.application()
                .initializers(applicationContext -> applicationContext.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource("launcher", properties)))
                .run();
        log.info("{} started in {} ms", service.moduleName(), (System.nanoTime() - started) / 1_000_000);
        return context;
    }

    /** What the launcher decides for a service; it wins over the service's own file and the environment. */
    Map<String, Object> serviceProperties(PlatformService service) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", settings.httpPort(service));
        properties.put("spring.datasource.url", jdbcUrl(service));
        properties.put("spring.datasource.username", settings.postgresUrlPrefix().isPresent()
                ? settings.postgresUsername() : "postgres");
        properties.put("spring.datasource.password", settings.postgresUrlPrefix().isPresent()
                ? settings.postgresPassword() : "postgres");
        properties.put("spring.kafka.bootstrap-servers", kafkaBootstrap);
        properties.put("spring.cloud.stream.kafka.binder.brokers", kafkaBootstrap);
        properties.put("spring.cloud.stream.kafka.binder.min-partition-count", settings.kafkaPartitions());
        properties.put("spring.cloud.stream.kafka.binder.replication-factor", 1);
        properties.putAll(credentials.securityProperties(platformIssuerUri()));
        if (service == PlatformService.POLICY) {
            properties.putAll(credentials.policyServiceProperties());
        }
        if (service == PlatformService.SINK) {
            properties.put("iot.sink.auto-create-tables", true);
            properties.put("iot.sink.analytics.reader-password", ANALYST_PASSWORD);
        }
        if (service == PlatformService.RULES) {
            // get_thing_shadow() and get_dynamodb() read shadow-service and the sink with a token of the admin
            // client narrowed to iot:read (the token request asks for that scope only)
            properties.put("iot.rules.functions.shadow-url",
                    "http://localhost:" + settings.httpPort(PlatformService.SHADOW));
            properties.put("iot.rules.functions.sink-url",
                    "http://localhost:" + settings.httpPort(PlatformService.SINK));
            properties.put("iot.rules.functions.client-id", credentials.adminClientId());
            properties.put("iot.rules.functions.client-secret", credentials.adminClientSecret());
        }
        if (service == PlatformService.GATEWAY) {
            properties.put("iot.gateway.mqtt.port", settings.mqttPort());
            properties.put("iot.gateway.auth.dev-username", settings.devUsername());
            properties.put("iot.gateway.auth.dev-password", settings.devPassword());
            if (!temporaryData) {
                // kept data: the restarted gateway resumes its consumer group, and persistent sessions with their
                // queued QoS 1 messages survive; a temporary run keeps sessions in memory
                properties.put("iot.gateway.replica.id", gatewayReplicaId);
                properties.put("iot.gateway.mqtt.persistence-directory", dataDirectory.resolve("mqtt").toString());
            }
        }
        return properties;
    }

    private String jdbcUrl(PlatformService service) {
        return settings.postgresUrlPrefix()
                .map(prefix -> prefix + service.databaseName())
                .orElseGet(() -> database.jdbcUrl(service.databaseName()));
    }

    /** policy-service issues the platform's tokens; its base URL is the issuer. */
    String platformIssuerUri() {
        return "http://localhost:" + settings.httpPort(PlatformService.POLICY);
    }

    PlatformCredentials credentials() {
        return credentials;
    }

    ConfigurableApplicationContext context(PlatformService service) {
        return contexts.get(service);
    }

    String kafkaBootstrapServers() {
        return kafkaBootstrap;
    }

    Duration startupTime() {
        return startupTime;
    }

    void printEndpoints(PrintStream out) {
        out.println();
        out.printf("OpenIoT platform is ready (started in %.1f s)%n", startupTime.toMillis() / 1000.0);
        out.printf("  %-10s tcp://localhost:%d   username \"%s\", password \"%s\" (development credentials)%n",
                "MQTT", settings.mqttPort(), settings.devUsername(), settings.devPassword());
        for (PlatformService service : PlatformService.values()) {
            int port = settings.httpPort(service);
            out.printf("  %-16s http://localhost:%d   OpenAPI http://localhost:%d/swagger-ui.html   health /actuator/health%n",
                    service.moduleName(), port, port);
        }
        out.printf("  %-16s id \"%s\", secret \"%s\"   token: POST %s/oauth2/token (client credentials)%n",
                "Admin client", credentials.adminClientId(), credentials.adminClientSecret(), platformIssuerUri());
        out.printf("  %-16s AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s (Signature V4)%n", "Admin access key",
                credentials.adminAccessKeyId(), credentials.adminSecretAccessKey());
        out.printf("  %-16s %s (readable only by you)%n", "Credentials",
                dataDirectory.resolve(PlatformCredentials.FILE_NAME));
        out.printf("  %-16s %s%s%n", "Kafka", kafkaBootstrap, kafka == null ? " (external)" : " (embedded, KRaft)");
        out.printf("  %-16s %s%n", "PostgreSQL", settings.postgresUrlPrefix().map(p -> p + "<service> (external)")
                .orElse("jdbc:postgresql://localhost:" + settings.postgresPort() + "/<service>, user postgres, "
                        + (temporaryData ? "fsync off (temporary data)" : "fsync and synchronous_commit on")));
        out.printf("  %-16s %s?user=iot_analyst&password=%s   (read-only SQL, schema analytics: one view per sink table)%n",
                "SQL (analysts)", jdbcUrl(PlatformService.SINK), ANALYST_PASSWORD);
        out.printf("  %-16s %s%n", "Data", temporaryData ? dataDirectory + " (temporary, deleted on exit)"
                : dataDirectory + " (kept across restarts)");
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    @Override
    public void close() {
        List<PlatformService> reverse = new ArrayList<>(contexts.keySet());
        java.util.Collections.reverse(reverse);
        for (PlatformService service : reverse) {
            try {
                contexts.get(service).close();
            } catch (RuntimeException e) {
                log.warn("{} did not stop cleanly", service.moduleName(), e);
            }
        }
        contexts.clear();
        if (kafka != null) {
            try {
                kafka.close();
            } catch (RuntimeException e) {
                log.warn("Kafka did not stop cleanly", e);
            }
            kafka = null;
        }
        if (database != null) {
            try {
                database.close();
            } catch (IOException | RuntimeException e) {
                log.warn("PostgreSQL did not stop cleanly", e);
            }
            database = null;
        }
        if (temporaryData) {
            try {
                EmbeddedKafkaBroker.deleteRecursively(dataDirectory);
            } catch (IOException e) {
                log.warn("Could not delete temporary data directory {}", dataDirectory, e);
            }
        }
    }
}
