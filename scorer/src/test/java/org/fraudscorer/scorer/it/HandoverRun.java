package org.fraudscorer.scorer.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.KafkaStreams;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.devkafka.EmbeddedKafkaBroker;
import org.fraudscorer.devkafka.TempDir;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.testing.TestBroker;

/**
 * Measurement (not a CI test) of the figure behind {@link RebalanceIT}'s sanity limit: how long a cleanly closed
 * instance takes to hand its partitions back. An embedded broker, instance A on a 4-partition input with events
 * arriving at a steady rate; {@code --rounds} times, instance B (same application id) joins, scores, and is closed;
 * each round records how long B's {@code close()} took and when A held all partitions again (RUNNING), both from
 * the start of the close. Prints each round and the median and maximum.
 * <pre>
 *   scripts/measure-handover.sh [--rounds 5] [--rate 1000]
 * </pre>
 */
public final class HandoverRun {
    private static final int PARTITIONS = 4;
    private static final Duration WAIT = Duration.ofSeconds(240);

    private HandoverRun() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        int rate = 1_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: HandoverRun [--rounds N (5)] [--rate events/s (1000)]");
            }
        }
        try (TempDir dir = TempDir.create("fraud-handover");
             EmbeddedKafkaBroker embedded = EmbeddedKafkaBroker.start(dir.dir("broker"), 0)) {
            TestBroker broker = new TestBroker() {
                @Override
                public String bootstrapServers() {
                    return embedded.bootstrapServers();
                }

                @Override
                public String kind() {
                    return "embedded";
                }
            };
            run(broker, dir, rounds, rate);
        }
    }

    private static void run(TestBroker broker, TempDir dir, int rounds, int rate) throws Exception {
        Topics topics = ItKafka.topics("handover");
        ItKafka.createTopics(broker, topics, PARTITIONS);
        int total = rate * 30 * rounds; // input keeps arriving through every round
        List<ItEvents.Event> events = new ArrayList<>(ItEvents.good("good", total, 343));
        double[][] rows = events.stream().limit(20_000).map(ItEvents.Event::row).toArray(double[][]::new);
        Collections.shuffle(events, new Random(45));
        ModelBundle model = ItEvents.model("handover-model", 49, rows, 0.12);
        String applicationId = ItKafka.unique("handover-app");
        ScorerApp.Options options = new ScorerApp.Options("127.0.0.1", -1, PARTITIONS);
        long[] closeMs = new long[rounds];
        long[] handOverMs = new long[rounds];
        try (ScorerApp a = ScorerApp.start(ItKafka.scorerConfig(broker, topics, applicationId, dir.dir("state-a")), model, options);
             ItKafka.SteadyProducer producer = new ItKafka.SteadyProducer(broker, topics.input(), events, rate, Map.of())) {
            ItKafka.await("A running with all partitions", WAIT, () -> holdsAll(a));
            producer.start();
            for (int r = 0; r < rounds; r++) {
                Path stateB = Files.createDirectories(dir.path().resolve("state-b-" + r));
                ScorerApp b = ScorerApp.start(ItKafka.scorerConfig(broker, topics, applicationId, stateB), model, options);
                ItKafka.await("partitions split between A and B", WAIT, () -> running(a) && running(b)
                        && activeTasks(a) > 0 && activeTasks(b) > 0);
                Thread.sleep(3_000); // B scores for a while: the close then commits an open transaction
                long t0 = System.nanoTime();
                b.close();
                closeMs[r] = (System.nanoTime() - t0) / 1_000_000;
                while (!holdsAll(a)) {
                    Thread.sleep(5); // measurement resolution, not a wait for correctness
                    if (System.nanoTime() - t0 > WAIT.toNanos()) {
                        throw new AssertionError("A did not get every partition back within " + WAIT);
                    }
                }
                handOverMs[r] = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf(Locale.ROOT, "round %d: B close() %d ms; A held all %d partitions %d ms after the "
                        + "close began (%d events produced)%n", r + 1, closeMs[r], PARTITIONS, handOverMs[r], producer.produced());
            }
        }
        Arrays.sort(handOverMs);
        Arrays.sort(closeMs);
        System.out.printf(Locale.ROOT, "hand-over after a clean close, %d rounds at %d events/s: median %d ms, max %d ms "
                + "(close() itself: median %d ms, max %d ms)%n", rounds, rate, handOverMs[rounds / 2],
                handOverMs[rounds - 1], closeMs[rounds / 2], closeMs[rounds - 1]);
    }

    private static boolean running(ScorerApp app) {
        return app.streams().state() == KafkaStreams.State.RUNNING;
    }

    private static boolean holdsAll(ScorerApp app) {
        return running(app) && activeTasks(app) == PARTITIONS;
    }

    private static int activeTasks(ScorerApp app) {
        return app.streams().metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
    }
}
