package io.openiot.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class EmbeddedDatabaseServerTest {

    private Path root;
    private Path dataDirectory;
    private int port;
    private final List<Process> children = new ArrayList<>();

    @BeforeEach
    void createDirectory() throws IOException {
        root = Files.createTempDirectory("openiot-pg-test-");
        dataDirectory = root.resolve("postgres");
        port = FreePorts.take(1).get(0);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        // a server a failed test left behind must not outlive it
        PostmasterPidFile.read(dataDirectory).flatMap(PostmasterPidFile::runningProcess)
                .ifPresent(ProcessHandle::destroyForcibly);
        EmbeddedKafkaBroker.deleteRecursively(root);
    }

    @Test
    void aDurableServerSyncsEveryCommitAndListensOnTcpOnly() throws Exception {
        try (EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(dataDirectory, port, List.of("app"), true)) {
            assertThat(setting(server, "fsync")).isEqualTo("on");
            assertThat(setting(server, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(server, "unix_socket_directories")).isEmpty();
            assertThat(socketFilesInTheTempDirectory()).isEmpty();
        }
        assertThat(dataDirectory.resolve(PostmasterPidFile.FILE_NAME)).doesNotExist();
    }

    @Test
    void aTemporaryServerTradesDurabilityForSpeed() throws Exception {
        try (EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(dataDirectory, port, List.of("app"), false)) {
            assertThat(setting(server, "fsync")).isEqualTo("off");
            assertThat(setting(server, "synchronous_commit")).isEqualTo("off");
        }
    }

    @Test
    void aFailedStartQuotesPostgresOwnError() throws Exception {
        // first a normal start, so that the failure below is about the lock file and not about initdb
        EmbeddedDatabaseServer.start(dataDirectory, port, List.of("app"), true).close();
        // a lock file naming a live process that is not PostgreSQL: PostgreSQL refuses the directory
        Process impostor = new ProcessBuilder("sleep", "120").start();
        children.add(impostor);
        Files.writeString(dataDirectory.resolve(PostmasterPidFile.FILE_NAME),
                impostor.pid() + "\n" + dataDirectory + "\n");

        assertThatThrownBy(() -> EmbeddedDatabaseServer.start(dataDirectory, port, List.of("app"), true,
                Duration.ofSeconds(5)))
                .hasMessageContaining("did not start on port " + port)
                .hasMessageContaining("lock file \"postmaster.pid\" already exists")
                .hasMessageContaining("PID " + impostor.pid());
        assertThat(impostor.isAlive()).as("a process that is not PostgreSQL is never signalled").isTrue();
    }

    @Test
    void theServerStopsWithinSecondsWhenItsJvmIsKilled() throws Exception {
        startChild();
        ProcessHandle postmaster = runningPostmaster();

        children.get(0).destroyForcibly(); // SIGKILL: no shutdown hook runs

        await().atMost(Duration.ofSeconds(15)).until(() -> !postmaster.isAlive());
        assertThat(dataDirectory.resolve(PostmasterPidFile.FILE_NAME)).doesNotExist();
    }

    @Test
    void aServerLeftRunningByAKilledRunIsStoppedBeforeTheNextStart() throws Exception {
        long watchdog = startChild();
        ProcessHandle postmaster = runningPostmaster();
        // as an earlier version without a watchdog, or a kill of the whole process group, would leave it
        ProcessHandle.of(watchdog).ifPresent(ProcessHandle::destroyForcibly);
        children.get(0).destroyForcibly();
        children.get(0).waitFor(10, TimeUnit.SECONDS);
        Thread.sleep(1_500);
        assertThat(postmaster.isAlive()).as("the orphaned server").isTrue();

        try (EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(dataDirectory, port, List.of("child"),
                true)) {
            assertThat(postmaster.isAlive()).isFalse();
            assertThat(setting(server, "fsync")).isEqualTo("on");
            assertThat(PostmasterPidFile.read(dataDirectory)).hasValueSatisfying(file ->
                    assertThat(file.pid()).isNotEqualTo(postmaster.pid()));
        }
    }

    @Test
    void aDataDirectoryInUseByARunningPlatformIsNotTakenOver() throws Exception {
        try (EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(dataDirectory, port, List.of("app"), true)) {
            int otherPort = FreePorts.take(1).get(0);
            assertThatThrownBy(() -> EmbeddedDatabaseServer.start(dataDirectory, otherPort, List.of("app"), true))
                    .hasMessageContaining("in use by another running platform");
            assertThat(setting(server, "fsync")).as("the running server still answers").isEqualTo("on");
        }
    }

    /** Starts {@link DatabaseServerChild} in its own JVM and returns its watchdog's pid once the server is up. */
    private long startChild() throws Exception {
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                DatabaseServerChild.class.getName(), dataDirectory.toString(), Integer.toString(port))
                .redirectErrorStream(true)
                .start();
        children.add(child);
        BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        String line;
        while ((line = output.readLine()) != null) {
            if (line.startsWith("READY ")) {
                Thread drain = new Thread(() -> drain(output), "child-output");
                drain.setDaemon(true);
                drain.start();
                return Long.parseLong(line.substring(6).trim());
            }
            seen.add(line);
        }
        throw new AssertionError("the child JVM ended before its server was ready:\n" + String.join("\n", seen));
    }

    private static void drain(BufferedReader output) {
        try {
            while (output.readLine() != null) {
                // keep the pipe from filling up
            }
        } catch (IOException ignored) {
            // the child is gone
        }
    }

    private ProcessHandle runningPostmaster() throws IOException {
        return PostmasterPidFile.read(dataDirectory).flatMap(PostmasterPidFile::runningProcess)
                .orElseThrow(() -> new AssertionError("no running postmaster on " + dataDirectory));
    }

    private static String setting(EmbeddedDatabaseServer server, String name) throws Exception {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "postgres");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private List<String> socketFilesInTheTempDirectory() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(path -> path.getFileName().toString())
                    .filter(name -> name.startsWith(".s.PGSQL." + port))
                    .toList();
        }
    }
}
