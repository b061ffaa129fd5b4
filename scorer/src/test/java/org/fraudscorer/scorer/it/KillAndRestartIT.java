package org.fraudscorer.scorer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        try (ItKafka.SteadyProducer producer = new ItKafka.SteadyProducer(broker, topics.input(), events, PER_SECOND, Map.of());
             ItKafka.Drain drain = new ItKafka.Drain(broker,
                topics.outputs())) {
            first = ChildScorer.start(broker, topics, applicationId, modelFile, stateDir, 1);
            // Events start flowing once the scorer has joined its group, so the kill happens while input still arrives.
            ChildScorer.awaitStableGroup(broker, applicationId, Duration.ofSeconds(120));
            producer.start();

            // When: the scorer is killed without warning once about half the outputs are committed ...
            drain.awaitAtLeast(events.size() / 2, Duration.ofSeconds(120));
            ChildScorer.kill(first);
            int atKill = drain.size();
            int producedAtKill = producer.produced();
            // ... and a new one is started with the same application id while events keep arriving
            long t0 = System.nanoTime();
            second = ChildScorer.start(broker, topics, applicationId, modelFile, stateDir, 2);
            producer.await(Duration.ofSeconds(60));
            List<ItKafka.Out> outputs = drain.drain(events.size(), Duration.ofSeconds(180));
            System.out.printf("KillAndRestartIT: killed at %d outputs / %d produced; all %d outputs %d ms after restart%n",
                    atKill, producedAtKill, outputs.size(), (System.nanoTime() - t0) / 1_000_000 - ItKafka.QUIET.toMillis());

            // Then: the kill hit the scorer while input was still arriving, and every event is in exactly one output,
            // bad ones in the dead-letter topic
            assertThat(producedAtKill).as("events acknowledged at the kill").isLessThan(events.size());
            ItKafka.assertExactlyOnce(events, outputs, topics);
            assertThat(second.isAlive()).as("restarted scorer still running (child logs in %s)", ChildScorer.logDir())
                    .isTrue();
        } finally {
            ChildScorer.stop(first);
            ChildScorer.stop(second);
        }
    }
}
