package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./fraud demo} with no data: simulator, handbook model, embedded broker, raw events with label feedback. The
 * demo's own accounting ({@link DemoLedger}) matches what the broker acknowledged against what came out, by identity:
 * every event id scored exactly once, every malformed event dead-lettered exactly once by its source offset.
 */
class RawDemoIT {
    private static final Pattern SUMMARY = Pattern.compile("produced ([\\d,]+) events; flagged ([\\d,]+) \\+ clean "
            + "([\\d,]+) \\+ dead letters ([\\d,]+) = ([\\d,]+) \\(every event accounted for exactly once: ([\\d,]+) "
            + "distinct ids scored, ([\\d,]+) malformed events dead-lettered by source offset\\)");

    @Test
    @Timeout(240)
    void theDataFreeDemoStreamsSimulatedRawEventsAndAccountsForEveryOne() {
        CliRun r = CliRun.of("demo", "--duration", "8", "--rate", "400", "--epochs", "3", "--metrics-port", "0");
        System.out.println(r.out());
        assertThat(r.exitCode()).as(r.out() + r.errorLines()).isZero();
        assertThat(r.out()).contains("No --data: simulating raw payment events", "handbook-schema model",
                "raw payment events with label feedback", "precision",
                "Analyst console: http://127.0.0.1:");
        assertThat(r.err()).as("the demo's state is in a temporary directory on purpose: no warning about it")
                .doesNotContain("OS temp directory").doesNotContain("Performing controller activation");
        Matcher m = SUMMARY.matcher(r.out());
        assertThat(m.find()).as("the summary line with the exact accounting in:%n%s", r.out()).isTrue();
        long produced = number(m.group(1));
        long flagged = number(m.group(2));
        long clean = number(m.group(3));
        long deadLetters = number(m.group(4));
        long distinctIds = number(m.group(6));
        long malformed = number(m.group(7));
        assertThat(produced).as("events produced in 8 s at 400/s").isGreaterThan(1_000);
        assertThat(flagged + clean + deadLetters).isEqualTo(number(m.group(5))).isEqualTo(produced);
        // the simulated ids are distinct: one per scored record; the 1 % malformed ones each in the dead letters once
        assertThat(distinctIds).isEqualTo(flagged + clean);
        assertThat(malformed).isEqualTo(deadLetters).isPositive();
    }

    /**
     * A demo stopped by a signal (SIGTERM here; Ctrl-C runs the same hooks) deletes its temporary directory, the
     * broker's log and the Streams state: it was deleted only when the demo returned (found by a helper session).
     * It stops in order: the producer first, while the broker is up (it kept sending into the closing broker, a
     * screen of producer warnings), and says it stopped. A child JVM, with its own temp directory to look into.
     */
    @Test
    @Timeout(240)
    void aDemoStoppedBySignalDeletesItsTemporaryDirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path tmp = java.nio.file.Files.createDirectories(dir.resolve("tmp"));
        Process p = new ProcessBuilder(FraudJvm.command(java.util.List.of("-Djava.io.tmpdir=" + tmp,
                "-Dlogback.configurationFile=logback.xml"), // the shipped logging, not the tests'; what users see
                "demo", "--duration", "120", "--rate", "200", "--epochs", "2", "--metrics-port", "0"))
                .directory(dir.toFile()).redirectErrorStream(true).start();
        try (java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("Streaming "));
            assertThat(line).as("the demo started streaming").isNotNull();
            int ticks = 0;
            while (ticks < 3 && (line = out.readLine()) != null) { // a few seconds of streaming: the producer sends
                ticks += line.contains(" events ") ? 1 : 0;
            }
            try (var listing = java.nio.file.Files.list(tmp)) {
                assertThat(listing.map(f -> f.getFileName().toString())).anyMatch(n -> n.startsWith("fraud-demo"));
            }
            p.toHandle().destroy(); // SIGTERM (Process.destroy would close the output this reads on)
            java.util.List<String> after = new java.util.ArrayList<>();
            while ((line = out.readLine()) != null) {
                after.add(line);
            }
            assertThat(p.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).as("stopped").isTrue();
            assertThat(p.exitValue()).as("the JVM's code for SIGTERM: the run was not checked").isEqualTo(143);
            assertThat(after).as("what it printed once stopped").anyMatch(l -> l.startsWith("Stopped after "))
                    .noneMatch(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.startsWith("error"));
        } finally {
            p.destroyForcibly();
        }
        try (var listing = java.nio.file.Files.list(tmp)) {
            assertThat(listing.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("fraud-demo"));
        }
    }

    private static long number(String s) {
        return Long.parseLong(s.replace(",", ""));
    }
}
