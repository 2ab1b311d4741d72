package io.openiot.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * The gateway's replica id of a one-command run with a data directory: generated on the first start, kept in
 * {@code <data-dir>/gateway-replica-id} and reused on every later start. The gateway names its consumer group of
 * {@code iot.messages} after it, so a restarted platform resumes from the offsets it committed and delivers what
 * was republished while it was down, instead of starting a new group at the latest offset.
 */
final class GatewayReplicaId {

    static final String FILE_NAME = "gateway-replica-id";

    private GatewayReplicaId() {
    }

    /** Reads the data directory's replica id, creating it first if there is none. */
    static String loadOrCreate(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve(FILE_NAME);
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (id.isEmpty()) {
                throw new IllegalStateException(file + " is empty; write the gateway's previous replica id into it "
                        + "or delete it (a new id starts delivering at the latest offset)");
            }
            return id;
        }
        String id = "platform-" + UUID.randomUUID();
        // written whole and moved in place, so a kill never leaves half an id behind
        Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
        Files.writeString(temporary, id + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return id;
    }
}
