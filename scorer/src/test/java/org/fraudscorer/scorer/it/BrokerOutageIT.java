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
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stopped for 150 s (-Doutage.seconds=N for another length) while input arrives at 500/s, with the
 * scorer's own settings: longer than two of Kafka's 60 s {@code max.block.ms}. With that timeout, a commit's
 * {@code SendOffsetsToTransaction} and then its {@code EndTxn} gave up during the outage, Kafka Streams closed the
 * tasks as corrupted and re-read their committed offsets, and the queued commit landed when the broker was back:
 * 95,034 outputs for 95,000 events, 34 ids twice (2026-12-07). A read_committed reader must see every input exactly
 * once. {@link BrokerRestartIT} restarts the broker at once.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(900)
class BrokerOutageIT {
    private static final int PER_SECOND = 500;
    private static final Duration WAIT = Duration.ofSeconds(300);

    @Test
    void shouldScoreEverythingExactlyOnceAcrossALongBrokerOutage(TestBroker broker, @TempDir Path stateDir)
            throws Exception {
        broker.requireRestart("BrokerOutageIT");
        int outageS = Integer.getInteger("outage.seconds", 150);
        int total = PER_SECOND * (outageS + 40);
        Topics topics = ItKafka.topics("boutage");
        ItKafka.createTopics(broker, topics, 3);
        List<ItEvents.Event> events = new ArrayList<>(ItEvents.good("good", total, 523));
        double[][] rows = events.stream().map(ItEvents.Event::row).toArray(double[][]::new);
        Collections.shuffle(events, new Random(26));
        ModelBundle model = ItEvents.model("it-model-boutage", 31, rows, 0.12);
        Map<String, Object> ridesOutages = ItKafka.ridingOutages(900_000);
        ScorerConfig config = ItKafka.scorerConfig(broker, topics, ItKafka.unique("boutage-app"), stateDir);

        // Given: a scorer running on its own settings, and a producer that retries through the outage
        try (ScorerApp app = ScorerApp.start(config, model, ScorerApp.Options.forTests());
             ItKafka.SteadyProducer producer = new ItKafka.SteadyProducer(broker, topics.input(), events, PER_SECOND,
                     ridesOutages);
             ItKafka.Drain drain = new ItKafka.Drain(broker, topics.outputs())) {
            assertThat(app.awaitRunning(WAIT)).as("scorer running").isTrue();
            producer.start();
            ItKafka.await("10 s of input produced and outputs flowing", WAIT, () -> {
                drain.poll(Duration.ofMillis(50));
                return producer.produced() >= PER_SECOND * 10 && drain.size() > 0;
            });
            // When: the broker goes away for longer than the old timeout twice over, then comes back
            int producedAtStop = producer.produced();
            broker.restartAfter(Duration.ofSeconds(outageS));
            producer.await(WAIT);
            List<ItKafka.Out> outputs = drain.drain(total, WAIT);
            System.out.printf("BrokerOutageIT: %d s outage at %d produced; %s of %d; streams %s%n", outageS,
                    producedAtStop, ItKafka.countsByTopic(outputs, topics), total, app.streams().state());
            // Then: the outage began while input was arriving, and every event came out exactly once
            assertThat(producedAtStop).as("events acknowledged when the broker stopped").isLessThan(total);
            ItKafka.assertExactlyOnce(events, outputs, topics);
            assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }
}
