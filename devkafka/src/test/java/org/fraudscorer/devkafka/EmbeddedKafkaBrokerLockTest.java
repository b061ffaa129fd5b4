package org.fraudscorer.devkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log directory that another process's broker holds is refused in one line before anything starts: a second
 * {@code ./fraud broker --data-dir} on it started its controller on the first one's metadata log, then failed with an
 * ERROR and a stack trace (found by a helper session). Another process holds the lock here, as a running broker does.
 */
class EmbeddedKafkaBrokerLockTest {
    @TempDir
    Path dir;

    /** Child-JVM main: locks the file it is given, says so, and holds the lock until its input closes. */
    public static void main(String[] args) throws Exception {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
             var lock = ch.lock()) {
            System.out.println("locked");
            System.out.flush();
            System.in.read();
        }
    }

    @Test
    void aLogDirectoryAnotherBrokerHoldsIsRefusedBeforeStarting() throws Exception {
        Path lock = Files.writeString(dir.resolve(".lock"), "");
        Process holder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedKafkaBrokerLockTest.class.getName(),
                lock.toString())).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(dir, 0)).isInstanceOf(IllegalStateException.class)
                    .hasMessage(dir.toAbsolutePath() + " is in use by another running broker (its .lock is held): "
                            + "stop it or give another --data-dir");
            assertThat(dir.resolve("meta.properties")).doesNotExist(); // nothing was formatted or started
        } finally {
            holder.getOutputStream().close();
            holder.waitFor();
        }
    }
}
