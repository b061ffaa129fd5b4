package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./fraud console} in a child JVM, stopped as a service manager stops it: SIGTERM is a clean stop (exit 0),
 * not the JVM's 143 that systemd reads as a failed unit. The scorer's own stop is {@code GracefulStopIT}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ConsoleStopIT {
    @TempDir
    Path dir;

    @Test
    void sigtermStopsTheConsoleWithExitCodeZero(TestBroker broker) throws Exception {
        String p = "stop-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(p + ".flagged", 1);
        broker.createTopic(p + ".labels", 1);
        Path out = dir.resolve("out.txt");
        Process console = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                FraudCli.class.getName(), "console", "--bootstrap-servers", broker.bootstrapServers(),
                "--flagged-topic", p + ".flagged", "--labels-topic", p + ".labels", "--console-port", "0")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(out, StandardCharsets.UTF_8).contains("Analyst console: http://")
                    && console.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(console.isAlive()).as("console running; its output: %s", Files.readString(out)).isTrue();
            assertThat(Files.readString(out)).contains("Analyst console: http://");

            console.destroy(); // SIGTERM

            assertThat(console.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
            assertThat(console.exitValue()).as("exit code; output: %s", Files.readString(out)).isZero();
            assertThat(Files.readString(out)).doesNotContain("did not stop cleanly");
        } finally {
            console.destroyForcibly();
        }
    }
}
