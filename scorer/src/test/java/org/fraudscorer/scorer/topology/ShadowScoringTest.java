package org.fraudscorer.scorer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.common.model.ModelScorer;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.serde.TransactionJson;
import org.fraudscorer.scorer.server.ScorerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shadow scoring on the production topology through TopologyTestDriver: the champion routes every record as it would
 * alone, the challenger's decision only reaches the shadow topic and the shadow meters, exactly once per scored
 * event; a demoted or refused challenger leaves no shadow record.
 */
class ShadowScoringTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FeatureSchema SCHEMA = FeatureSchema.CREDITCARD;

    private final Topics topics = Topics.defaults();
    private final double[][] rows = ModelFixtures.transactions(400, 99);
    /** Flags the 20% of rows with the highest probability under its network. */
    private final ModelBundle champion = FraudTopologyTest.modelWithThreshold(21, rows, 0.8);
    /** Another network and threshold (flags 30%): it disagrees with the champion on many rows. */
    private final ModelBundle challenger = FraudTopologyTest.modelWithThreshold(22, rows, 0.7);
    private ModelRegistry registry;
    private SimpleMeterRegistry meters;
    private TestedTopology tested;

    @BeforeEach
    void start() {
        start(new ScorerConfig(topics, new Properties(), 16_384, 3));
    }

    private void start(ScorerConfig config) {
        registry = new ModelRegistry(champion);
        meters = new SimpleMeterRegistry();
        ScorerMetrics metrics = new ScorerMetrics(meters);
        registry.addListener(metrics);
        registry.addListener(metrics.shadow());
        tested = new TestedTopology("shadow-scoring-test", config, registry, metrics);
    }

    @AfterEach
    void stop() {
        tested.close();
    }

    private void sendAll() {
        for (int i = 0; i < rows.length; i++) {
            tested.input.pipeInput(("tx-" + i).getBytes(StandardCharsets.UTF_8),
                    TransactionJson.write(SCHEMA, "tx-" + i, rows[i], null));
        }
    }

    /** Every record of a topic as text, the wall-clock field zeroed: the only field that may differ between runs. */
    private static List<String> withoutScoringTime(TestOutputTopic<byte[], byte[]> topic) {
        List<String> out = new ArrayList<>();
        for (TestRecord<byte[], byte[]> r : topic.readRecordsToList()) {
            out.add(new String(r.key(), StandardCharsets.UTF_8) + " " + new String(r.value(), StandardCharsets.UTF_8)
                    .replaceFirst("\"scoredAtMs\":\\d+", "\"scoredAtMs\":0"));
        }
        return out;
    }

    private double count(String name, String tag, String value) {
        return meters.get(name).tag(tag, value).counter().count();
    }

    @Test
    void shouldRecordNothingOnTheShadowTopicWithoutAChallenger() {
        sendAll();
        assertThat(tested.flagged.getQueueSize() + tested.clean.getQueueSize()).isEqualTo(rows.length);
        assertThat(tested.shadow.isEmpty()).isTrue();
        assertThat(meters.get("fraud.shadow.events").counter().count()).isZero();
        assertThat(meters.get("fraud.shadow.challenger.active").gauge().value()).isZero();
        assertThat(meters.find("fraud.shadow.challenger.info").gauges()).as("no challenger, no info series").isEmpty();
    }

    /** One info series, the serving model's: a swap removes the previous one (weekly swaps must not pile up). */
    @Test
    void onlyTheServingModelKeepsAnInfoSeries() {
        assertThat(registry.offer(ModelFile.toBytes(challenger), "test")).isTrue(); // the challenger's file as champion
        assertThat(meters.find("fraud.model.info").gauges()).singleElement()
                .satisfies(g -> assertThat(g.getId().getTag("version")).isEqualTo(challenger.modelVersion()))
                .satisfies(g -> assertThat(g.value()).isEqualTo(1));
        assertThat(registry.offer(ModelFile.toBytes(champion), "test")).isTrue();
        assertThat(meters.find("fraud.model.info").gauges()).singleElement()
                .satisfies(g -> assertThat(g.getId().getTag("version")).isEqualTo(champion.modelVersion()));
    }

    @Test
    void shouldLeaveTheChampionsOutputByteIdenticalWhileAChallengerShadowsIt() {
        sendAll();
        List<String> aloneFlagged = withoutScoringTime(tested.flagged);
        List<String> aloneClean = withoutScoringTime(tested.clean);
        assertThat(registry.offerChallenger(ModelFile.toBytes(challenger), "test")).isTrue();
        sendAll();
        assertThat(withoutScoringTime(tested.flagged)).isEqualTo(aloneFlagged);
        assertThat(withoutScoringTime(tested.clean)).isEqualTo(aloneClean);
        assertThat(aloneFlagged).hasSizeBetween(60, 100); // the comparison covers both routes
        assertThat(tested.shadow.getQueueSize()).isEqualTo(rows.length);
    }

    @Test
    void shouldRecordBothDecisionsOncePerEventAndCountAgreementExactly() throws Exception {
        assertThat(registry.offerChallenger(ModelFile.toBytes(challenger), "test")).isTrue();
        sendAll();
        ModelScorer a = champion.newScorer();
        ModelScorer b = challenger.newScorer();
        int[] expected = new int[4]; // both clean, champion only, challenger only, both flagged
        for (double[] row : rows) {
            expected[(a.flagged(a.probability(row)) ? 1 : 0) + (b.flagged(b.probability(row)) ? 2 : 0)]++;
        }
        List<TestRecord<byte[], byte[]>> records = tested.shadow.readRecordsToList();
        assertThat(records).hasSize(rows.length);
        int routedFlagged = 0;
        for (int i = 0; i < rows.length; i++) {
            TestRecord<byte[], byte[]> r = records.get(i);
            JsonNode n = JSON.readTree(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("tx-" + i);
            assertThat(n.get("id").asText()).isEqualTo("tx-" + i);
            double p = a.probability(rows[i]);
            double q = b.probability(rows[i]);
            assertThat(n.at("/champion/modelVersion").asText()).isEqualTo(champion.modelVersion());
            assertThat(n.at("/champion/modelSha256").asText()).isEqualTo(champion.sha256());
            assertThat(n.at("/champion/probability").asDouble()).isEqualTo(p);
            assertThat(n.at("/champion/decision").asText()).isEqualTo(a.flagged(p) ? "FLAGGED" : "CLEAN");
            assertThat(n.at("/challenger/modelVersion").asText()).isEqualTo(challenger.modelVersion());
            assertThat(n.at("/challenger/probability").asDouble()).isEqualTo(q);
            assertThat(n.at("/challenger/threshold").asDouble()).isEqualTo(challenger.threshold().value());
            assertThat(n.at("/challenger/decision").asText()).isEqualTo(b.flagged(q) ? "FLAGGED" : "CLEAN");
            assertThat(n.get("agree").asBoolean()).isEqualTo(a.flagged(p) == b.flagged(q));
            routedFlagged += a.flagged(p) ? 1 : 0;
        }
        // routing is the champion's alone: a challenger-only flag is a clean record
        List<JsonNode> f = new ArrayList<>();
        for (TestRecord<byte[], byte[]> r : tested.flagged.readRecordsToList()) {
            f.add(JSON.readTree(r.value()));
        }
        assertThat(f).hasSize(routedFlagged).allSatisfy(n ->
                assertThat(n.get("modelVersion").asText()).isEqualTo(champion.modelVersion()));
        assertThat(tested.clean.getQueueSize()).isEqualTo(rows.length - routedFlagged);
        assertThat(expected[1] + expected[2]).as("the fixture models disagree").isGreaterThan(20);
        assertThat(count("fraud.shadow.decisions", "decisions", "both_clean")).isEqualTo(expected[0]);
        assertThat(count("fraud.shadow.decisions", "decisions", "champion_only")).isEqualTo(expected[1]);
        assertThat(count("fraud.shadow.decisions", "decisions", "challenger_only")).isEqualTo(expected[2]);
        assertThat(count("fraud.shadow.decisions", "decisions", "both_flagged")).isEqualTo(expected[3]);
        assertThat(meters.get("fraud.shadow.events").counter().count()).isEqualTo(rows.length);
        assertThat(meters.get("fraud.shadow.flag.rate").tag("model", "challenger").gauge().value())
                .isEqualTo((expected[2] + expected[3]) / (double) rows.length);
        assertThat(meters.get("fraud.shadow.agreement").gauge().value())
                .isEqualTo((expected[0] + expected[3]) / (double) rows.length);
        assertThat(meters.get("fraud.events").tag("outcome", "flagged").counter().count()).isEqualTo(routedFlagged);
        assertThat(meters.get("fraud.shadow.challenger.info").tag("version", challenger.modelVersion()).gauge().value())
                .isEqualTo(1);
    }

    /**
     * A promotion reaches the registry as two changes, the challenger's file as champion and then the challenger's
     * removal: records scored in between compare no model with itself (no shadow record, no agreement counted).
     */
    @Test
    void shouldNotCompareAPromotedChampionWithItselfBeforeItsChallengerIsRemoved() {
        registry.offerChallenger(ModelFile.toBytes(challenger), "test");
        assertThat(registry.offer(ModelFile.toBytes(challenger), "test@2")).isTrue(); // promoted, not yet demoted
        sendAll();
        assertThat(tested.flagged.getQueueSize() + tested.clean.getQueueSize()).isEqualTo(rows.length);
        assertThat(tested.shadow.isEmpty()).isTrue();
        assertThat(meters.get("fraud.shadow.events").counter().count()).isZero();
        registry.offerChallenger(ModelFile.toBytes(champion), "test@3"); // a different challenger shadows again
        sendAll();
        assertThat(tested.shadow.getQueueSize()).isEqualTo(rows.length);
    }

    @Test
    void shouldStopShadowRecordsWhenTheChallengerIsDemoted() {
        registry.offerChallenger(ModelFile.toBytes(challenger), "test");
        sendAll();
        assertThat(tested.shadow.readRecordsToList()).hasSize(rows.length);
        registry.demoteChallenger("test");
        sendAll();
        assertThat(tested.shadow.isEmpty()).isTrue();
        assertThat(tested.flagged.getQueueSize() + tested.clean.getQueueSize()).isEqualTo(2 * rows.length);
        assertThat(meters.get("fraud.shadow.events").counter().count()).isEqualTo(rows.length);
        assertThat(count("fraud.shadow.challenger.changes", "change", "demoted")).isEqualTo(1);
        assertThat(meters.get("fraud.shadow.challenger.active").gauge().value()).isZero();
    }

    @Test
    void shouldKeepTheHeldChallengerWhenANewOneIsRefused() throws Exception {
        registry.offerChallenger(ModelFile.toBytes(challenger), "test");
        byte[] tampered = new String(ModelFile.toBytes(FraudTopologyTest.modelWithThreshold(23, rows, 0.5)),
                StandardCharsets.UTF_8).replaceFirst("\"seed\" : 23", "\"seed\" : 24").getBytes(StandardCharsets.UTF_8);
        assertThat(registry.offerChallenger(tampered, "test@2")).isFalse();
        assertThat(registry.offerChallenger(ModelFile.toBytes(FraudTopologyTest.withOtherSchema()), "test@3")).isFalse();
        assertThat(registry.challenger().modelVersion()).isEqualTo(challenger.modelVersion());
        assertThat(registry.current().modelVersion()).isEqualTo(champion.modelVersion());
        assertThat(registry.refusals()).hasSize(2).allSatisfy(r -> assertThat(r).startsWith("challenger: "));
        assertThat(registry.refusals().get(0)).contains("checksum");
        assertThat(registry.refusals().get(1)).contains("feature schema");
        assertThat(meters.get("fraud.shadow.challenger.refusals").counter().count()).isEqualTo(2);
        assertThat(meters.get("fraud.model.refusals").counter().count()).as("the champion was not refused").isZero();
        sendAll();
        assertThat(tested.shadow.readRecordsToList()).hasSize(rows.length).allSatisfy(r -> assertThat(
                JSON.readTree(r.value()).at("/challenger/modelVersion").asText()).isEqualTo(challenger.modelVersion()));
    }

    /**
     * An event that parses and scores but whose scored record is over the output limit (a producer
     * {@code max.request.size} of 8 KiB here, events up to 64 KiB accepted) is a dead letter after scoring: the
     * challenger's decision on it must not leave a shadow record, neither then nor with the next event.
     */
    @Test
    void shouldRecordNoShadowForAnEventWhoseOutputIsTooLarge() throws Exception {
        tested.close();
        Properties kafka = new Properties();
        kafka.setProperty("producer.max.request.size", "8192");
        start(new ScorerConfig(topics, kafka, 65_536, 3));
        registry.offerChallenger(ModelFile.toBytes(challenger), "test");
        tested.input.pipeInput("tx-0".getBytes(StandardCharsets.UTF_8), TransactionJson.write(SCHEMA, "tx-0", rows[0], null));
        String json = new String(TransactionJson.write(SCHEMA, "tx-1", rows[1], null), StandardCharsets.UTF_8);
        byte[] padded = ("{" + " ".repeat(20_000) + json.substring(1)).getBytes(StandardCharsets.UTF_8);
        tested.input.pipeInput("tx-1".getBytes(StandardCharsets.UTF_8), padded);
        tested.input.pipeInput("tx-2".getBytes(StandardCharsets.UTF_8), TransactionJson.write(SCHEMA, "tx-2", rows[2], null));

        List<TestRecord<byte[], byte[]>> dead = tested.dlq.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(JSON.readTree(dead.get(0).value()).path("reason").asText()).isEqualTo("OUTPUT_TOO_LARGE");
        assertThat(tested.flagged.getQueueSize() + tested.clean.getQueueSize()).isEqualTo(2);
        assertThat(tested.shadow.readRecordsToList()).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly("tx-0", "tx-2");
        assertThat(meters.get("fraud.shadow.events").counter().count()).isEqualTo(2);
    }

    @Test
    void shouldRecordNoShadowForADeadLetter() {
        registry.offerChallenger(ModelFile.toBytes(challenger), "test");
        tested.input.pipeInput("bad".getBytes(StandardCharsets.UTF_8), "{\"Time\":".getBytes(StandardCharsets.UTF_8));
        assertThat(tested.dlq.getQueueSize()).isEqualTo(1);
        assertThat(tested.shadow.isEmpty()).isTrue();
    }
}
