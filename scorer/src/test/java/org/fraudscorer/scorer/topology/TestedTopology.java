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

/**
 * The production topology under TopologyTestDriver, with the byte-array input and output topics its tests use: one
 * per topic of {@link Topics}, so that a topic added there is added to every topology test here.
 */
final class TestedTopology implements AutoCloseable {
    final TopologyTestDriver driver;
    final org.apache.kafka.streams.Topology topology;
    final TestInputTopic<byte[], byte[]> input;
    /** Label feedback (read by the raw-event topology only). */
    final TestInputTopic<byte[], byte[]> labels;
    final TestOutputTopic<byte[], byte[]> flagged;
    final TestOutputTopic<byte[], byte[]> clean;
    final TestOutputTopic<byte[], byte[]> dlq;
    final TestOutputTopic<byte[], byte[]> shadow;

    TestedTopology(String applicationId, ScorerConfig config, ModelRegistry registry, ScorerMetrics metrics) {
        this(driverProperties(applicationId), config, registry, metrics, StoreLimits.of(config));
    }

    /**
     * @param props  the driver's properties ({@link #driverProperties}, with a state directory of its own where the
     *               topology keeps state: the default /tmp/kafka-streams is shared by every run on the machine)
     * @param limits how much one record of each raw-event store holds
     */
    TestedTopology(Properties props, ScorerConfig config, ModelRegistry registry, ScorerMetrics metrics,
                   StoreLimits limits) {
        topology = FraudTopology.build(new StreamsBuilder(), config, registry, metrics, limits);
        driver = new TopologyTestDriver(topology, props);
        Topics t = config.topics();
        input = driver.createInputTopic(t.input(), new ByteArraySerializer(), new ByteArraySerializer());
        labels = driver.createInputTopic(t.labels(), new ByteArraySerializer(), new ByteArraySerializer());
        flagged = output(t.flagged());
        clean = output(t.clean());
        dlq = output(t.deadLetter());
        shadow = output(t.shadow());
    }

    /** An application id and an unused bootstrap address: what the driver needs. */
    static Properties driverProperties(String applicationId) {
        Properties props = new Properties();
        props.put("application.id", applicationId);
        props.put("bootstrap.servers", "unused:9092");
        return props;
    }

    private TestOutputTopic<byte[], byte[]> output(String topic) {
        return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        driver.close();
    }
}
