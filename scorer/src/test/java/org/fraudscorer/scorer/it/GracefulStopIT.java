package org.fraudscorer.scorer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM, as a container platform stops a pod: two scorers share the input, one is sent SIGTERM mid-stream. Its
 * shutdown hook closes Kafka Streams and leaves the group, so the other takes over without waiting for the session
 * timeout (45 s, left at Kafka's default here), and nothing is lost or duplicated. The times are printed for
 * docs/reliability.md; the bounds asserted are sanity limits well under the session timeout, not speed claims.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(400)
class GracefulStopIT {
    private static final int GOOD = 5_000;
    /** 20 s of input: long enough that the stop comes while it still arrives on a loaded machine too. */
    private static final int PER_SECOND = 250;
    /** Kafka's default session timeout: a member that did not leave would hold its partitions this long. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(45);

    @Test
    void aScorerSentSigtermLeavesTheGroupAtOnceAndLosesNothing(TestBroker broker, @TempDir Path dir) throws Exception {
        // Given: two scorers in one group on a 3-partition input, events arriving at a steady pace
        Topics topics = ItKafka.topics("term");
        ItKafka.createTopics(broker, topics, 3);
        List<ItEvents.Event> events = new ArrayList<>(ItEvents.good("good", GOOD, 505));
        ModelBundle model = ItEvents.model("it-model-term", 9,
                events.stream().map(ItEvents.Event::row).toArray(double[][]::new), 0.12);
        Path modelFile = dir.resolve("model.json");
        Files.write(modelFile, ModelFile.toBytes(model));
        String applicationId = ItKafka.unique("term-app");

        Process a = null;
        Process b = null;
        try (ItKafka.SteadyProducer producer = new ItKafka.SteadyProducer(broker, topics.input(), events, PER_SECOND,
                Map.of());
             ItKafka.Drain drain = new ItKafka.Drain(broker,
                     topics.outputs());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            a = ChildScorer.start(broker, topics, applicationId, modelFile, Files.createDirectories(dir.resolve("a")),
                    1, Map.of("session.timeout.ms", Long.toString(SESSION_TIMEOUT.toMillis())));
            b = ChildScorer.start(broker, topics, applicationId, modelFile, Files.createDirectories(dir.resolve("b")),
                    2, Map.of("session.timeout.ms", Long.toString(SESSION_TIMEOUT.toMillis())));
            awaitMembers(admin, applicationId, 2, Duration.ofSeconds(120));
            producer.start();

            // When: once a tenth of the outputs are committed, and input still arrives, one scorer gets SIGTERM (at a
            // third, with 10 s of input, a run beside other builds found the input over before the stop)
            drain.awaitAtLeast(events.size() / 10, Duration.ofSeconds(120));
            assertThat(producer.done()).as("input still arriving at the stop").isFalse();
            long t0 = System.nanoTime();
            a.destroy(); // SIGTERM
            boolean exited = a.waitFor(60, TimeUnit.SECONDS);
            long exitMs = (System.nanoTime() - t0) / 1_000_000;
            awaitMembers(admin, applicationId, 1, SESSION_TIMEOUT.minusSeconds(15));
            long handOverMs = (System.nanoTime() - t0) / 1_000_000;
            producer.await(Duration.ofSeconds(60));
            List<ItKafka.Out> outputs = drain.drain(events.size(), Duration.ofSeconds(180));
            System.out.printf("GracefulStopIT: SIGTERM → process exited in %d ms (exit code %d); group down to one "
                    + "member in %d ms (session timeout %d s); %d outputs%n", exitMs, exited ? a.exitValue() : -1,
                    handOverMs, SESSION_TIMEOUT.toSeconds(), outputs.size());

            // Then: it stopped on its own, its partitions moved before any session timeout, and every event is in
            // exactly one output
            assertThat(exited).as("scorer exited after SIGTERM (sanity limit 60 s; logs in %s)", ChildScorer.logDir())
                    .isTrue();
            assertThat(a.exitValue()).as("exit code after SIGTERM: a clean stop (the JVM's own would be 143)")
                    .isZero();
            ItKafka.assertExactlyOnce(events, outputs, topics);
            assertThat(b.isAlive()).isTrue();
        } finally {
            ChildScorer.stop(a);
            ChildScorer.stop(b);
        }
    }

    /**
     * Waits until the group is STABLE with exactly {@code n} scorer instances (each has one member per stream
     * thread, named after the instance's client id); fails after {@code timeout}.
     */
    private static void awaitMembers(Admin admin, String group, int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        ConsumerGroupDescription g = null;
        while (System.nanoTime() < deadline) {
            try {
                g = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(10, TimeUnit.SECONDS);
                long instances = g.members().stream()
                        .map(m -> m.clientId().replaceAll("-StreamThread-\\d+-consumer$", "")).distinct().count();
                if (g.groupState() == GroupState.STABLE && instances == n) {
                    return;
                }
            } catch (java.util.concurrent.ExecutionException e) {
                // the group does not exist yet: the child JVMs are still starting
            }
            Thread.sleep(100); // polling the group state; there is nothing to block on
        }
        throw new AssertionError("group " + group + " not stable with " + n + " members within " + timeout + ": " + g);
    }
}
