package io.openiot.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one-command platform ({@code openiot-platform.jar}, what {@code ./run-platform.sh} runs) in a JVM of its own,
 * so that a test can kill it as hard as the operating system can. Its output goes to a log file.
 */
final class PlatformProcess {

    private static final String READY_LINE = "OpenIoT platform is ready";

    private final Process process;
    private final Path log;
    private final long logStart;

    private PlatformProcess(Process process, Path log, long logStart) {
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    /** The jar the reactor packaged before the integration tests ran. */
    static Path jar() {
        Path jar = Path.of(System.getProperty("openiot.root", ".."), "launcher", "target", "openiot-platform.jar");
        assertThat(jar).as("the platform jar; `./mvnw verify` packages it before the integration tests").exists();
        return jar;
    }

    /** Arguments of a platform on free ports with its data in {@code dataDirectory}. */
    static LauncherSettings settings(Path dataDirectory) {
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
        return LauncherSettings.from(arguments.toArray(String[]::new), Map.of());
    }

    static List<String> arguments(LauncherSettings settings) {
        List<String> arguments = new ArrayList<>(List.of(
                "--data-dir=" + settings.dataDirectory().orElseThrow(),
                "--mqtt-port=" + settings.mqttPort(),
                "--kafka-port=" + settings.kafkaPort(),
                "--kafka-controller-port=" + settings.kafkaControllerPort(),
                "--postgres-port=" + settings.postgresPort(),
                "--kafka-partitions=" + settings.kafkaPartitions()));
        for (PlatformService service : PlatformService.values()) {
            arguments.add("--" + service.shortName() + "-port=" + settings.httpPort(service));
        }
        return arguments;
    }

    /** Starts the platform and waits until it printed that every service is ready. */
    static PlatformProcess startAndAwaitReady(LauncherSettings settings, Path log, Duration timeout)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g", "-XX:+UseSerialGC", "-jar", jar().toString()));
        command.addAll(arguments(settings));
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        PlatformProcess platform = new PlatformProcess(process, log, logStart);
        try {
            await("the platform ready").atMost(timeout).pollInterval(Duration.ofMillis(250))
                    .failFast("the platform exited; its log is " + log, () -> !process.isAlive())
                    .until(() -> platform.output().contains(READY_LINE));
        } catch (RuntimeException | Error e) {
            platform.kill(); // never leave a platform running behind a failed test
            throw e;
        }
        return platform;
    }

    /** What this run printed so far. */
    String output() throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(logStart, all.length), (int) Math.max(0, all.length - logStart),
                StandardCharsets.UTF_8);
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** SIGKILL on Linux: no shutdown hook, no clean stop of anything in the JVM. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as Ctrl-C or a service manager would stop it; then SIGKILL if it does not stop in time. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }
}
