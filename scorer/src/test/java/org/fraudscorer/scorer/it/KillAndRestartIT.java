package org.fraudscorer.scorer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.scorer.cli.ScorerCommand;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scorer killed with SIGKILL mid-stream (no clean shutdown, a transaction most likely open) and restarted with
 * the same application id loses nothing and duplicates nothing, as seen by a read_committed consumer. The scorer
 * runs in a child JVM ({@link ScorerCommand#main}) so that it can be killed for real.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(300)
class KillAndRestartIT {
    private static final int GOOD = 5_000;
    private static final int BAD = 130;
    private static final int PER_SECOND = 500;

    @Test
    void shouldLoseAndDuplicateNothingWhenKilledMidStream(TestBroker broker, @TempDir Path dir) throws Exception {
        // Given: topics, a model file on disk, and events (good and bad) to be produced at a steady pace
        Topics topics = ItKafka.topics("kill");
        ItKafka.createTopics(broker, topics, 3);
        List<ItEvents.Event> events = new ArrayList<>(ItEvents.good("good", GOOD, 303));
        double[][] rows = events.stream().map(ItEvents.Event::row).toArray(double[][]::new);
        events.addAll(ItEvents.bad("bad", BAD, 404));
        java.util.Collections.shuffle(events, new java.util.Random(5));
        ModelBundle model = ItEvents.model("it-model-kill", 9, rows, 0.12);
        Path modelFile = dir.resolve("model.json");
        Files.write(modelFile, ModelFile.toBytes(model));
        String applicationId = ItKafka.unique("kill-app");
        Path stateDir = Files.createDirectories(dir.resolve("state"));

        Process first = null;
        Process second = null;
        AtomicInteger produced = new AtomicInteger();
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        Thread producer = new Thread(() -> produceSteadily(broker, topics.input(), events, produced, producerFailure),
                "steady-producer");
        try (ItKafka.Drain drain = new ItKafka.Drain(broker,
                List.of(topics.flagged(), topics.clean(), topics.deadLetter()))) {
            first = startScorer(broker, topics, applicationId, modelFile, stateDir, 1);
            // Events start flowing once the scorer has joined its group, so the kill happens while input still arrives.
            awaitStableGroup(broker, applicationId, Duration.ofSeconds(120));
            producer.start();

            // When: the scorer is killed without warning once about half the outputs are committed ...
            drain.awaitAtLeast(events.size() / 2, Duration.ofSeconds(120));
            first.destroyForcibly();
            assertThat(first.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            int atKill = drain.size();
            int producedAtKill = produced.get();
            // ... and a new one is started with the same application id while events keep arriving
            long t0 = System.nanoTime();
            second = startScorer(broker, topics, applicationId, modelFile, stateDir, 2);
            producer.join(60_000);
            assertThat(producerFailure.get()).as("producer failure").isNull();
            assertThat(produced.get()).isEqualTo(events.size());
            List<ItKafka.Out> outputs = drain.drain(events.size(), Duration.ofSeconds(180));
            System.out.printf("KillAndRestartIT: killed at %d outputs / %d produced; all %d outputs %d ms after restart%n",
                    atKill, producedAtKill, outputs.size(), (System.nanoTime() - t0) / 1_000_000 - ItKafka.QUIET.toMillis());

            // Then: every event is in exactly one output, bad ones in the dead-letter topic
            Map<String, List<ItKafka.Out>> byId = outputs.stream().collect(Collectors.groupingBy(ItKafka.Out::key));
            assertThat(outputs).as("outputs (child logs in %s)", logDir()).hasSize(events.size());
            assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(events.stream().map(ItEvents.Event::id).toList());
            assertThat(byId.values()).allSatisfy(outs -> assertThat(outs).hasSize(1));
            for (ItEvents.Event e : events) {
                String topic = byId.get(e.id()).get(0).topic();
                if (e.good()) {
                    assertThat(topic).as("topic of %s", e.id()).isIn(topics.flagged(), topics.clean());
                } else {
                    assertThat(topic).as("topic of %s", e.id()).isEqualTo(topics.deadLetter());
                }
            }
            assertThat(second.isAlive()).as("restarted scorer still running").isTrue();
        } finally {
            producer.interrupt();
            stop(first);
            stop(second);
        }
    }

    /** Sends the events in small batches at about {@link #PER_SECOND}, paced by the clock. */
    private static void produceSteadily(TestBroker broker, String topic, List<ItEvents.Event> events,
                                        AtomicInteger produced, AtomicReference<Throwable> failure) {
        try (KafkaProducer<String, byte[]> p = ItKafka.producer(broker)) {
            long start = System.nanoTime();
            int batch = PER_SECOND / 20;
            for (int i = 0; i < events.size(); i += batch) {
                List<ItEvents.Event> slice = events.subList(i, Math.min(events.size(), i + batch));
                for (ItEvents.Event e : slice) {
                    p.send(new ProducerRecord<>(topic, e.id(), e.value()), (m, ex) -> {
                        if (ex != null) {
                            failure.compareAndSet(null, ex);
                        }
                    });
                }
                p.flush();
                produced.addAndGet(slice.size());
                long due = start + (long) ((i + slice.size()) * 1e9 / PER_SECOND);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing, not waiting for a condition
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    /** Starts {@code ScorerCommand} in a child JVM on this JVM's class path; output goes to target/it-logs. */
    private static Process startScorer(TestBroker broker, Topics t, String applicationId, Path model, Path stateDir,
                                       int n) throws IOException {
        // Under failsafe 3.6.1 java.class.path is the full test class path (84 entries here, printed below); the
        // manifest-only booter jar is only in surefire.real.class.path. Either would do for -cp.
        String classPath = System.getProperty("java.class.path");
        System.out.printf("KillAndRestartIT: child class path has %d entries%n", classPath.split(File.pathSeparator).length);
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", classPath, ScorerCommand.class.getName(),
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
                "-p", "heartbeat.interval.ms=1000");
        Path log = Files.createDirectories(logDir()).resolve(applicationId + "-" + n + ".log");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitStableGroup(TestBroker broker, String groupId, Duration timeout) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            long deadline = System.nanoTime() + timeout.toNanos();
            ConsumerGroupDescription g = null;
            while (System.nanoTime() < deadline) {
                try {
                    g = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
                            .get(10, java.util.concurrent.TimeUnit.SECONDS);
                    if (g.groupState() == GroupState.STABLE && !g.members().isEmpty()) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException e) {
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

    private static Path logDir() {
        return Path.of("target", "it-logs").toAbsolutePath();
    }

    private static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy(); // SIGTERM: the scorer's shutdown hook closes it cleanly
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }
}
