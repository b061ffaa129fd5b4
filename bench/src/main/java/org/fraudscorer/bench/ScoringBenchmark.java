package org.fraudscorer.bench;

import java.util.concurrent.TimeUnit;
import org.fraudscorer.common.features.Preprocessing;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelScorer;
import org.fraudscorer.common.nn.Inference;
import org.fraudscorer.common.nn.MLP;
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
 * Scoring cost on the real-time path.
 * <ul>
 *   <li>{@link #singleRecord}: {@link ModelScorer#probability} + {@link ModelScorer#flagged} for one event —
 *       preprocessing (pick, log1p, standardise) + network + decision — cycling over 1,024 distinct events so
 *       neither the JIT nor the branch predictor sees one constant input.</li>
 *   <li>{@link #batchForward}: {@link MLP#forward} over a batch of 256 standardised rows (no preprocessing, no
 *       sigmoid); its ns/op divided by 256 is the per-row cost of the batch path.</li>
 * </ul>
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class ScoringBenchmark {
    static final int EVENTS = 1024;
    static final int BATCH = 256;

    /** Hidden layer sizes: the production 29-16-16-1 network and a wider 29-128-64-1 one. */
    @Param({"16x16", "128x64"})
    public String hidden;

    private ModelScorer scorer;
    private MLP network;
    private double[][] events;
    private double[] batch;
    private int next;
    private Preprocessing preprocessing;
    private Inference inference;
    private double[] features;

    @Setup(Level.Trial)
    public void setup() {
        ModelBundle bundle = BenchData.model(BenchData.parseHidden(hidden), 7L);
        scorer = bundle.newScorer();
        network = bundle.network();
        BenchData.Rows rows = BenchData.rows(EVENTS, 0.05, 11L);
        int in = bundle.schema().inputCount();
        events = new double[EVENTS][in];
        for (int r = 0; r < EVENTS; r++) {
            System.arraycopy(rows.inputs(), r * in, events[r], 0, in);
        }
        BenchData.Rows b = BenchData.rows(BATCH, 0.05, 13L);
        batch = bundle.preprocessing().applyBatch(b.inputs(), BATCH);
        preprocessing = bundle.preprocessing();
        inference = network.newInference();
        features = new double[preprocessing.featureCount()];
        network.forward(batch, BATCH, false); // size the network's batch buffers before measuring
    }

    @Benchmark
    public boolean singleRecord() {
        double[] event = events[next];
        next = (next + 1) & (EVENTS - 1);
        return scorer.flagged(scorer.probability(event));
    }

    /** Breakdown of {@link #singleRecord}: preprocessing alone. */
    @Benchmark
    public double preprocessOnly() {
        double[] event = events[next];
        next = (next + 1) & (EVENTS - 1);
        preprocessing.apply(event, features);
        return features[0] + features[features.length - 1];
    }

    /** Breakdown of {@link #singleRecord}: the network alone, on already standardised rows. */
    @Benchmark
    public double networkOnly() {
        int r = next;
        next = (next + 1) & (BATCH - 1);
        System.arraycopy(batch, r * features.length, features, 0, features.length);
        return inference.logit(features);
    }

    @Benchmark
    public double batchForward() {
        double[] logits = network.forward(batch, BATCH, false);
        return logits[0] + logits[BATCH - 1];
    }
}
