package org.fraudscorer.scorer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.KafkaStreams;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker is stopped and started again (same ports, same data) mid-stream while an in-process scorer
 * (exactly_once_v2) and an idempotent producer keep running; both ride out the outage on their own, and a
 * read_committed reader then sees every input exactly once. The embedded and the Testcontainers broker can be
 * restarted from a test; with an external one this test fails, unless FRAUD_ALLOW_NO_BROKER_RESTART=1 skips it.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600)
class BrokerRestartIT {
    private static final int BAD = 260;
    private static final int TOTAL = 24_000;
    private static final int PER_SECOND = 1_200; // 20 s of input: the outage falls well inside it
    private static final Duration WAIT = Duration.ofSeconds(240);

    @Test
    void shouldScoreEverythingExactlyOnceAcrossABrokerRestart(TestBroker broker, @TempDir Path stateDir) throws Exception {
        broker.requireRestart("BrokerRestartIT");
        // Given: a scorer running, and a producer that retries through an outage (idempotent, so no duplicates)
        Topics topics = ItKafka.topics("brestart");
        ItKafka.createTopics(broker, topics, 3);
        List<ItEvents.Event> events = new ArrayList<>(ItEvents.good("good", TOTAL - BAD, 323));
        double[][] rows = events.stream().map(ItEvents.Event::row).toArray(double[][]::new);
        events.addAll(ItEvents.bad("bad", BAD, 424));
        Collections.shuffle(events, new Random(25));
        ModelBundle model = ItEvents.model("it-model-brestart", 29, rows, 0.12);
        Map<String, Object> ridesOutages = ItKafka.ridingOutages(300_000);

        try (ScorerApp app = ScorerApp.start(ItKafka.scorerConfig(broker, topics, ItKafka.unique("brestart-app"), stateDir),
                     model, ScorerApp.Options.forTests());
             ItKafka.SteadyProducer producer = new ItKafka.SteadyProducer(broker, topics.input(), events, PER_SECOND, ridesOutages);
             ItKafka.Drain drain = new ItKafka.Drain(broker, topics.outputs())) {
            assertThat(app.awaitRunning(WAIT)).as("scorer running").isTrue();
            producer.start();

            // When: a quarter of the input is in and outputs are flowing, the broker goes down and comes back
            ItKafka.await("a quarter of the input produced and outputs flowing", WAIT, () -> {
                drain.poll(Duration.ofMillis(50));
                return producer.produced() >= TOTAL / 4 && drain.size() > 0;
            });
            int producedAtStop = producer.produced();
            int outputsAtStop = drain.size();
            long t0 = System.nanoTime();
            broker.restart();
            long outageMs = (System.nanoTime() - t0) / 1_000_000;
            long t1 = System.nanoTime();
            drain.awaitAtLeast(outputsAtStop + 1_000, WAIT);
            long recoveryMs = (System.nanoTime() - t1) / 1_000_000;
            producer.await(WAIT);
            List<ItKafka.Out> outputs = drain.drain(TOTAL, WAIT);
            System.out.printf("BrokerRestartIT: broker down and up again in %d ms at %d produced / %d outputs; "
                            + "1,000 more outputs %d ms after it was back; %s; streams %s%n", outageMs, producedAtStop,
                    outputsAtStop, recoveryMs, ItKafka.countsByTopic(outputs, topics), app.streams().state());

            // Then: the restart happened while input was still arriving, and every event came out exactly once
            assertThat(producedAtStop).as("events acknowledged when the broker stopped").isLessThan(TOTAL);
            ItKafka.assertExactlyOnce(events, outputs, topics);
            assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }
}
