package io.openiot.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the embedded PostgreSQL when this JVM is gone, however it went (SIGKILL included). PostgreSQL runs detached
 * ({@code pg_ctl start} puts it in a session of its own), so nothing else would stop it.
 *
 * <p>The watchdog is a tiny {@code sh} process reading a pipe whose only writer is this JVM: the kernel closes the
 * pipe when the JVM exits, which ends the read. It then asks the postmaster named by {@code postmaster.pid} for a
 * fast shutdown (SIGINT) and waits for it; if the server is not down after a minute it sends SIGQUIT (immediate
 * shutdown, crash recovery on the next start). It ignores SIGINT and SIGHUP, so Ctrl-C or a closed terminal, which
 * reach the whole process group, leave it to do its job. A server already stopped, or a process id reused by
 * anything that is not PostgreSQL, is left alone.
 */
final class PostgresWatchdog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresWatchdog.class);

    // $1 = PostgreSQL data directory; arguments are passed apart from the script, never spliced into it
    private static final String SCRIPT = """
            trap '' INT HUP
            cat > /dev/null
            pidfile="$1/postmaster.pid"
            [ -f "$pidfile" ] || exit 0
            pid=$(head -n 1 "$pidfile")
            case "$pid" in ''|*[!0-9]*) exit 0;; esac
            # ps tells a zombie from a live process; without ps (a slim image) kill -0 and /proc have to do
            running() {
              if command -v ps >/dev/null 2>&1; then
                state=$(ps -p "$pid" -o stat= 2>/dev/null) || return 1
                [ -n "$state" ] && [ "${state#Z}" = "$state" ]
              else
                kill -0 "$pid" 2>/dev/null
              fi
            }
            is_postgres() {
              if command -v ps >/dev/null 2>&1; then
                ps -p "$pid" -o comm= 2>/dev/null | grep -q postgres
              elif [ -r "/proc/$pid/comm" ]; then
                grep -q postgres "/proc/$pid/comm"
              fi
            }
            running || exit 0
            is_postgres || exit 0
            echo "openiot watchdog: the platform process is gone, stopping PostgreSQL (pid $pid)"
            kill -INT "$pid" 2>/dev/null
            waited=0
            while running; do
              if [ "$waited" -ge 60 ]; then
                echo "openiot watchdog: PostgreSQL (pid $pid) still running after 60 s, immediate shutdown"
                kill -QUIT "$pid" 2>/dev/null
                exit 1
              fi
              sleep 1
              waited=$((waited + 1))
            done
            echo "openiot watchdog: PostgreSQL (pid $pid) stopped"
            """;

    private final Process process;
    private final OutputStream lifeline;

    private PostgresWatchdog(Process process) {
        this.process = process;
        this.lifeline = process.getOutputStream();
    }

    /** Starts watching before PostgreSQL starts, so a JVM killed during start-up leaves no server either. */
    static PostgresWatchdog start(Path postgresDataDirectory, Path logFile) throws IOException {
        Process process = new ProcessBuilder("sh", "-c", SCRIPT, "openiot-postgres-watchdog",
                postgresDataDirectory.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        log.debug("PostgreSQL watchdog started as pid {}", process.pid());
        return new PostgresWatchdog(process);
    }

    long pid() {
        return process.pid();
    }

    /**
     * Closes the pipe as the JVM's death would: the watchdog then stops a server still running (none, after a clean
     * stop) and exits. Waits for that, so the data directory may be deleted afterwards.
     */
    @Override
    public void close() {
        try {
            lifeline.close();
        } catch (IOException e) {
            log.debug("watchdog pipe already closed", e);
        }
        try {
            if (!process.waitFor(70, TimeUnit.SECONDS)) {
                log.warn("PostgreSQL watchdog (pid {}) did not finish; stopping it", process.pid());
                process.destroy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
