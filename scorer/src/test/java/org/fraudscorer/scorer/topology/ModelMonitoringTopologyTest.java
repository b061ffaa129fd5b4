package org.fraudscorer.scorer.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.common.metrics.PopulationStability;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.MonitoringReference;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.serde.RawEventJson;
import org.fraudscorer.scorer.server.ModelMonitoring;
import org.fraudscorer.scorer.server.ScorerMetrics;
import org.fraudscorer.scorer.testing.SmallRawModel;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.events.FeatureReplay;
import org.fraudscorer.trainer.events.TransactionSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring gauges fed by the real raw-event topology (TopologyTestDriver, labels piped exactly when they
 * become known): a model trained by the trainer carries its reference, and after a live replay every gauge equals
 * what the outputs and the offline features give by hand: the PSI of each feature and of the score, the window's
 * flag rate, and precision and recall over the labels matched with the decisions the scorer wrote.
 */
class ModelMonitoringTopologyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DELAY = HandbookFeatures.DEFAULT_DELAY_DAYS;
    private static final int LABELLED_WINDOW = 500;

    @TempDir
    Path stateDir;

    @Test
    void gaugesOfALiveReplayEqualTheirHandComputedValues() throws Exception {
        RawEvents events = TransactionSimulator.simulate(new TransactionSimulator.Config(70, 100, 30,
                LocalDate.of(2018, 4, 1), 8, 21)).events();
        double[] offline = FeatureReplay.replay(events, DELAY);
        ModelBundle model = SmallRawModel.train(events, offline, LocalDate.of(2018, 4, 15), LocalDate.of(2018, 4, 28),
                DELAY);
        MonitoringReference ref = model.monitoring();
        assertThat(ref).as("the trainer writes the reference").isNotNull();
        assertThat(ref.features()).hasSize(model.schema().featureCount());

        Topics topics = Topics.defaults();
        MeterRegistry meters = new SimpleMeterRegistry();
        int window = events.size() + 100; // every event stays in the window
        ScorerMetrics metrics = new ScorerMetrics(meters, new ModelMonitoring.Windows(window, 1, LABELLED_WINDOW,
                1 << 16));
        Properties props = new Properties();
        props.put("application.id", "monitoring-topology-test");
        props.put("state.dir", stateDir.toString());
        props.put("bootstrap.servers", "unused:9092");
        Map<Long, JsonNode> out = new HashMap<>();
        int labelled = 0;
        try (TopologyTestDriver driver = new TopologyTestDriver(FraudTopology.build(new StreamsBuilder(),
                new ScorerConfig(topics, new Properties(), 16_384, 3), new ModelRegistry(model), metrics), props)) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(topics.input(), new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> labels = driver.createInputTopic(topics.labels(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            long delay = DELAY * HandbookFeatures.DAY;
            for (int i = 0; i < events.size(); i++) {
                for (; labelled < i && events.time(labelled) + delay <= events.time(i); labelled++) {
                    labels.pipeInput(new TestRecord<>(null, RawEventJson.label(events.id(labelled),
                            events.time(labelled), events.terminal(labelled), events.label(labelled) == 1),
                            Instant.ofEpochSecond(events.time(labelled) + delay)));
                }
                input.pipeInput(new TestRecord<>(Long.toString(events.id(i)).getBytes(StandardCharsets.US_ASCII),
                        RawEventJson.event(events.id(i), events.time(i), events.customer(i), events.terminal(i),
                                events.amount(i)), null, Instant.ofEpochSecond(events.time(i))));
            }
            for (String t : new String[] {topics.flagged(), topics.clean()}) {
                for (var r : driver.createOutputTopic(t, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                        .readRecordsToList()) {
                    JsonNode n = JSON.readTree(r.value());
                    out.put(n.get("id").asLong(), n);
                }
            }
        }
        assertThat(out).hasSize(events.size());
        String v = model.modelVersion();

        // PSI of every feature and of the score, by hand from the offline features and the written probabilities
        int f = model.schema().featureCount(); // handbook-v2: 17
        for (int j = 0; j < f; j++) {
            MonitoringReference.Bins b = ref.features().get(j);
            long[] counts = new long[b.binCount()];
            for (int i = 0; i < events.size(); i++) {
                counts[b.bin(offline[i * f + j])]++;
            }
            assertThat(meters.get("fraud.monitor.psi").tag("feature", b.name()).tag("model_version", v).gauge()
                    .value()).as("PSI of %s", b.name())
                    .isCloseTo(PopulationStability.psi(b.expected(), counts, 0, events.size()), within(1e-12));
        }
        long[] scoreCounts = new long[ref.score().binCount()];
        int flagged = 0;
        for (JsonNode n : out.values()) {
            scoreCounts[ref.score().bin(n.get("probability").asDouble())]++;
            flagged += n.get("decision").asText().equals("FLAGGED") ? 1 : 0;
        }
        double scorePsi = meters.get("fraud.monitor.score.psi").tag("model_version", v).gauge().value();
        assertThat(scorePsi).isCloseTo(PopulationStability.psi(ref.score().expected(), scoreCounts, 0,
                events.size()), within(1e-12));
        assertThat(meters.get("fraud.monitor.flag.rate").tag("model_version", v).gauge().value())
                .isEqualTo((double) flagged / events.size());
        System.out.printf("ModelMonitoringTopologyTest: %d events, score PSI %.4f, flag rate %.4f (reference %.4f)%n",
                events.size(), scorePsi, (double) flagged / events.size(), ref.flagRate());

        // Precision and recall over the last LABELLED_WINDOW labels, each matched with the decision written
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int k = Math.max(0, labelled - LABELLED_WINDOW); k < labelled; k++) {
            boolean wasFlagged = out.get(events.id(k)).get("decision").asText().equals("FLAGGED");
            boolean fraud = events.label(k) == 1; // labels were piped in event order
            tp += wasFlagged && fraud ? 1 : 0;
            fp += wasFlagged && !fraud ? 1 : 0;
            fn += !wasFlagged && fraud ? 1 : 0;
        }
        assertThat(labelled).isGreaterThan(LABELLED_WINDOW);
        assertThat(tp + fn).as("frauds among the labelled window").isPositive();
        assertThat(meters.get("fraud.monitor.labels").tag("decision", "known").counter().count()).isEqualTo(labelled);
        assertThat(meters.get("fraud.monitor.labelled.events").gauge().value()).isEqualTo(LABELLED_WINDOW);
        assertThat(meters.get("fraud.monitor.recall").gauge().value()).isEqualTo((double) tp / (tp + fn));
        assertThat(meters.get("fraud.monitor.reference.recall").tag("model_version", v).gauge().value())
                .isEqualTo(model.metrics().get("validation").get("recall"));
        double precision = meters.get("fraud.monitor.precision").gauge().value();
        if (tp + fp == 0) {
            assertThat(precision).isNaN();
        } else {
            assertThat(precision).isEqualTo((double) tp / (tp + fp));
        }
        System.out.printf("ModelMonitoringTopologyTest: %d labels, window precision %.3f recall %.3f%n", labelled,
                precision, (double) tp / (tp + fn));
    }
}
