package io.openiot.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayReplicaIdTest {

    @TempDir
    Path dataDirectory;

    @Test
    void theFirstStartGeneratesAnIdThatLaterStartsReuse() throws Exception {
        String first = GatewayReplicaId.loadOrCreate(dataDirectory);

        assertThat(first).startsWith("platform-");
        assertThat(dataDirectory.resolve(GatewayReplicaId.FILE_NAME)).hasContent(first);
        assertThat(GatewayReplicaId.loadOrCreate(dataDirectory)).isEqualTo(first);
    }

    @Test
    void anotherDataDirectoryGetsAnotherId(@TempDir Path other) throws Exception {
        assertThat(GatewayReplicaId.loadOrCreate(other)).isNotEqualTo(GatewayReplicaId.loadOrCreate(dataDirectory));
    }

    @Test
    void anEmptyFileIsRefusedRatherThanSilentlyReplaced() throws Exception {
        Files.writeString(dataDirectory.resolve(GatewayReplicaId.FILE_NAME), "\n");

        assertThatThrownBy(() -> GatewayReplicaId.loadOrCreate(dataDirectory))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("empty");
    }
}
