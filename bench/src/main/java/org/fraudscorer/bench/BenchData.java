package org.fraudscorer.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.Preprocessing;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ThresholdInfo;
import org.fraudscorer.common.nn.Activation;
import org.fraudscorer.common.nn.MLP;
import org.fraudscorer.trainer.data.CreditCardCsvWriter;
import org.fraudscorer.trainer.data.Dataset;

/**
 * Made-up data and models for the benchmarks: deterministic for a seed, in the creditcard schema (Time, V1..V28,
 * Amount, Class), with positives shifted on a few components so that a network has something to learn.
 */
public final class BenchData {
    private BenchData() {
    }

    /** Input rows (rows × 30, schema input order) and labels. */
    public record Rows(double[] inputs, int[] labels) {
        public int rows() {
            return labels.length;
        }
    }

    public static Rows rows(int n, double positiveShare, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int in = FeatureSchema.CREDITCARD.inputCount();
        double[] x = new double[n * in];
        int[] y = new int[n];
        for (int r = 0; r < n; r++) {
            boolean fraud = rng.nextDouble() < positiveShare;
            y[r] = fraud ? 1 : 0;
            int o = r * in;
            x[o] = r * (172_800.0 / n); // Time: seconds over two days, increasing like the Kaggle file
            for (int v = 1; v <= 28; v++) {
                double shift = fraud && v <= 12 ? (v % 2 == 0 ? 2.0 : -2.0) : 0.0;
                x[o + v] = rng.nextGaussian() * (v <= 5 ? 1.8 : 1.0) + shift;
            }
            x[o + 29] = Math.exp(rng.nextGaussian() * 1.3 + (fraud ? 4.2 : 3.0)); // Amount, log-normal
        }
        return new Rows(x, y);
    }

    /** Writes {@code rows} in Kaggle's creditcard.csv format, readable by pandas and by the trainer. */
    public static void writeCsv(Rows rows, Path file) throws IOException {
        CreditCardCsvWriter.write(file, Dataset.of("bench-synthetic", rows.inputs(), rows.labels()));
    }

    /**
     * A bundle with a randomly initialised network of the given hidden sizes (29-h1-...-1, ReLU), preprocessing
     * fitted on made-up rows, threshold 0.5; written to bytes and read back so it carries a checksum like a real
     * model file.
     */
    public static ModelBundle model(int[] hidden, long seed) {
        FeatureSchema schema = FeatureSchema.CREDITCARD;
        Rows fit = rows(20_000, 0.005, seed);
        Preprocessing pre = Preprocessing.fit(schema, fit.inputs(), fit.rows());
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = schema.featureCount();
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = 1;
        MLP net = MLP.build(sizes, Activation.RELU, 0.0, seed);
        ModelBundle b = new ModelBundle("bench-" + String.join("-", java.util.Arrays.stream(sizes).mapToObj(String::valueOf).toList()),
                Instant.parse("2025-01-01T00:00:00Z"), schema, pre, net, new ThresholdInfo(0.5, "bench"), seed,
                Map.of(), Map.of(), Map.of("source", "bench (random weights)"), null);
        return b.sealed();
    }

    /**
     * The same bundle with its threshold moved so that about {@code flaggedShare} of made-up events are
     * flagged (a random network flags about half at 0.5, which would make every other record take the
     * explanation path; a deployed model flags a fraction of a percent).
     */
    public static ModelBundle withFlaggedShare(ModelBundle b, double flaggedShare, long seed) {
        Rows r = rows(20_000, 0.005, seed + 1);
        var scorer = b.newScorer();
        double[] p = new double[r.rows()];
        double[] row = new double[b.schema().inputCount()];
        for (int i = 0; i < p.length; i++) {
            System.arraycopy(r.inputs(), i * row.length, row, 0, row.length);
            p[i] = scorer.probability(row);
        }
        java.util.Arrays.sort(p);
        double t = p[Math.min(p.length - 1, (int) Math.floor(p.length * (1 - flaggedShare)))];
        ModelBundle moved = new ModelBundle(b.modelVersion(), b.createdAt(), b.schema(), b.preprocessing(), b.network(),
                new ThresholdInfo(t, "bench-quantile(" + flaggedShare + ")"), b.seed(), b.metrics(),
                b.hyperparameters(), b.provenance(), null);
        return moved.sealed();
    }

    /**
     * The shipped creditcard architecture (29-32-1, leaky ReLU, inputs clipped at 2) as an ensemble of {@code members}
     * random-weight networks, through a file round trip like a scorer's model; with {@code quantile}, the inputs go
     * through quantile maps (fitted on the same made-up rows) and are not clipped, as
     * {@code train --input-transform quantile --input-clip 0} makes them.
     */
    public static ModelBundle ensemble(int members, long seed, boolean quantile) {
        FeatureSchema schema = FeatureSchema.CREDITCARD;
        Rows fit = rows(20_000, 0.005, seed);
        Preprocessing pre = Preprocessing.fit(schema, fit.inputs(), fit.rows(), quantile).withClip(quantile ? 0 : 2.0);
        java.util.List<MLP> nets = new java.util.ArrayList<>();
        for (int m = 0; m < members; m++) {
            nets.add(MLP.build(new int[] {schema.featureCount(), 32, 1}, Activation.LEAKY_RELU, 0.0, seed + m));
        }
        ModelBundle b = new ModelBundle("bench-ensemble-" + members, Instant.parse("2025-01-01T00:00:00Z"), schema,
                pre, nets, new ThresholdInfo(0.5, "bench"), seed, Map.of(), Map.of(),
                Map.of("source", "bench (random weights)"), null);
        return b.sealed();
    }

    public static int[] parseHidden(String s) {
        return java.util.Arrays.stream(s.split("[,x-]")).mapToInt(Integer::parseInt).toArray();
    }
}
