package org.fraudscorer.scorer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Properties;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.common.testing.AllocationMeter;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.serde.TransactionJson;
import org.fraudscorer.scorer.server.ScorerMetrics;
import org.fraudscorer.scorer.server.ShadowMetrics;
import org.junit.jupiter.api.Test;

/**
 * What shadow scoring adds to a record's allocation, measured once the JIT has compiled the path
 * ({@link AllocationMeter}): the shadow record itself (its bytes, its {@link Routed}, the text of its two
 * probabilities) and nothing per record for the challenger's inference, the meters or the decision log.
 */
class ShadowAllocationTest {
    private static final int ROWS = 64;
    private static final int MEASURED = 8_192; // a multiple of ROWS

    private final double[][] rows = ModelFixtures.transactions(ROWS, 5);
    private final ModelBundle champion = FraudTopologyTest.modelWithThreshold(31, rows, 0.5);
    private final ModelBundle challenger = FraudTopologyTest.modelWithThreshold(32, rows, 0.5);

    @Test
    void theChallengerAddsItsShadowRecordAndNothingElsePerRecord() {
        ModelRegistry registry = new ModelRegistry(champion);
        ScorerMetrics metrics = new ScorerMetrics(new SimpleMeterRegistry());
        RecordScoring scoring = new RecordScoring(registry, new ScorerConfig(Topics.defaults(), new Properties(),
                16_384, 3), metrics);
        byte[][] raw = new byte[ROWS][];
        for (int i = 0; i < ROWS; i++) {
            raw[i] = TransactionJson.write(FeatureSchema.CREDITCARD, null, rows[i], null);
        }
        long alone = bytesPerRecord(scoring, raw);
        registry.offerChallenger(challenger, "test");
        scoring.serving();
        scoring.score(raw[0], null, rows[0], null, 1L, 0L);
        int shadowBytes = scoring.takeShadow().payload().length;
        long shadowed = bytesPerRecord(scoring, raw);
        // the record's array (16 B header, 8-byte aligned), its Routed (24 B) and two probabilities as text, plus 64 B
        // for what the JIT removes in one compilation and not in another (measured: 727 to 775 B for a 776 B bound
        // without it). Scoring the challenger with a fresh buffer (its 30 standardised features: 256 B) fails it.
        long shadowRecord = 16 + (shadowBytes + 7) / 8 * 8 + 24 + 2 * bytesPerProbabilityText() + 64;
        System.out.printf("allocated per record: %d B alone, %d B with a challenger (shadow record %d B, bound %d B)%n",
                alone, shadowed, shadowBytes, shadowRecord);
        assertThat(shadowed - alone).as("bytes the challenger adds per record").isLessThanOrEqualTo(shadowRecord);
    }

    @Test
    void theDecisionLogAndTheShadowMetersAllocateNothingPerRecord() {
        DecisionLog log = new DecisionLog(1_000);
        ShadowMetrics metrics = new ShadowMetrics(new SimpleMeterRegistry());
        long[] id = {0};
        AllocationMeter.Measurement m = new AllocationMeter().measure(MEASURED, Duration.ofMinutes(3), calls -> {
            long sum = 0;
            for (int i = 0; i < calls; i++) {
                long tx = id[0]++;
                log.put(tx, (int) (tx & 3));
                metrics.scored((tx & 1) != 0, (tx & 2) != 0);
                int pair = log.take(tx - 500);
                metrics.label(pair, (tx & 4) != 0);
                sum += pair;
            }
            return sum;
        });
        assertThat(m.bytesPerRound()).as("bytes per round of %d records", MEASURED).isZero();
    }

    /** What writing one probability as JSON text allocates (Jackson's shortest round-tripping form). */
    private long bytesPerProbabilityText() {
        double[] p = new double[ROWS];
        var scorer = champion.newScorer();
        for (int i = 0; i < ROWS; i++) {
            p[i] = scorer.probability(rows[i]);
        }
        AllocationMeter.Measurement m = new AllocationMeter().measure(MEASURED, Duration.ofMinutes(3), calls -> {
            long sum = 0;
            for (int i = 0; i < calls; i++) {
                sum += com.fasterxml.jackson.core.io.NumberOutput.toString(p[i % ROWS], true).length();
            }
            return sum;
        });
        return Math.round(m.bytesPerCall());
    }

    private long bytesPerRecord(RecordScoring scoring, byte[][] raw) {
        AllocationMeter.Measurement m = new AllocationMeter().measure(MEASURED, Duration.ofMinutes(3), calls -> {
            long sum = 0;
            for (int i = 0; i < calls; i++) {
                scoring.serving();
                sum += scoring.score(raw[i % ROWS], null, rows[i % ROWS], null, 1L, 0L).payload().length;
                Routed shadow = scoring.takeShadow();
                sum += shadow == null ? 0 : shadow.payload().length;
            }
            return sum;
        });
        return Math.round(m.bytesPerCall());
    }
}
