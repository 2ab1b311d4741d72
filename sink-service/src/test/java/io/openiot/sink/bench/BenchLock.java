package io.openiot.sink.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The machine's shared benchmark lock ({@code flock(1)} on the file named by {@code -Dbench.lock}), held only while
 * measuring: a child {@code flock} holds it until its input is closed. Without the property, nothing is locked (and
 * no priority changed).
 */
final class BenchLock implements AutoCloseable {

    private final Process process;
    private final String file;

    private BenchLock(Process process, String file) {
        this.process = process;
        this.file = file;
    }

    static BenchLock acquire() throws IOException {
        String file = System.getProperty("bench.lock");
        if (file == null || file.isBlank()) {
            return new BenchLock(null, "none");
        }
        Process process = new ProcessBuilder("flock", file, "-c", "echo locked; cat > /dev/null")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"locked".equals(line)) {
            process.destroy();
            throw new IOException("flock " + file + " did not lock: " + line);
        }
        normalPriority();
        return new BenchLock(process, file);
    }

    /**
     * Measuring runs at normal priority, the setup before it (started under {@code nice}) does not: every thread of
     * this JVM and of its child processes (the embedded PostgreSQL server and its backends) is set back to niceness
     * 0. Linux applies niceness per thread, hence thread by thread.
     */
    private static void normalPriority() throws IOException {
        List<Long> processes = new ArrayList<>();
        processes.add(ProcessHandle.current().pid());
        ProcessHandle.current().descendants().forEach(p -> processes.add(p.pid()));
        List<String> command = new ArrayList<>(List.of("renice", "-n", "0", "-p"));
        for (long pid : processes) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                tasks.forEach(task -> command.add(task.getFileName().toString()));
            } catch (IOException e) {
                // the process ended meanwhile
            }
        }
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        if (process != null) {
            process.getOutputStream().close();
        }
    }

    @Override
    public String toString() {
        return file;
    }
}
