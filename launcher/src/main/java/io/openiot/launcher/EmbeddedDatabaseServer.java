package io.openiot.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from the zonky binaries (no installation needed), with one database per service. The data
 * directory is initialised once and reused, so stored data survives a restart when the directory is kept.
 *
 * <p>What the launcher changes from zonky's test-oriented defaults, and why:
 * <ul>
 *   <li>{@code fsync} and {@code synchronous_commit} are on when the data is kept ({@code durable}): zonky turns both
 *       off, and a commit that exists only in memory is lost with the server while Kafka's position has moved past
 *       it. Only a temporary run keeps them off, for speed.</li>
 *   <li>TCP only ({@code unix_socket_directories=''}): the socket and its lock file would otherwise be in the
 *       system temp directory, where another user's run or a killed server blocks the next start.</li>
 *   <li>PostgreSQL's output goes to {@code postgres.log} beside its data directory, and a failed start quotes it.</li>
 *   <li>A watchdog process stops the server when this JVM dies, and a server left running on the same data directory
 *       by an earlier run is stopped before the start.</li>
 * </ul>
 */
final class EmbeddedDatabaseServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseServer.class);
    static final Duration DEFAULT_STARTUP_WAIT = Duration.ofSeconds(30);
    static final String LOG_FILE_NAME = "postgres.log";
    /** zonky's own lock on the data directory, held by the JVM whose server runs on it */
    private static final String ZONKY_LOCK_FILE = "epg-lock";
    private static final int QUOTED_LOG_LINES = 20;

    private final EmbeddedPostgres postgres;
    private final PostgresWatchdog watchdog;
    private final Path dataDirectory;
    private final int port;

    private EmbeddedDatabaseServer(EmbeddedPostgres postgres, PostgresWatchdog watchdog, Path dataDirectory,
                                   int port) {
        this.postgres = postgres;
        this.watchdog = watchdog;
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    static EmbeddedDatabaseServer start(Path dataDirectory, int port, Collection<String> databases, boolean durable)
            throws IOException, SQLException {
        return start(dataDirectory, port, databases, durable, DEFAULT_STARTUP_WAIT);
    }

    static EmbeddedDatabaseServer start(Path dataDirectory, int port, Collection<String> databases, boolean durable,
                                        Duration startupWait) throws IOException, SQLException {
        dataDirectory = dataDirectory.toAbsolutePath();
        Files.createDirectories(dataDirectory);
        stopServerLeftRunning(dataDirectory);
        Path logFile = startNewLog(dataDirectory.resolveSibling(LOG_FILE_NAME));
        PostgresWatchdog watchdog = PostgresWatchdog.start(dataDirectory, logFile);
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setOverrideWorkingDirectory(binariesDirectoryWithoutPartialExtraction().toFile())
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .setServerConfig("unix_socket_directories", "''")
                    .setServerConfig("listen_addresses", "localhost")
                    .setPGStartupWait(startupWait)
                    // the platform stops it in order (services first), and the watchdog covers a JVM that died
                    .setRegisterShutdownHook(false)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException | RuntimeException e) {
            watchdog.close();
            throw new IOException("Embedded PostgreSQL did not start on port " + port + " with data in "
                    + dataDirectory + ": " + e.getMessage() + "\nPostgreSQL's log (" + logFile + ") ends with:\n"
                    + tail(logFile), e);
        }
        EmbeddedDatabaseServer server = new EmbeddedDatabaseServer(postgres, watchdog, dataDirectory, port);
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            for (String database : databases) {
                createIfMissing(connection, database);
            }
        } catch (SQLException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * A server still running on this data directory, left by a run that was killed before its watchdog existed or
     * together with it, is asked for a fast shutdown. One whose JVM is alive (it holds zonky's lock) is not touched.
     */
    private static void stopServerLeftRunning(Path dataDirectory) throws IOException {
        Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(dataDirectory);
        Optional<ProcessHandle> running = pidFile.flatMap(PostmasterPidFile::runningProcess);
        if (running.isEmpty()) {
            return; // nothing running; PostgreSQL replaces a stale postmaster.pid itself
        }
        long pid = running.get().pid();
        if (heldByARunningPlatform(dataDirectory)) {
            throw new IOException("PostgreSQL data directory " + dataDirectory + " is in use by another running "
                    + "platform (PostgreSQL pid " + pid + "); stop that one first or give another --data-dir");
        }
        log.warn("PostgreSQL (pid {}) is still running on {}, left by an earlier run; stopping it", pid,
                dataDirectory);
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pid)).redirectErrorStream(true).start();
            String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (kill.waitFor() != 0) {
                throw new IOException("PostgreSQL (pid " + pid + ") left running on " + dataDirectory
                        + " by an earlier run could not be stopped: " + said + "; stop it, then start again");
            }
            running.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping PostgreSQL (pid " + pid + ")", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("PostgreSQL (pid " + pid + ") left running on " + dataDirectory
                    + " by an earlier run did not stop within 60 s; stop it, then start again", e);
        }
        log.info("Stopped PostgreSQL (pid {}) left by an earlier run", pid);
    }

    /** Whether a live process holds zonky's lock in the directory (a running server, or binaries being extracted). */
    private static boolean heldByARunningPlatform(Path dataDirectory) throws IOException {
        try (FileChannel channel = FileChannel.open(dataDirectory.resolve(ZONKY_LOCK_FILE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this very JVM runs a server on it
        }
    }

    /** One log per run; the previous run's is kept beside it, for a look after a crash. */
    private static Path startNewLog(Path logFile) throws IOException {
        if (Files.exists(logFile)) {
            Files.move(logFile, logFile.resolveSibling(LOG_FILE_NAME + ".previous"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Files.createFile(logFile);
        return logFile;
    }

    /**
     * The extracted binaries are shared by this user's runs only: a directory another user created in the temp
     * directory would not be writable. zonky marks a finished extraction with {@code PG-<hash>/.exists} and fails
     * for ever on a half-extracted directory (a run killed while extracting), so one nobody is extracting into any
     * more (its lock is free) is removed first and extracted again.
     */
    private static Path binariesDirectoryWithoutPartialExtraction() throws IOException {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
        Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "openiot-embedded-pg-" + user);
        if (!Files.isDirectory(binaries)) {
            return binaries;
        }
        try (var extracted = Files.list(binaries)) {
            for (Path directory : extracted.filter(path -> path.getFileName().toString().startsWith("PG-"))
                    .filter(path -> !Files.exists(path.resolve(".exists"))).toList()) {
                if (!heldByARunningPlatform(directory)) {
                    log.warn("Removing the half-extracted PostgreSQL binaries in {}", directory);
                    EmbeddedKafkaBroker.deleteRecursively(directory);
                }
            }
        }
        return binaries;
    }

    static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - QUOTED_LOG_LINES), lines.size());
            return last.isEmpty() ? "  (nothing)" : "  " + String.join("\n  ", last);
        } catch (IOException | RuntimeException e) {
            return "  (could not read it: " + e.getMessage() + ")";
        }
    }

    private static void createIfMissing(Connection connection, String database) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
        }
        try (Statement create = connection.createStatement()) {
            // the name comes from PlatformService, never from input
            create.execute("CREATE DATABASE \"" + database + "\"");
        }
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    long watchdogPid() {
        return watchdog.pid();
    }

    @Override
    public void close() throws IOException {
        try {
            postgres.close();
        } finally {
            // after the stop: a JVM killed while stopping still leaves the watchdog to finish the job
            watchdog.close();
        }
    }
}
