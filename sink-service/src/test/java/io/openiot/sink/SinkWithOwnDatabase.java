package io.openiot.sink;

import io.openiot.contracts.KafkaTopics;
import io.openiot.testsupport.EmbeddedKafkaServer;
import io.openiot.testsupport.TestTokenIssuer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * For fault-injection tests: the sink application started as in production (its own configuration file, settings as
 * command-line arguments) against a PostgreSQL server of its own, which the test can stop ({@code pg_ctl stop -m
 * fast}, zonky's close) and start again on the same data directory and port. Run one at a time: every instance is a
 * consumer in group {@code sink-service} on the JVM's embedded broker.
 */
final class SinkWithOwnDatabase implements AutoCloseable {

    static final String DEAD_LETTER_TOPIC = KafkaTopics.SINK_RECORDS + ".sink-service.dlq";

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres postgres;
    private ConfigurableApplicationContext application;

    private SinkWithOwnDatabase() throws IOException {
        this.dataDirectory = Files.createTempDirectory("sink-own-pg");
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
        startDatabase();
    }

    /** Starts PostgreSQL, then the sink with {@code arguments} added to the connection settings. */
    static SinkWithOwnDatabase start(Consumer<ConfigurableApplicationContext> initializer, String... arguments)
            throws IOException, SQLException {
        SinkWithOwnDatabase sink = new SinkWithOwnDatabase();
        try (Connection connection = sink.postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE sink");
        }
        String brokers = EmbeddedKafkaServer.bootstrapServers();
        List<String> all = new ArrayList<>(List.of(
                "--spring.datasource.url=" + sink.jdbcUrl(),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres",
                "--spring.kafka.bootstrap-servers=" + brokers,
                "--spring.cloud.stream.kafka.binder.brokers=" + brokers,
                "--server.port=0",
                "--iot.security.platform-issuer-uri=" + TestTokenIssuer.shared().issuerUri(),
                "--iot.sink.auto-create-tables=true",
                "--iot.sink.ingest.summary-interval=5s"));
        all.addAll(List.of(arguments));
        // command-line arguments: they win over sink-service.yml, as in a real deployment
        sink.application = SinkApplication.application().initializers(initializer::accept)
                .run(all.toArray(String[]::new));
        return sink;
    }

    ConfigurableApplicationContext application() {
        return application;
    }

    /** The sink's HTTP port. */
    int httpPort() {
        return Integer.parseInt(application.getEnvironment().getRequiredProperty("local.server.port"));
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "sink");
    }

    void stopDatabase() throws IOException {
        postgres.close();
    }

    void startDatabase() throws IOException {
        // same directory and port on every start, kept on close: a stop and a start of one server
        postgres = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(port)
                .start();
    }

    /** Rows of {@code table}, and distinct source message ids among them; zeros while the database cannot answer. */
    Stored countStored(String table) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), "postgres", "postgres");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*), count(DISTINCT source_message_id) FROM item "
                     + "WHERE table_name = '" + table + "'")) {
            result.next();
            return new Stored(result.getLong(1), result.getLong(2));
        } catch (SQLException e) {
            // the server may be stopped or still starting
            return new Stored(0, 0);
        }
    }

    Set<String> storedIds(String table) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), "postgres", "postgres");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT source_message_id FROM item WHERE table_name = '"
                     + table + "'")) {
            while (result.next()) {
                ids.add(result.getString(1));
            }
        }
        return ids;
    }

    record Stored(long total, long distinct) {
    }

    /** How many records the dead-letter topic ever received (the sum of its end offsets). */
    static long deadLettersEver() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", EmbeddedKafkaServer.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.listTopics(Duration.ofSeconds(30))
                    .getOrDefault(DEAD_LETTER_TOPIC, List.of()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            return consumer.endOffsets(partitions, Duration.ofSeconds(30)).values().stream()
                    .mapToLong(Long::longValue).sum();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (application != null) {
                application.close();
            }
        } finally {
            postgres.close();
        }
    }
}
