package io.openiot.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformCredentialsTest {

    @TempDir
    Path dataDirectory;

    @Test
    void generatesTheCredentialsOnFirstStartInAFileOnlyTheUserCanRead() throws Exception {
        PlatformCredentials credentials = PlatformCredentials.loadOrCreate(dataDirectory);

        Path file = dataDirectory.resolve(PlatformCredentials.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(credentials.masterKey())).hasSize(32);
        assertThat(credentials.adminAccessKeyId()).hasSize(20).startsWith("AKIA");
        assertThat(credentials.adminSecretAccessKey()).hasSize(40);
        assertThat(credentials.adminClientSecret()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(credentials.serviceClientSecret()).isNotEqualTo(credentials.adminClientSecret());
        assertThat(Files.readString(file)).contains(credentials.adminClientSecret(), credentials.adminAccessKeyId());
        assertThat(credentials.toString()).doesNotContain(credentials.adminClientSecret(),
                credentials.adminSecretAccessKey(), credentials.serviceClientSecret(), credentials.masterKey());
    }

    @Test
    void reusesTheStoredCredentialsOnLaterStarts() throws Exception {
        PlatformCredentials first = PlatformCredentials.loadOrCreate(dataDirectory);

        assertThat(PlatformCredentials.loadOrCreate(dataDirectory)).isEqualTo(first);
    }

    @Test
    void tellsPolicyServiceTheBootstrapCredentialsAndEveryServiceTheIssuerAndItsClient() throws Exception {
        PlatformCredentials credentials = PlatformCredentials.loadOrCreate(dataDirectory);

        assertThat(credentials.policyServiceProperties())
                .containsEntry("iot.policy.master-key", credentials.masterKey())
                .containsEntry("iot.policy.bootstrap.admin-client-id", "admin")
                .containsEntry("iot.policy.bootstrap.admin-access-key-id", credentials.adminAccessKeyId())
                .containsEntry("iot.policy.bootstrap.admin-access-key-secret-access-key",
                        credentials.adminSecretAccessKey())
                .containsEntry("iot.policy.bootstrap.service-client-secret", credentials.serviceClientSecret());
        assertThat(credentials.securityProperties("http://localhost:8085"))
                .containsEntry("iot.security.platform-issuer-uri", "http://localhost:8085")
                .containsEntry("iot.security.service-client.id", "platform-services")
                .containsEntry("iot.security.service-client.secret", credentials.serviceClientSecret());
    }
}
