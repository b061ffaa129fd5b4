package org.fraudscorer.common.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.fraudscorer.common.testing.AllocationMeter;
import org.junit.jupiter.api.Test;

/**
 * The whole per-record path the scorer runs — preprocessing, network, decision, explanation — allocates nothing once
 * compiled. Whether the JIT removes an allocation depends on what it inlines together, which differs between this
 * loop and JMH's: the benchmark's {@code -prof gc} (bench/run.sh) is the authority on bytes per record — it caught a
 * per-call zero vector (48 B per layer) that this test did not. This test guards the composed path in the build,
 * measured once the JIT has compiled it (see {@link AllocationMeter}).
 */
class ModelScorerAllocationTest {

    /** Bytes 20,000 scored, decided and explained records may allocate: nothing per record. */
    private static final long MAX_BYTES = 499;

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} member(s)")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 5})
    void scoringDecidingAndExplainingAllocateNothing(int members) {
        allocatesNothing(ModelFixtures.ensemble(41, members), members + " members");
    }

    @org.junit.jupiter.api.Test
    void withQuantileMappedInputsToo() {
        allocatesNothing(ModelFixtures.quantileEnsemble(41, 5), "5 members, quantile maps");
    }

    private static void allocatesNothing(ModelBundle bundle, String what) {
        ModelScorer scorer = bundle.newScorer();
        int in = bundle.schema().inputCount();
        SplittableRandom rng = new SplittableRandom(3);
        double[][] events = new double[256][in];
        for (double[] e : events) {
            for (int i = 0; i < in; i++) {
                e[i] = rng.nextDouble(0, 100); // non-negative: the amount goes through log1p
            }
        }
        double[] contributions = new double[bundle.schema().featureCount()];

        // rounds of 20,000 records until compiled, inlined, escape-analysed and stable
        AllocationMeter.Measurement m = new AllocationMeter().measure(20_000, Duration.ofMinutes(3), MAX_BYTES,
                calls -> (long) run(scorer, events, contributions, calls));

        System.out.printf("ModelScorerAllocationTest (%s): %d B per %d records after %d rounds%n", what,
                m.bytesPerRound(), m.callsPerRound(), m.rounds());
        assertThat(run(scorer, events, contributions, 256)).isFinite();
        assertThat(m.bytesPerRound()).as("bytes allocated by 20,000 scored records").isLessThanOrEqualTo(MAX_BYTES);
    }

    private static double run(ModelScorer scorer, double[][] events, double[] contributions, int calls) {
        double sink = 0;
        for (int i = 0; i < calls; i++) {
            double p = scorer.probability(events[i & 255]);
            if (scorer.flagged(p) || (i & 7) == 0) {
                scorer.contributions(contributions);
                sink += contributions[0];
            }
            sink += p;
        }
        return sink;
    }
}
