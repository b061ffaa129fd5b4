package org.fraudscorer.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The whole per-record path the scorer runs — preprocessing, network, decision, explanation — allocates nothing once
 * compiled. Whether the JIT removes an allocation depends on what it inlines together, which differs between this
 * loop and JMH's: the benchmark's {@code -prof gc} (bench/run.sh) is the authority on bytes per record — it caught a
 * per-call zero vector (48 B per layer) that this test did not. This test guards the composed path in the build.
 */
class ModelScorerAllocationTest {

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} member(s)")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 5})
    void scoringDecidingAndExplainingAllocateNothing(int members) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting unavailable");
        ModelBundle bundle = ModelFixtures.ensemble(41, members);
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

        double sink = run(scorer, events, contributions, 200_000); // warm up: compiled, inlined, escape-analysed
        long before = threads.getCurrentThreadAllocatedBytes();
        sink += run(scorer, events, contributions, 20_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sink).isFinite();
        assertThat(allocated).as("bytes allocated by 20,000 scored records").isLessThan(500);
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
