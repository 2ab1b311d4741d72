package io.openiot.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostmasterPidFileTest {

    @TempDir
    Path dataDirectory;

    @Test
    void readsThePostmasterPidAndDataDirectoryFromTheFirstTwoLines() throws Exception {
        Files.writeString(dataDirectory.resolve("postmaster.pid"),
                "4242\n/data/postgres\n1700000000\n15432\n\nlocalhost\n  15432001    123\nready   \n");

        assertThat(PostmasterPidFile.read(dataDirectory))
                .contains(new PostmasterPidFile(4242, "/data/postgres"));
    }

    @Test
    void noFileOrAnUnreadableOneNamesNoProcess() throws Exception {
        assertThat(PostmasterPidFile.read(dataDirectory)).isEmpty();

        Files.writeString(dataDirectory.resolve("postmaster.pid"), "");
        assertThat(PostmasterPidFile.read(dataDirectory)).isEmpty();

        Files.writeString(dataDirectory.resolve("postmaster.pid"), "not-a-pid\n/data\n");
        assertThat(PostmasterPidFile.read(dataDirectory)).isEmpty();
    }

    @Test
    void aLiveProcessThatIsNotPostgresIsNotTakenForTheServer() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(new PostmasterPidFile(sleeper.pid(), "/data").runningProcess()).isEmpty();
        } finally {
            sleeper.destroyForcibly();
        }
        assertThat(sleeper.waitFor()).isNotZero();
        assertThat(new PostmasterPidFile(sleeper.pid(), "/data").runningProcess()).as("a process that ended")
                .isEmpty();
    }
}
