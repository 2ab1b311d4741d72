package io.openiot.testsupport;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft Kafka broker (broker and controller in one process role) that a fault-injection test can stop
 * and start again, on the same ports and the same log directory, so clients reconnect to it as to a broker that came
 * back. {@link EmbeddedKafkaServer} (the one shared broker of a test JVM) cannot stop; use this one only where a test
 * takes Kafka away. Ports are picked free once, at construction; the log directory is a temporary one, deleted by
 * {@link #close()}.
 */
public final class RestartableKafkaBroker implements AutoCloseable {

    private static final int NODE_ID = 1;

    private final Path logDirectory;
    private final int port;
    private final int controllerPort;
    private final int defaultPartitions;
    private KafkaRaftServer server;

    /** Formats a fresh log directory; call {@link #start()} to run the broker. */
    public RestartableKafkaBroker(int defaultPartitions) {
        this.defaultPartitions = defaultPartitions;
        this.port = freePort();
        this.controllerPort = freePort();
        try {
            this.logDirectory = Files.createTempDirectory("restartable-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (PrintStream quiet = new PrintStream(PrintStream.nullOutputStream())) {
            new Formatter()
                    .setPrintStream(quiet)
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logDirectory.toString())
                    .setDirectories(Set.of(logDirectory.toString()))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format the Kafka log directory " + logDirectory, e);
        }
    }

    /** Starts the broker on its ports and log directory; topics and offsets written before a stop are still there. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        KafkaRaftServer started = new KafkaRaftServer(new KafkaConfig(config(), false), Time.SYSTEM);
        started.startup();
        server = started;
    }

    /** Shuts the broker down cleanly and waits until its ports are closed. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The {@code host:port} to give to clients; the same across restarts. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> paths = Files.walk(logDirectory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Properties config() {
        Properties config = new Properties();
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(NODE_ID));
        config.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("log.dirs", logDirectory.toString());
        config.put("num.partitions", Integer.toString(defaultPartitions));
        // as in production: the services create their topics
        config.put("auto.create.topics.enable", "false");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "3");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        return config;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
