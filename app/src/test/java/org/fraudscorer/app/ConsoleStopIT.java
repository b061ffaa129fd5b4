package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Process console = new ProcessBuilder(FraudJvm.command(java.util.List.of("-Dfraud.http.maxRequestSeconds=2"),
                "console", "--bootstrap-servers", broker.bootstrapServers(), "--flagged-topic", p + ".flagged",
                "--labels-topic", p + ".labels", "--console-port", "0"))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(out, StandardCharsets.UTF_8).contains("Analyst console: http://")
                    && console.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(console.isAlive()).as("console running; its output: %s", Files.readString(out)).isTrue();
            assertThat(Files.readString(out)).contains("Analyst console: http://");

            // a request sent slowly (a verdict announced as 4,000 bytes, 6 sent) is cut after the request time limit:
            // it held a server thread for ever (2,000 of them, 2,000 threads)
            java.util.regex.Matcher url = java.util.regex.Pattern.compile(
                    "Analyst console: http://127\\.0\\.0\\.1:(\\d+)/").matcher(Files.readString(out, StandardCharsets.UTF_8));
            assertThat(url.find()).isTrue();
            int port = Integer.parseInt(url.group(1));
            try (java.net.Socket slow = new java.net.Socket("127.0.0.1", port)) {
                slow.setSoTimeout(30_000);
                slow.getOutputStream().write(("POST /api/verdicts HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                        + "Content-Type: application/json\r\nX-Fraud-Console: 1\r\nContent-Length: 4000\r\n\r\n"
                        + "{\"id\":").getBytes(
                        StandardCharsets.US_ASCII));
                slow.getOutputStream().flush();
                long sent = System.nanoTime();
                assertThat(slow.getInputStream().read()).as("the server closed the connection").isEqualTo(-1);
                assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - sent)).isLessThan(25);
            }

            console.destroy(); // SIGTERM

            assertThat(console.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
            assertThat(console.exitValue()).as("exit code; output: %s", Files.readString(out)).isZero();
            assertThat(Files.readString(out)).doesNotContain("did not stop cleanly");
        } finally {
            console.destroyForcibly();
        }
    }
}
