package org.fraudscorer.scorer.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.fraudscorer.scorer.cli.ScorerCommand;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.testing.TestBroker;

/**
 * A scorer in a child JVM ({@link ScorerCommand#main}), so that a test can kill it for real (SIGKILL: no shutdown
 * hook, a transaction most likely open). Child output goes to {@code target/it-logs/<application id>-<n>.log}.
 */
final class ChildScorer {
    private ChildScorer() {
    }

    /** Starts {@code ScorerCommand} in a child JVM on this JVM's class path. */
    static Process start(TestBroker broker, Topics t, String applicationId, Path model, Path stateDir, int n)
            throws IOException {
        return start(broker, t, applicationId, model, stateDir, n, Map.of());
    }

    /** As {@link #start}, with properties that replace the defaults below (e.g. another session timeout). */
    static Process start(TestBroker broker, Topics t, String applicationId, Path model, Path stateDir, int n,
                         Map<String, String> overrides) throws IOException {
        // Under failsafe 3.6.1 java.class.path is the full test class path; the manifest-only booter jar is only in
        // surefire.real.class.path. Either would do for -cp.
        String classPath = System.getProperty("java.class.path");
        System.out.printf("ChildScorer: child class path has %d entries%n", classPath.split(File.pathSeparator).length);
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "--add-modules", "jdk.incubator.vector", "-cp", classPath, ScorerCommand.class.getName(),
                "--bootstrap-servers", broker.bootstrapServers(),
                "--model", model.toString(),
                "--application-id", applicationId,
                "--input-topic", t.input(), "--flagged-topic", t.flagged(), "--clean-topic", t.clean(),
                "--dlq-topic", t.deadLetter(), "--model-topic", t.models(),
                "--metrics-port", "-1",
                "-p", "state.dir=" + stateDir,
                "-p", "commit.interval.ms=100",
                // The killed member never leaves the group: let the broker notice within seconds, not 45 s.
                "-p", "session.timeout.ms=6000",
                "-p", "heartbeat.interval.ms=1000"));
        overrides.forEach((k, v) -> {
            cmd.add("-p");
            cmd.add(k + "=" + v);
        });
        Path log = Files.createDirectories(logDir()).resolve(applicationId + "-" + n + ".log");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until the group is STABLE with at least one member (the child has joined and holds the partitions). */
    static void awaitStableGroup(TestBroker broker, String groupId, Duration timeout) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            long deadline = System.nanoTime() + timeout.toNanos();
            ConsumerGroupDescription g = null;
            while (System.nanoTime() < deadline) {
                try {
                    g = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
                            .get(10, TimeUnit.SECONDS);
                    if (g.groupState() == GroupState.STABLE && !g.members().isEmpty()) {
                        return;
                    }
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                        throw e;
                    } // not created yet: the child JVM is still starting
                }
                Thread.sleep(100); // polling the group state; there is nothing to block on
            }
            throw new AssertionError("scorer group " + groupId + " not stable within " + timeout + ": " + g
                    + " (child logs in " + logDir() + ")");
        }
    }

    /** SIGKILL, then waits for the process to be gone. */
    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("child scorer " + p.pid() + " still alive 30 s after SIGKILL");
        }
    }

    /** SIGTERM (the scorer's shutdown hook closes it cleanly), SIGKILL if it is still there after 30 s. */
    static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    static Path logDir() {
        return Path.of("target", "it-logs").toAbsolutePath();
    }
}
