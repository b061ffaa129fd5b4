package org.fraudscorer.scorer.topology;

import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.server.ScorerMetrics;

/** The production topology under TopologyTestDriver, with the byte-array input and output topics its tests use. */
final class TestedTopology implements AutoCloseable {
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> input;
    final TestOutputTopic<byte[], byte[]> flagged;
    final TestOutputTopic<byte[], byte[]> clean;
    final TestOutputTopic<byte[], byte[]> dlq;
    final TestOutputTopic<byte[], byte[]> shadow;

    TestedTopology(String applicationId, ScorerConfig config, ModelRegistry registry, ScorerMetrics metrics) {
        Properties props = new Properties();
        props.put("application.id", applicationId);
        props.put("bootstrap.servers", "unused:9092");
        driver = new TopologyTestDriver(FraudTopology.build(new StreamsBuilder(), config, registry, metrics), props);
        Topics t = config.topics();
        input = driver.createInputTopic(t.input(), new ByteArraySerializer(), new ByteArraySerializer());
        flagged = output(t.flagged());
        clean = output(t.clean());
        dlq = output(t.deadLetter());
        shadow = output(t.shadow());
    }

    private TestOutputTopic<byte[], byte[]> output(String topic) {
        return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        driver.close();
    }
}
