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

    /**
     * Child-JVM main: locks the file it is given, says so, and holds the lock until its input closes; with a second
     * argument, only says whether the lock is held by another process.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 1) { // only try: say whether another process holds it
            try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
                var lock = ch.tryLock();
                System.out.println(lock == null ? "held" : "free");
            }
            return;
        }
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
             var lock = ch.lock()) {
            System.out.println("locked");
            System.out.flush();
            System.in.read();
        }
    }

    /**
     * A second broker of the same JVM on a running broker's directory is refused too, and the running broker keeps
     * its lock: the first version opened and closed the lock file, which releases the process's lock (a review).
     */
    @Test
    void aLogDirectoryABrokerOfThisProcessRunsOnIsRefusedAndKeepsItsLock() throws Exception {
        Path logs = dir.resolve("running");
        try (EmbeddedKafkaBroker running = EmbeddedKafkaBroker.start(logs, 0)) {
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(logs, 0)).isInstanceOf(IllegalStateException.class)
                    .hasMessage(logs.toAbsolutePath() + " is in use by a running broker of this process");
            Process other = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"),
                    EmbeddedKafkaBrokerLockTest.class.getName(), logs.resolve(".lock").toString(), "try"))
                    .redirectErrorStream(true).start();
            assertThat(new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip())
                    .as("another process trying the running broker's lock").isEqualTo("held");
            other.waitFor();
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
