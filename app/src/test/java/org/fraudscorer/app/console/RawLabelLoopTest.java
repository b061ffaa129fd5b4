package org.fraudscorer.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Properties;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ThresholdInfo;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.serde.RawEventJson;
import org.fraudscorer.scorer.server.ScorerMetrics;
import org.fraudscorer.scorer.topology.FraudTopology;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.events.EventPeriod;
import org.fraudscorer.trainer.events.FeatureReplay;
import org.fraudscorer.trainer.events.HandbookModels;
import org.fraudscorer.trainer.events.TransactionSimulator;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop the console closes, for raw payment events, through the scorer's own topology (TopologyTestDriver): a
 * flagged record becomes an alert, the analyst's verdict becomes a label, and the scorer's terminal stage matches
 * that label to its payment.
 */
class RawLabelLoopTest {
    @TempDir
    Path stateDir;

    @Test
    void shouldWriteALabelThatTheScorersTerminalStageMatchesToThePayment() throws Exception {
        // Given the raw-event topology serving a small handbook model that flags every payment
        int delay = HandbookFeatures.DEFAULT_DELAY_DAYS;
        RawEvents events = TransactionSimulator.simulate(new TransactionSimulator.Config(60, 120, 30,
                LocalDate.of(2018, 4, 1), 8, 17)).events();
        double[] offline = FeatureReplay.replay(events, delay);
        ModelBundle trained = HandbookModels.trainProcedure(events, offline,
                new EventPeriod(LocalDate.of(2018, 4, 22), LocalDate.of(2018, 4, 28)), delay,
                FraudModelTrainer.Options.defaults().withConfig(TrainerConfig.defaults().toBuilder().hidden(4).epochs(1)
                        .patience(0).seed(3).build()).withFolds(2).withEnsemble(1).withRefit(false),
                TrainingListener.NONE).bundle();
        ModelBundle model = new ModelBundle("loop-v1", trained.createdAt(), trained.schema(), trained.preprocessing(),
                trained.members(), new ThresholdInfo(1e-12, "flag-everything"), trained.seed(), trained.metrics(),
                trained.hyperparameters(), trained.provenance(), null).sealed();
        Topics topics = Topics.defaults();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ScorerMetrics metrics = new ScorerMetrics(meters);
        Properties props = new Properties();
        props.put("application.id", "raw-label-loop-test");
        props.put("state.dir", stateDir.toString());
        props.put("bootstrap.servers", "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(FraudTopology.build(new StreamsBuilder(),
                new ScorerConfig(topics, new Properties(), 16_384, 3), new ModelRegistry(model), metrics), props)) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(topics.input(), new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> labels = driver.createInputTopic(topics.labels(), new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<byte[], byte[]> flagged = driver.createOutputTopic(topics.flagged(),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            int[] order = events.timeOrder();
            for (int k = 0; k < 50; k++) {
                int i = order[k];
                input.pipeInput(new TestRecord<>(Long.toString(events.id(i)).getBytes(StandardCharsets.US_ASCII),
                        RawEventJson.event(events.id(i), events.time(i), events.customer(i), events.terminal(i),
                                events.amount(i)), Instant.ofEpochSecond(events.time(i))));
            }

            // When the console reads the flagged records and an analyst confirms the 10th
            AlertBuffer buffer = new AlertBuffer(100);
            for (byte[] value : flagged.readValuesToList()) {
                assertThat(buffer.add(value, System.currentTimeMillis())).isPresent();
            }
            assertThat(buffer.snapshot()).hasSize(50);
            Alert alert = buffer.snapshot().get(9);
            assertThat(alert.family()).isEqualTo(LabelFormat.RAW_EVENT);
            MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
                    new ByteArraySerializer());
            new LabelWriter(producer, topics.labels(), 100, System::currentTimeMillis)
                    .write(alert, Verdict.Action.CONFIRMED_FRAUD, "ana");
            ProducerRecord<String, byte[]> label = producer.history().get(0);
            labels.pipeInput(new TestRecord<>(label.key().getBytes(StandardCharsets.UTF_8), label.value(),
                    label.headers(), Instant.ofEpochSecond(events.time(order[49]))));

            // Then the terminal stage matched it to the payment (an unknown payment would count as unmatched)
            assertThat(meters.get("fraud.labels").tag("matched", "true").counter().count()).isEqualTo(1.0);
            assertThat(meters.get("fraud.labels").tag("matched", "false").counter().count()).isZero();
            assertThat(label.key()).isEqualTo(alert.terminal());
        }
    }
}
