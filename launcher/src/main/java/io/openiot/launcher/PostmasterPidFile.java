package io.openiot.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL's {@code postmaster.pid} in a data directory: its first line is the postmaster's process id, its second
 * the data directory. The file exists while a server runs on the directory, and stays behind when the server is
 * killed.
 */
record PostmasterPidFile(long pid, String dataDirectory) {

    static final String FILE_NAME = "postmaster.pid";

    static Optional<PostmasterPidFile> read(Path dataDirectory) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(dataDirectory.resolve(FILE_NAME), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(lines.get(0).trim());
            return pid > 0 ? Optional.of(new PostmasterPidFile(pid, lines.size() > 1 ? lines.get(1).trim() : ""))
                    : Optional.empty();
        } catch (NumberFormatException e) {
            // a torn or foreign file: PostgreSQL itself reports it at start
            return Optional.empty();
        }
    }

    /** The postmaster named by the file, if a process with that id is running and may be a PostgreSQL server. */
    Optional<ProcessHandle> runningProcess() {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                // no command visible (another user's process): cannot tell, so do not rule it out
                .filter(process -> process.info().command().map(command -> command.contains("postgres"))
                        .orElse(true));
    }
}
