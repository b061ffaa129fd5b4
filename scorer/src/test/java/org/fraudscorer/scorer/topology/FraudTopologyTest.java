package org.fraudscorer.scorer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.common.model.ModelScorer;
import org.fraudscorer.common.model.ThresholdInfo;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.serde.BadEventCorpusTest;
import org.fraudscorer.scorer.serde.TransactionJson;
import org.fraudscorer.scorer.server.ScorerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The production topology, driven with real records through TopologyTestDriver. */
class FraudTopologyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FeatureSchema SCHEMA = FeatureSchema.CREDITCARD;

    private final Topics topics = Topics.defaults();
    private final double[][] rows = ModelFixtures.transactions(400, 99);
    private ModelBundle model;
    private ModelRegistry registry;
    private SimpleMeterRegistry meters;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> input;
    private TestOutputTopic<byte[], byte[]> flagged;
    private TestOutputTopic<byte[], byte[]> clean;
    private TestOutputTopic<byte[], byte[]> dlq;

    /** A fixture model whose threshold is the {@code quantile} of the fixture rows' probabilities. */
    static ModelBundle modelWithThreshold(long seed, double[][] rows, double quantile) {
        ModelBundle b = ModelFixtures.bundle(seed);
        ModelScorer s = b.newScorer();
        double[] p = Arrays.stream(rows).mapToDouble(s::probability).sorted().toArray();
        double t = p[(int) (quantile * (p.length - 1))];
        ModelBundle withThreshold = new ModelBundle("v" + seed, b.createdAt(), b.schema(), b.preprocessing(),
                b.network(), new ThresholdInfo(t, "fixed"), b.seed(), b.metrics(), b.hyperparameters(),
                b.provenance(), null);
        return withThreshold.sealed();
    }

    /** A fixture model whose schema has the creditcard fields under another name, "other-v1". */
    static ModelBundle withOtherSchema() {
        ModelBundle b = ModelFixtures.bundle(5);
        FeatureSchema other = new FeatureSchema("other-v1", SCHEMA.inputFields(), SCHEMA.ranges(), SCHEMA.features());
        return new ModelBundle("foreign", b.createdAt(), other,
                new org.fraudscorer.common.features.Preprocessing(other, b.preprocessing().means(), b.preprocessing().stds()),
                b.network(), b.threshold(), 1, null, null, null, null);
    }

    @BeforeEach
    void start() {
        model = modelWithThreshold(21, rows, 0.8);
        registry = new ModelRegistry(model);
        meters = new SimpleMeterRegistry();
        ScorerMetrics metrics = new ScorerMetrics(meters);
        registry.addListener(metrics);
        open(new ScorerConfig(topics, new Properties(), 16_384, 3), metrics);
    }

    /** (Re)creates the driver and its topics for {@code config}. */
    private void open(ScorerConfig config, ScorerMetrics metrics) {
        TestedTopology tested = new TestedTopology("fraud-topology-test", config, registry, metrics);
        driver = tested.driver;
        input = tested.input;
        flagged = tested.flagged;
        clean = tested.clean;
        dlq = tested.dlq;
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void send(String id, double[] row) {
        input.pipeInput(id.getBytes(StandardCharsets.UTF_8), TransactionJson.write(SCHEMA, id, row, null));
    }

    private static List<JsonNode> read(TestOutputTopic<byte[], byte[]> topic) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (TestRecord<byte[], byte[]> r : topic.readRecordsToList()) {
            out.add(JSON.readTree(r.value()));
        }
        return out;
    }

    @Test
    void shouldRouteEachEventByItsProbabilityAgainstTheThreshold() throws Exception {
        ModelScorer offline = model.newScorer();
        for (int i = 0; i < rows.length; i++) {
            send("tx-" + i, rows[i]);
        }
        List<JsonNode> f = read(flagged);
        List<JsonNode> c = read(clean);
        assertThat(read(dlq)).isEmpty();
        assertThat(f.size() + c.size()).isEqualTo(rows.length);
        long expectedFlagged = Arrays.stream(rows).filter(r -> offline.probability(r) >= model.threshold().value()).count();
        assertThat(f).hasSize((int) expectedFlagged);
        assertThat(expectedFlagged).isBetween(60L, 100L);
        for (JsonNode n : f) {
            int i = Integer.parseInt(n.get("id").asText().substring(3));
            assertThat(n.get("probability").asDouble()).isEqualTo(offline.probability(rows[i]))
                    .isGreaterThanOrEqualTo(model.threshold().value());
            assertThat(n.get("decision").asText()).isEqualTo("FLAGGED");
        }
        for (JsonNode n : c) {
            int i = Integer.parseInt(n.get("id").asText().substring(3));
            assertThat(n.get("probability").asDouble()).isEqualTo(offline.probability(rows[i]))
                    .isLessThan(model.threshold().value());
            assertThat(n.get("decision").asText()).isEqualTo("CLEAN");
            assertThat(n.has("topFeatures")).isFalse();
        }
        assertThat(meters.get("fraud.events").tag("outcome", "flagged").counter().count()).isEqualTo(f.size());
    }

    /**
     * A model whose network overflows (finite weights of 1e308, which its file's checks let through) gave NaN, which
     * failed {@code p >= threshold}: every event went to the clean topic, silently. Now each is a dead letter saying
     * why, and none is decided.
     */
    @Test
    void aModelThatGivesNoProbabilityDecidesNothingAndEachEventIsADeadLetterSayingWhy() throws Exception {
        driver.close();
        ModelBundle overflowing = ModelFixtures.overflowing().sealed();
        registry = new ModelRegistry(overflowing);
        open(new ScorerConfig(topics, new Properties(), 16_384, 3), new ScorerMetrics(meters));
        for (int i = 0; i < 20; i++) {
            send("tx-" + i, rows[i]);
        }
        assertThat(read(clean)).isEmpty();
        assertThat(read(flagged)).isEmpty();
        List<JsonNode> dead = read(dlq);
        assertThat(dead).hasSize(20).allSatisfy(d -> {
            assertThat(d.get("reason").asText()).isEqualTo("PROCESSING_ERROR");
            assertThat(d.get("detail").asText()).isEqualTo("NoProbabilityException: model "
                    + overflowing.modelVersion() + " gave no probability for this event (its network overflowed to "
                    + "NaN): no decision");
        });
    }

    @Test
    void everyRouteButShadowIsOneOfTheOutputTopicsInTheirOrder() {
        Topics t = new Topics("in", "out.f", "out.c", "out.d", "models", "labels", "in.s");
        assertThat(Arrays.stream(Routed.Route.values()).filter(r -> r != Routed.Route.SHADOW)
                .map(r -> FraudTopology.topic(r, t))).containsExactlyElementsOf(t.outputs());
        assertThat(FraudTopology.topic(Routed.Route.SHADOW, t)).isEqualTo(t.shadow()).isNotIn(t.outputs());
    }

    @Test
    void shouldFlagAnEventExactlyAtTheThreshold() throws Exception {
        // The threshold is the probability of one fixture row: "probability ≥ threshold" must flag that row.
        ModelScorer offline = model.newScorer();
        int at = IntStream.range(0, rows.length).boxed()
                .filter(i -> offline.probability(rows[i]) == model.threshold().value()).findFirst().orElseThrow();
        send("edge", rows[at]);
        assertThat(read(flagged)).singleElement().satisfies(n -> assertThat(n.get("id").asText()).isEqualTo("edge"));
        assertThat(read(clean)).isEmpty();
    }

    @Test
    void compactCleanRecordsDropTheEventAndKeepEverythingElseWhileFlaggedRecordsKeepIt() throws Exception {
        driver.close();
        open(new ScorerConfig(topics, new Properties(), 16_384, 3).withCompactClean(true),
                new ScorerMetrics(new SimpleMeterRegistry()));
        ModelScorer offline = model.newScorer();
        for (int i = 0; i < rows.length; i++) {
            send("tx-" + i, rows[i]);
        }
        List<TestRecord<byte[], byte[]>> cleanRecords = clean.readRecordsToList();
        List<JsonNode> f = read(flagged);
        assertThat(f).isNotEmpty();
        assertThat(cleanRecords).isNotEmpty();
        assertThat(f.size() + cleanRecords.size()).isEqualTo(rows.length);
        for (JsonNode n : f) {
            assertThat(n.has("event")).as("flagged records keep the event").isTrue();
            assertThat(n.get("topFeatures")).hasSize(3);
        }
        for (TestRecord<byte[], byte[]> r : cleanRecords) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            JsonNode n = JSON.readTree(r.value());
            int i = Integer.parseInt(key.substring("tx-".length()));
            assertThat(n.has("event")).as("compact clean record").isFalse();
            assertThat(n.get("id").asText()).isEqualTo(key); // keyed like the input, which holds the event
            assertThat(n.get("probability").asDouble()).isEqualTo(offline.probability(rows[i]));
            assertThat(n.get("decision").asText()).isEqualTo("CLEAN");
            assertThat(n.get("threshold").asDouble()).isEqualTo(model.threshold().value());
            assertThat(n.get("modelVersion").asText()).isEqualTo(model.modelVersion());
            assertThat(n.get("modelSha256").asText()).isEqualTo(model.sha256());
            assertThat(n.get("scoredAtMs").asLong()).isPositive();
            assertThat(n.size()).as(n.toString()).isEqualTo(8); // id … eventTimestampMs: nothing else
        }
    }

    @Test
    void shouldKeepTheInputEventAndAddScoringFields() throws Exception {
        ModelScorer offline = model.newScorer();
        int i = IntStream.range(0, rows.length).filter(k -> offline.probability(rows[k]) >= model.threshold().value())
                .findFirst().orElseThrow();
        byte[] raw = TransactionJson.write(SCHEMA, "abc-1", rows[i], 1);
        long eventTime = 1_700_000_000_000L;
        long before = System.currentTimeMillis();
        input.pipeInput(new TestRecord<>("k".getBytes(StandardCharsets.UTF_8), raw, java.time.Instant.ofEpochMilli(eventTime)));
        JsonNode out = read(flagged).get(0);
        assertThat(out.get("event")).isEqualTo(JSON.readTree(raw));
        assertThat(out.get("id").asText()).isEqualTo("abc-1");
        assertThat(out.get("threshold").asDouble()).isEqualTo(model.threshold().value());
        assertThat(out.get("modelVersion").asText()).isEqualTo(model.modelVersion());
        assertThat(out.get("modelSha256").asText()).isEqualTo(model.sha256()).hasSize(64);
        assertThat(out.get("eventTimestampMs").asLong()).isEqualTo(eventTime);
        assertThat(out.get("scoredAtMs").asLong()).isPositive();
        assertThat(out.get("scoredAtMs").asLong()).isBetween(before, System.currentTimeMillis());
        // top features: the 3 largest gradient × input contributions, in decreasing order
        double[] contributions = new double[SCHEMA.featureCount()];
        offline.probability(rows[i]);
        offline.contributions(contributions);
        List<Integer> expected = IntStream.range(0, contributions.length).boxed()
                .sorted(Comparator.comparingDouble((Integer j) -> contributions[j]).reversed()).limit(3).toList();
        JsonNode top = out.get("topFeatures");
        assertThat(top).hasSize(3);
        for (int k = 0; k < 3; k++) {
            assertThat(top.get(k).get("feature").asText()).isEqualTo(SCHEMA.featureNames().get(expected.get(k)));
            assertThat(top.get(k).get("contribution").asDouble()).isEqualTo(contributions[expected.get(k)]);
        }
    }

    @Test
    void shouldRouteEveryMalformedEventToTheDeadLetterTopicWithItsReasonAndKeepGoing() throws Exception {
        List<BadEventCorpusTest.Case> corpus = BadEventCorpusTest.corpus();
        assertThat(corpus.size()).isGreaterThanOrEqualTo(30);
        for (int k = 0; k < corpus.size(); k++) {
            input.pipeInput(("bad-" + k).getBytes(StandardCharsets.UTF_8), corpus.get(k).payload());
            send("good-" + k, rows[k]); // the stream keeps going after each bad event
        }
        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(corpus.size());
        for (int k = 0; k < corpus.size(); k++) {
            JsonNode d = JSON.readTree(dead.get(k).value());
            BadEventCorpusTest.Case c = corpus.get(k);
            assertThat(d.get("reason").asText()).as(c.name()).isEqualTo(c.expected().code());
            assertThat(d.get("detail").asText()).as(c.name()).isNotBlank();
            assertThat(d.get("sourceTopic").asText()).isEqualTo(topics.input());
            assertThat(d.get("sourcePartition").asInt()).isZero();
            assertThat(d.get("sourceOffset").asLong()).isEqualTo(2L * k);
            assertThat(d.get("modelVersion").asText()).isEqualTo(model.modelVersion());
            assertThat(new String(dead.get(k).key(), StandardCharsets.UTF_8)).isEqualTo("bad-" + k);
            if (c.payload() == null) {
                assertThat(d.get("rawEncoding").asText()).isEqualTo("null");
            } else if (d.get("rawEncoding").asText().equals("utf-8")) {
                byte[] kept = Arrays.copyOf(c.payload(), Math.min(c.payload().length, 64 * 1024));
                assertThat(d.get("raw").asText().getBytes(StandardCharsets.UTF_8)).as(c.name()).isEqualTo(kept);
            } else {
                assertThat(java.util.Base64.getDecoder().decode(d.get("raw").asText())).as(c.name())
                        .isEqualTo(c.payload());
            }
        }
        assertThat(read(flagged).size() + read(clean).size()).isEqualTo(corpus.size());
        assertThat(meters.get("fraud.events").tag("outcome", "dead_letter").counter().count()).isEqualTo(corpus.size());
    }

    @Test
    void shouldSwapToAPublishedModelBetweenRecordsAndRefuseABadOne() throws Exception {
        send("before", rows[0]);
        ModelBundle v2 = modelWithThreshold(22, rows, 0.5);
        assertThat(registry.offer(ModelFile.toBytes(v2), "test")).isTrue();
        send("after", rows[0]);
        byte[] tampered = ModelFile.toBytes(modelWithThreshold(23, rows, 0.5));
        String text = new String(tampered, StandardCharsets.UTF_8).replaceFirst("\"seed\" : 23", "\"seed\" : 24");
        assertThat(registry.offer(text.getBytes(StandardCharsets.UTF_8), "tampered")).isFalse();
        send("still-v2", rows[0]);
        List<JsonNode> all = new ArrayList<>(read(flagged));
        all.addAll(read(clean));
        all.sort(Comparator.comparingLong(n -> n.get("scoredAtMs").asLong()));
        assertThat(all).hasSize(3);
        JsonNode before = all.stream().filter(n -> n.get("id").asText().equals("before")).findFirst().orElseThrow();
        JsonNode after = all.stream().filter(n -> n.get("id").asText().equals("after")).findFirst().orElseThrow();
        JsonNode still = all.stream().filter(n -> n.get("id").asText().equals("still-v2")).findFirst().orElseThrow();
        assertThat(before.get("modelVersion").asText()).isEqualTo("v21");
        assertThat(before.get("probability").asDouble()).isEqualTo(model.newScorer().probability(rows[0]));
        assertThat(after.get("modelVersion").asText()).isEqualTo("v22");
        assertThat(after.get("modelSha256").asText()).isEqualTo(v2.sha256());
        assertThat(after.get("probability").asDouble()).isEqualTo(v2.newScorer().probability(rows[0]));
        assertThat(still.get("modelVersion").asText()).isEqualTo("v22");
        assertThat(registry.refusals()).singleElement().asString().contains("checksum");
        assertThat(meters.get("fraud.model.swaps").counter().count()).isEqualTo(1);
        assertThat(meters.get("fraud.model.refusals").counter().count()).isEqualTo(1);
    }

    /** A format-3 model (quantile-mapped inputs, 3 members) swapped in live scores as the bundle the trainer built. */
    @Test
    void aQuantileMappedEnsembleFromItsFileScoresAsTheTrainersBundle() throws Exception {
        ModelBundle e = ModelFixtures.quantileEnsemble(31, 3);
        double[] p = Arrays.stream(rows).mapToDouble(e.newScorer()::probability).sorted().toArray();
        ModelBundle q = new ModelBundle("q31", e.createdAt(), e.schema(), e.preprocessing(), e.members(),
                new ThresholdInfo(p[(int) (0.8 * (p.length - 1))], "fixed"), e.seed(), e.metrics(),
                e.hyperparameters(), e.provenance(), null);
        byte[] file = ModelFile.toBytes(q);
        assertThat(new String(file, StandardCharsets.UTF_8)).contains("\"formatVersion\" : 3");
        assertThat(registry.offer(file, "test")).isTrue();
        ModelScorer offline = q.newScorer();
        for (int i = 0; i < rows.length; i++) {
            send("tx-" + i, rows[i]);
        }
        List<JsonNode> all = new ArrayList<>(read(flagged));
        int flaggedCount = all.size();
        all.addAll(read(clean));
        assertThat(all).hasSize(rows.length);
        assertThat(flaggedCount).isBetween(60, 100);
        for (JsonNode n : all) {
            int i = Integer.parseInt(n.get("id").asText().substring(3));
            assertThat(n.get("modelVersion").asText()).isEqualTo("q31");
            assertThat(n.get("probability").asDouble()).isEqualTo(offline.probability(rows[i]));
        }
    }

    @Test
    void shouldSendRecordsStampedInTheFutureToTheDeadLetterTopic() throws Exception {
        long now = System.currentTimeMillis();
        byte[] event = TransactionJson.write(SCHEMA, "late", rows[0], null);
        input.pipeInput(new TestRecord<>("f".getBytes(StandardCharsets.UTF_8), event, java.time.Instant.ofEpochMilli(now + 3_600_000)));
        input.pipeInput(new TestRecord<>("ok".getBytes(StandardCharsets.UTF_8), event, java.time.Instant.ofEpochMilli(now + 60_000)));
        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(1); // only the hour-ahead record
        JsonNode d = JSON.readTree(dead.get(0).value());
        assertThat(d.get("reason").asText()).isEqualTo("FUTURE_TIMESTAMP");
        assertThat(d.get("detail").asText()).contains("ahead of the scorer's clock");
        assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("f");
        assertThat(read(flagged).size() + read(clean).size()).isEqualTo(1); // one minute of skew is tolerated
    }

    @Test
    void anEventWhoseKeyOrHeadersAreTooLargeToCarryIsADeadLetterWithoutItsHeadersOrValue() throws Exception {
        byte[] event = TransactionJson.write(SCHEMA, "e", rows[0], null);
        org.apache.kafka.common.header.internals.RecordHeaders big = new org.apache.kafka.common.header.internals.RecordHeaders();
        big.add("blob", new byte[20_000]);
        input.pipeInput(new TestRecord<>(new byte[20_000], event)); // a 20 KB key
        input.pipeInput(new TestRecord<>("h".getBytes(StandardCharsets.UTF_8), event, big)); // 20 KB of headers
        input.pipeInput(new TestRecord<>("ok".getBytes(StandardCharsets.UTF_8), event));
        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(2);
        JsonNode key = JSON.readTree(dead.get(0).value());
        assertThat(key.get("reason").asText()).isEqualTo("OVERSIZE");
        assertThat(key.get("detail").asText()).startsWith("the record's key (20000 bytes) and headers (0 bytes)")
                .contains("over the 16384-byte limit");
        assertThat(dead.get(0).key()).as("a key over the limit is not written").isNull();
        JsonNode headers = JSON.readTree(dead.get(1).value());
        assertThat(headers.get("detail").asText()).startsWith("the record's key (1 bytes) and headers (20006 bytes)");
        assertThat(new String(dead.get(1).key(), StandardCharsets.UTF_8)).as("a small key is kept").isEqualTo("h");
        assertThat(dead.get(1).headers().toArray()).as("written without the headers").isEmpty();
        assertThat(headers.get("sourcePartition").asInt()).isEqualTo(0);
        assertThat(read(flagged).size() + read(clean).size()).isEqualTo(1); // the stream goes on
    }

    @Test
    void shouldSendRecordsOlderThanTheConfiguredMaximumAgeToTheDeadLetterTopic() throws Exception {
        driver.close();
        open(new ScorerConfig(topics, new Properties(), 16_384, 3, 300_000, 86_400_000),
                new ScorerMetrics(new SimpleMeterRegistry()));
        long now = System.currentTimeMillis();
        byte[] event = TransactionJson.write(SCHEMA, "old", rows[0], null);
        input.pipeInput(new TestRecord<>("o".getBytes(StandardCharsets.UTF_8), event, java.time.Instant.ofEpochMilli(now - 2 * 86_400_000L)));
        input.pipeInput(new TestRecord<>("n".getBytes(StandardCharsets.UTF_8), event, java.time.Instant.ofEpochMilli(now - 3_600_000L)));
        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(1); // only the two-day-old record
        assertThat(JSON.readTree(dead.get(0).value()).get("reason").asText()).isEqualTo("STALE_TIMESTAMP");
        assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("o");
        assertThat(read(flagged).size() + read(clean).size()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAModelWithAnotherFeatureSchema() {
        assertThat(registry.offer(ModelFile.toBytes(withOtherSchema()), "foreign")).isFalse();
        assertThat(registry.current().modelVersion()).isEqualTo("v21");
        assertThat(registry.refusals()).singleElement().asString().contains("feature schema other-v1");
    }
}
