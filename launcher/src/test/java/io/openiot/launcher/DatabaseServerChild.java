package io.openiot.launcher;

import java.nio.file.Path;
import java.util.List;

/**
 * A JVM that only runs the launcher's embedded PostgreSQL, for tests that kill it: arguments are the data directory
 * and the port; it prints {@code READY <watchdog pid>} once the server is up, then waits to be killed.
 */
final class DatabaseServerChild {

    private DatabaseServerChild() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(Path.of(args[0]), Integer.parseInt(args[1]),
                List.of("child"), true);
        System.out.println("READY " + server.watchdogPid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
