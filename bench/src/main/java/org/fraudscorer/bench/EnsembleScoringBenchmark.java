package org.fraudscorer.bench;

import java.util.concurrent.TimeUnit;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelScorer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of an ensemble on the real-time path: one event scored and decided ({@link #score}), and scored,
 * decided and explained ({@link #scoreAndExplain}), by the shipped creditcard architecture (29-32-1 leaky ReLU)
 * with K = 1 and K = 5 members, its inputs standardised and clipped at 2 (the default) or quantile-mapped
 * ({@code --input-transform quantile}). Run with {@code -prof gc} for the bytes allocated per record.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class EnsembleScoringBenchmark {
    static final int EVENTS = 1024;

    @Param({"1", "5"})
    public int members;

    /** {@code standard}: standardised, clipped at 2; {@code quantile}: quantile maps, then standardised. */
    @Param({"standard", "quantile"})
    public String inputs;

    private ModelScorer scorer;
    private double[][] events;
    private double[] contributions;
    private int next;

    @Setup(Level.Trial)
    public void setup() {
        ModelBundle bundle = BenchData.ensemble(members, 7L, inputs.equals("quantile"));
        scorer = bundle.newScorer();
        BenchData.Rows rows = BenchData.rows(EVENTS, 0.05, 11L);
        int in = bundle.schema().inputCount();
        events = new double[EVENTS][in];
        for (int r = 0; r < EVENTS; r++) {
            System.arraycopy(rows.inputs(), r * in, events[r], 0, in);
        }
        contributions = new double[bundle.schema().featureCount()];
    }

    @Benchmark
    public boolean score() {
        double[] event = events[next];
        next = (next + 1) & (EVENTS - 1);
        return scorer.flagged(scorer.probability(event));
    }

    @Benchmark
    public double scoreAndExplain() {
        double[] event = events[next];
        next = (next + 1) & (EVENTS - 1);
        double p = scorer.probability(event);
        scorer.contributions(contributions);
        return p + contributions[0];
    }
}
