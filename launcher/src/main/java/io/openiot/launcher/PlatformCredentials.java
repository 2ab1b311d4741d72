package io.openiot.launcher;

import io.openiot.policy.credential.domain.CredentialGenerator;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The secrets of a one-command run: the master key of policy-service, the bootstrap admin client and access key,
 * and the client the services use among themselves. Generated on the first start, kept in
 * {@code <data-dir>/credentials.properties} readable only by the user, and reused on every later start, so that the
 * printed credentials stay valid across restarts.
 */
record PlatformCredentials(String masterKey, String adminClientId, String adminClientSecret, String adminAccessKeyId,
                           String adminSecretAccessKey, String serviceClientId, String serviceClientSecret) {

    static final String FILE_NAME = "credentials.properties";
    static final String ADMIN_CLIENT_ID = "admin";
    static final String SERVICE_CLIENT_ID = "platform-services";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** Reads the data directory's credentials, creating them first if there are none. */
    static PlatformCredentials loadOrCreate(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return read(file);
        }
        PlatformCredentials created = generate(new SecureRandom());
        created.write(file);
        return created;
    }

    static PlatformCredentials generate(SecureRandom random) {
        CredentialGenerator generator = new CredentialGenerator(random);
        byte[] masterKey = new byte[32];
        random.nextBytes(masterKey);
        return new PlatformCredentials(Base64.getEncoder().encodeToString(masterKey), ADMIN_CLIENT_ID,
                generator.clientSecret(), generator.accessKeyId(), generator.secretAccessKey(), SERVICE_CLIENT_ID,
                generator.clientSecret());
    }

    /** What policy-service is told: the master key and the bootstrap credentials to create if missing. */
    Map<String, Object> policyServiceProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("iot.policy.master-key", masterKey);
        properties.put("iot.policy.bootstrap.admin-client-id", adminClientId);
        properties.put("iot.policy.bootstrap.admin-client-secret", adminClientSecret);
        properties.put("iot.policy.bootstrap.admin-access-key-id", adminAccessKeyId);
        properties.put("iot.policy.bootstrap.admin-access-key-secret-access-key", adminSecretAccessKey);
        properties.put("iot.policy.bootstrap.service-client-id", serviceClientId);
        properties.put("iot.policy.bootstrap.service-client-secret", serviceClientSecret);
        return properties;
    }

    /** What every service is told: where tokens come from and its own client for the internal endpoints. */
    Map<String, Object> securityProperties(String platformIssuerUri) {
        return Map.of("iot.security.platform-issuer-uri", platformIssuerUri,
                "iot.security.service-client.id", serviceClientId,
                "iot.security.service-client.secret", serviceClientSecret);
    }

    private static PlatformCredentials read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return new PlatformCredentials(required(properties, file, "master-key"),
                required(properties, file, "admin-client-id"), required(properties, file, "admin-client-secret"),
                required(properties, file, "admin-access-key-id"),
                required(properties, file, "admin-secret-access-key"),
                required(properties, file, "service-client-id"), required(properties, file, "service-client-secret"));
    }

    private static String required(Properties properties, Path file, String name) {
        String value = properties.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(file + " lacks " + name + "; delete the file to generate new credentials "
                    + "(only with a new data directory: the stored secrets are encrypted with the old master key)");
        }
        return value.trim();
    }

    /** Written to a private temporary file first and moved in place, so no one can read it half-written. */
    private void write(Path file) throws IOException {
        Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the file inherits the data directory's access rules
            Files.createFile(temporary);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("could not create " + temporary, e);
        }
        Properties properties = new Properties();
        properties.setProperty("master-key", masterKey);
        properties.setProperty("admin-client-id", adminClientId);
        properties.setProperty("admin-client-secret", adminClientSecret);
        properties.setProperty("admin-access-key-id", adminAccessKeyId);
        properties.setProperty("admin-secret-access-key", adminSecretAccessKey);
        properties.setProperty("service-client-id", serviceClientId);
        properties.setProperty("service-client-secret", serviceClientSecret);
        try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            properties.store(writer, "OpenIoT one-command run: generated secrets. Keep private; never commit.");
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public String toString() {
        return "PlatformCredentials[adminClientId=" + adminClientId + ", adminAccessKeyId=" + adminAccessKeyId
                + ", serviceClientId=" + serviceClientId + ", secrets=<hidden>]";
    }
}
