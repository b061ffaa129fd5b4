package org.fraudscorer.scorer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.cumulative.CumulativeDistributionSummary;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.Preprocessing;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.common.nn.Activation;
import org.fraudscorer.common.nn.MLP;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.serde.RawEventJson;
import org.fraudscorer.scorer.serde.RejectReason;
import org.fraudscorer.scorer.serde.TransactionJson;
import org.fraudscorer.scorer.server.ScorerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every dead letter, whatever the event family and the stage that made it (a parser, the timestamp guard, a
 * feature stage, scoring), carries the same envelope — the same fields in the same order, the reason spelled as
 * {@link RejectReason#code()} — and no raw-event dead letter travels through a repartition topic.
 */
class DeadLetterRouteTest {
    /** The dead-letter JSON of a record with a value, field by field, in order (consumers read these names). */
    static final List<String> ENVELOPE = List.of("reason", "detail", "sourceTopic", "sourcePartition", "sourceOffset",
            "recordTimestamp", "rejectedAt", "modelVersion", "raw", "rawEncoding", "rawBytes", "rawTruncated");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = "dead-letter-route-test";

    @TempDir
    Path stateDir;

    private final Topics topics = Topics.defaults();
    private final List<TopologyTestDriver> drivers = new ArrayList<>();

    @AfterEach
    void close() {
        drivers.forEach(TopologyTestDriver::close);
    }

    private TopologyTestDriver driver(ModelBundle model, MeterRegistry meters) {
        ScorerConfig config = new ScorerConfig(topics, new Properties(), 16_384, 3);
        Properties props = new Properties();
        props.put("application.id", APP);
        props.put("state.dir", stateDir.resolve("d" + drivers.size()).toString());
        props.put("bootstrap.servers", "unused:9092");
        Topology topology = FraudTopology.build(new StreamsBuilder(), config, new ModelRegistry(model),
                new ScorerMetrics(meters));
        TopologyTestDriver d = new TopologyTestDriver(topology, props);
        drivers.add(d);
        return d;
    }

    private TestInputTopic<byte[], byte[]> in(TopologyTestDriver d, String topic) {
        return d.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private TestOutputTopic<byte[], byte[]> out(TopologyTestDriver d, String topic) {
        return d.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Checks one dead letter's envelope and origin.
     *
     * @return the dead letter's JSON
     */
    private JsonNode assertEnvelope(TestRecord<byte[], byte[]> r, RejectReason reason, String key, String topic,
                                    long offset, byte[] raw, ModelBundle model) throws Exception {
        JsonNode d = JSON.readTree(r.value());
        List<String> fields = new ArrayList<>();
        d.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("fields of a %s dead letter", reason).isEqualTo(ENVELOPE);
        assertThat(d.get("reason").asText()).isEqualTo(reason.code());
        assertThat(d.get("detail").asText()).isNotBlank();
        assertThat(d.get("sourceTopic").asText()).isEqualTo(topic);
        assertThat(d.get("sourcePartition").asInt()).isZero();
        assertThat(d.get("sourceOffset").asLong()).as("offset of the %s dead letter", reason).isEqualTo(offset);
        assertThat(d.get("recordTimestamp").asLong()).isEqualTo(r.timestamp());
        assertThat(Instant.parse(d.get("rejectedAt").asText())).isNotNull();
        assertThat(d.get("modelVersion").asText()).isEqualTo(model.modelVersion());
        assertThat(d.get("raw").asText()).isEqualTo(new String(raw, StandardCharsets.UTF_8));
        assertThat(d.get("rawEncoding").asText()).isEqualTo("utf-8");
        assertThat(d.get("rawBytes").asInt()).isEqualTo(raw.length);
        assertThat(d.get("rawTruncated").asBoolean()).isFalse();
        assertThat(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8)).as("key").isEqualTo(key);
        return d;
    }

    @Test
    void creditcardDeadLettersOfEveryRouteCarryOneEnvelope() throws Exception {
        ModelBundle model = ModelFile.fromBytes(ModelFile.toBytes(ModelFixtures.bundle(5)), "fixture");
        double[] row = ModelFixtures.transactions(1, 5)[0];
        byte[] good = TransactionJson.write(FeatureSchema.CREDITCARD, "e", row, null);
        byte[] malformed = ascii("{\"Time\": 1, \"V1\": ");
        long now = System.currentTimeMillis();

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TopologyTestDriver d = driver(model, meters);
        TestInputTopic<byte[], byte[]> input = in(d, topics.input());
        input.pipeInput(new TestRecord<>(ascii("m"), malformed, Instant.ofEpochMilli(now)));
        input.pipeInput(new TestRecord<>(ascii("f"), good, Instant.ofEpochMilli(now + 3_600_000)));
        var dead = out(d, topics.deadLetter()).readRecordsToList();
        assertThat(dead).hasSize(2);
        assertEnvelope(dead.get(0), RejectReason.MALFORMED_JSON, "m", topics.input(), 0, malformed, model);
        assertEnvelope(dead.get(1), RejectReason.FUTURE_TIMESTAMP, "f", topics.input(), 1, good, model);
        assertThat(meters.get("fraud.dead_letters").tag("reason", "MALFORMED_JSON").counter().count()).isEqualTo(1);

        // scoring throws (here: recording the probability): the record is a PROCESSING_ERROR dead letter
        SimpleMeterRegistry failing = new FailingProbabilityMeters();
        TopologyTestDriver e = driver(model, failing);
        in(e, topics.input()).pipeInput(new TestRecord<>(ascii("p"), good, Instant.ofEpochMilli(now)));
        var failed = out(e, topics.deadLetter()).readRecordsToList();
        assertThat(failed).hasSize(1);
        JsonNode p = assertEnvelope(failed.get(0), RejectReason.PROCESSING_ERROR, "p", topics.input(), 0, good, model);
        assertThat(p.get("detail").asText()).isEqualTo("IllegalStateException: injected");
        assertThat(failing.get("fraud.dead_letters").tag("reason", "PROCESSING_ERROR").counter().count()).isEqualTo(1);
        assertThat(out(e, topics.flagged()).readRecordsToList()).isEmpty();
        assertThat(out(e, topics.clean()).readRecordsToList()).isEmpty();
    }

    @Test
    void rawEventDeadLettersOfEveryStageCarryOneEnvelopeAndNoneCrossesARepartitionTopic() throws Exception {
        ModelBundle model = handbookModel();
        long day = 17_622L * 86_400; // 2018-04-01
        long now = System.currentTimeMillis();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TopologyTestDriver d = driver(model, meters);
        TestInputTopic<byte[], byte[]> events = in(d, topics.input());
        TestInputTopic<byte[], byte[]> labels = in(d, topics.labels());

        byte[] first = RawEventJson.event(1, day + 100, 10, 20, 12.5);
        byte[] missing = ascii("{\"TRANSACTION_ID\":1}");
        byte[] badLabel = ascii("{\"TRANSACTION_ID\":1,\"TERMINAL_ID\":20,\"TX_DATETIME\":0,\"TX_FRAUD\":7}");
        byte[] future = RawEventJson.event(2, day + 200, 10, 20, 3.0);
        byte[] brokenCustomer = RawEventJson.event(3, day + 300, 11, 21, 4.0);
        byte[] brokenTerminal = RawEventJson.event(4, day + 400, 12, 22, 5.0);
        events.pipeInput(new TestRecord<>(ascii("k1"), first, Instant.ofEpochMilli(now)));                 // offset 0
        events.pipeInput(new TestRecord<>(ascii("bad"), missing, Instant.ofEpochMilli(now)));              // offset 1
        labels.pipeInput(new TestRecord<>(ascii("bad-label"), badLabel, Instant.ofEpochMilli(now)));       // offset 0
        events.pipeInput(new TestRecord<>(ascii("k2"), future, Instant.ofEpochMilli(now + 3_600_000)));    // offset 2
        // corrupt stored histories make the customer stage (card 11) and the terminal stage (terminal 22) throw
        d.<Long, byte[]>getKeyValueStore(CustomerStage.STORE).put(11L, new byte[] {9});
        d.<org.apache.kafka.common.utils.Bytes, byte[]>getKeyValueStore(TerminalStage.STORE)
                .put(TerminalDays.legacyKey(22L), new byte[] {9});
        events.pipeInput(new TestRecord<>(ascii("k3"), brokenCustomer, Instant.ofEpochMilli(now)));        // offset 3
        events.pipeInput(new TestRecord<>(ascii("k4"), brokenTerminal, Instant.ofEpochMilli(now)));        // offset 4
        labels.pipeInput(new TestRecord<>(null, RawEventJson.label(1, day + 100, 20, true), Instant.ofEpochMilli(now)));

        var dead = out(d, topics.deadLetter()).readRecordsToList();
        assertThat(dead).hasSize(5);
        assertEnvelope(dead.get(0), RejectReason.MISSING_FIELD, "bad", topics.input(), 1, missing, model);
        assertEnvelope(dead.get(1), RejectReason.OUT_OF_RANGE, "bad-label", topics.labels(), 0, badLabel, model);
        assertEnvelope(dead.get(2), RejectReason.FUTURE_TIMESTAMP, "k2", topics.input(), 2, future, model);
        // past intake a dead letter is keyed by its transaction id, as the scored records are
        JsonNode c = assertEnvelope(dead.get(3), RejectReason.PROCESSING_ERROR, "3", topics.input(), 3, brokenCustomer,
                model);
        assertThat(c.get("detail").asText()).contains("customer history");
        JsonNode t = assertEnvelope(dead.get(4), RejectReason.PROCESSING_ERROR, "4", topics.input(), 4, brokenTerminal,
                model);
        assertThat(t.get("detail").asText()).contains("terminal history");
        assertThat(out(d, topics.flagged()).readRecordsToList().size()
                + out(d, topics.clean()).readRecordsToList().size()).isEqualTo(1);
        assertThat(meters.get("fraud.dead_letters").tag("reason", "PROCESSING_ERROR").counter().count()).isEqualTo(2);

        // The repartition topics carried the live records only: events 1, 3, 4 by customer; 1, 4 and a label by
        // terminal (event 3 failed before it). None is a dead letter (the serde would also have refused one).
        assertThat(kinds(d, "by-customer")).containsExactly(Staged.EVENT, Staged.EVENT, Staged.EVENT);
        assertThat(kinds(d, "by-terminal")).containsExactly(Staged.EVENT, Staged.EVENT, Staged.LABEL);

        // scoring throws: a PROCESSING_ERROR dead letter with the origin intake recorded
        TopologyTestDriver e = driver(model, new FailingProbabilityMeters());
        in(e, topics.input()).pipeInput(new TestRecord<>(ascii("k1"), first, Instant.ofEpochMilli(now)));
        var failed = out(e, topics.deadLetter()).readRecordsToList();
        assertThat(failed).hasSize(1);
        assertEnvelope(failed.get(0), RejectReason.PROCESSING_ERROR, "1", topics.input(), 0, first, model);
        assertThat(kinds(e, "by-terminal")).containsExactly(Staged.EVENT);
    }

    /**
     * The longest application id the commands take ({@link ScorerConfig#applicationIdProblem}) still names every
     * internal topic of the raw-event topology (repartitions, store changelogs) within Kafka's 249 characters: a store
     * or repartition renamed longer fails here, not in a deployment with a long id.
     */
    @Test
    void theLongestApplicationIdStillNamesEveryInternalTopic() {
        String id = "i".repeat(ScorerConfig.MAX_APPLICATION_ID_LENGTH);
        assertThat(ScorerConfig.applicationIdProblem(id)).isNull();
        assertThat(ScorerConfig.applicationIdProblem(id + "i")).contains("1 to 200 letters");
        assertThat(ScorerConfig.applicationIdProblem("a b")).startsWith("invalid application id 'a b'");
        assertThat(ScorerConfig.applicationIdProblem("..")).isNotNull();
        TopologyDescription description = FraudTopology.build(new StreamsBuilder(),
                new ScorerConfig(topics, new Properties(), 16_384, 3), new ModelRegistry(handbookModel()),
                new ScorerMetrics(new SimpleMeterRegistry())).describe();
        Set<String> internal = new HashSet<>();
        for (TopologyDescription.Subtopology s : description.subtopologies()) {
            for (TopologyDescription.Node n : s.nodes()) {
                if (n instanceof TopologyDescription.Sink sink && sink.topic() != null
                        && sink.topic().endsWith("-repartition")) {
                    internal.add(id + "-" + sink.topic());
                }
                if (n instanceof TopologyDescription.Processor p) {
                    p.stores().forEach(store -> internal.add(id + "-" + store + "-changelog"));
                }
            }
        }
        assertThat(internal).hasSizeGreaterThanOrEqualTo(4)
                .anyMatch(t -> t.endsWith("-" + FraudTopology.TERMINAL_STORE + "-changelog"))
                .allSatisfy(t -> assertThat(Topics.nameProblem(t)).as(t).isNull());
    }

    @Test
    void inTheRawEventTopologyEveryStageThatMakesDeadLettersIsFollowedByItsExitBeforeAnyRepartition() {
        ScorerConfig config = new ScorerConfig(topics, new Properties(), 16_384, 3);
        TopologyDescription description = FraudTopology.build(new StreamsBuilder(), config,
                new ModelRegistry(handbookModel()), new ScorerMetrics(new SimpleMeterRegistry())).describe();
        List<String> stages = List.of("events-parse", "labels-parse", "customer-features", "terminal-features");
        int repartitionSinks = 0;
        Set<String> dlqSinks = new HashSet<>();
        for (TopologyDescription.Subtopology s : description.subtopologies()) {
            for (TopologyDescription.Node n : s.nodes()) {
                if (n instanceof TopologyDescription.Sink sink && topics.deadLetter().equals(sink.topic())) {
                    dlqSinks.add(sink.name());
                }
                if (n instanceof TopologyDescription.Sink sink && sink.topic() != null
                        && sink.topic().endsWith("-repartition")) {
                    repartitionSinks++;
                    // every path from a source to the repartition sink passes the exit of each stage it passes
                    for (List<String> path : pathsTo(n)) {
                        for (String stage : stages) {
                            if (path.contains(stage)) {
                                assertThat(path).as("path %s to %s", path, sink.topic())
                                        .contains(exitOf(stage));
                            }
                        }
                    }
                }
            }
        }
        assertThat(repartitionSinks).isEqualTo(2);
        // the DLQ's writers: one exit per stage; scoring's dead letters leave by the route sink with the scored records
        assertThat(dlqSinks).containsExactlyInAnyOrder("events-dead-letter-sink", "labels-dead-letter-sink",
                "customer-features-dead-letter-sink", "terminal-features-dead-letter-sink");
    }

    private static String exitOf(String stage) {
        return (stage.endsWith("-parse") ? stage.substring(0, stage.length() - "-parse".length()) : stage) + "-live";
    }

    /** Every path (node names, sink last) from a node without predecessors to {@code n}. */
    private static List<List<String>> pathsTo(TopologyDescription.Node n) {
        List<List<String>> out = new ArrayList<>();
        if (n.predecessors().isEmpty()) {
            out.add(new ArrayList<>(List.of(n.name())));
            return out;
        }
        for (TopologyDescription.Node p : n.predecessors()) {
            for (List<String> path : pathsTo(p)) {
                path.add(n.name());
                out.add(path);
            }
        }
        return out;
    }

    /** The kinds of the records written to one repartition topic of the raw-event topology. */
    private static List<Byte> kinds(TopologyTestDriver d, String repartition) {
        List<Byte> kinds = new ArrayList<>();
        for (TestRecord<byte[], byte[]> r : d.createOutputTopic(APP + "-" + repartition + "-repartition",
                new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList()) {
            kinds.add(Staged.SERDE.deserializer().deserialize(repartition, r.value()).kind());
        }
        return kinds;
    }

    /** A one-network model of the handbook schema: the topology becomes the raw-event one. */
    private static ModelBundle handbookModel() {
        FeatureSchema s = FeatureSchema.HANDBOOK_V1;
        double[] means = new double[s.featureCount()];
        double[] stds = new double[s.featureCount()];
        Arrays.fill(stds, 1.0);
        MLP net = MLP.build(new int[] {s.featureCount(), 4, 1}, Activation.RELU, 0.0, 3L);
        ModelBundle f = ModelFixtures.bundle(1);
        return ModelFile.fromBytes(ModelFile.toBytes(new ModelBundle("hb", f.createdAt(), s,
                new Preprocessing(s, means, stds), net, f.threshold(), 3L, null, null, null, null)), "fixture");
    }

    /** Meters whose probability summary throws: every scored record fails after its features were computed. */
    private static final class FailingProbabilityMeters extends SimpleMeterRegistry {
        @Override
        protected DistributionSummary newDistributionSummary(Meter.Id id, DistributionStatisticConfig config,
                                                             double scale) {
            if (!id.getName().equals("fraud.probability")) {
                return super.newDistributionSummary(id, config, scale);
            }
            return new CumulativeDistributionSummary(id, clock, config, scale, false) {
                @Override
                protected void recordNonNegative(double amount) {
                    throw new IllegalStateException("injected");
                }
            };
        }
    }
}
