package org.fraudscorer.common.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.FeatureSpec;

/**
 * What a model's rows looked like when it was trained, so a scorer can tell how far live traffic has moved from
 * them: per feature and for the model's score, quantile bin edges fitted on the reference rows and the share of
 * those rows in each bin, plus the share of rows the model flags. Stored in the model file's {@code monitoring}
 * section (inside what the checksum and signature cover); a file without it loads with none.
 *
 * <p>A feature is binned on its source input value, before its fixed transform and standardisation: both are
 * monotone (none, log1p, an affine map), so the bins hold the same rows as bins of the transformed value and the
 * population stability index is the same, while the edges stay readable in the wire's units and the input clip
 * cannot fold a shifted tail into one value.
 *
 * <p>Each feature's range over all the reference rows (also when the bins were fitted on a sample of them) tells the
 * scorer how often live values lie beyond anything the model was trained on, where a network extrapolates: the top
 * bin cannot, as it is open-ended.
 *
 * @param features        one binning per schema feature, in schema order, named by the feature
 * @param score           the binning of the model's probability on the reference rows
 * @param flagRate        share of the reference rows at or above the model's threshold
 * @param rows            how many reference rows
 * @param rowsDescription which rows, e.g. {@code "training rows of the refit"}
 * @param ranges          each feature's smallest and largest source value on the reference rows, in schema order; null
 *                        in files written before they were kept
 */
public record MonitoringReference(List<Bins> features, Bins score, double flagRate, long rows,
                                  String rowsDescription, List<Range> ranges) {
    /** Bins per feature and for the score: decile edges (fewer when quantiles coincide). */
    public static final int BINS = 10;
    /** More bins than any reference holds; refuses absurd files early. */
    public static final int MAX_BINS = 100;
    /**
     * The most rows a reference is fitted on: more are sampled at an even stride (every k-th, in their order, so a
     * time-ordered period is covered end to end). Deciles of 200,000 rows are within about 0.1 percentile of the
     * whole; scoring every one of 1.5 million handbook payments one at a time took over a minute of a 4-minute
     * training run.
     */
    public static final int MAX_ROWS = 200_000;

    public MonitoringReference {
        features = List.copyOf(features);
        Objects.requireNonNull(score, "score bins");
        if (!(flagRate >= 0 && flagRate <= 1)) {
            throw new IllegalArgumentException("reference flag rate must be in [0, 1], got " + flagRate);
        }
        if (rows < 1) {
            throw new IllegalArgumentException("a reference needs at least one row, got " + rows);
        }
        rowsDescription = rowsDescription == null ? "" : rowsDescription;
        if (ranges != null) {
            ranges = List.copyOf(ranges);
            if (ranges.size() != features.size()) {
                throw new IllegalArgumentException(ranges.size() + " feature ranges for " + features.size()
                        + " features");
            }
        }
    }

    /** A reference without feature ranges (as files written before they were kept). */
    public MonitoringReference(List<Bins> features, Bins score, double flagRate, long rows, String rowsDescription) {
        this(features, score, flagRate, rows, rowsDescription, null);
    }

    /** The smallest and largest value of a feature's source on the reference rows. */
    public record Range(double min, double max) {
        public Range {
            if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
                throw new IllegalArgumentException("a feature range must be finite with min <= max, got [" + min
                        + ", " + max + "]");
            }
        }

        /** Whether {@code x} lies outside [min, max]. */
        public boolean beyond(double x) {
            return x < min || x > max;
        }
    }

    /**
     * One binning: {@code edges} e_1 < … < e_k cut the line into k + 1 bins (−∞, e_1), [e_1, e_2), …, [e_k, ∞);
     * {@code expected[i]} is the share of reference values in bin i.
     */
    public record Bins(String name, double[] edges, double[] expected) {
        public Bins {
            Objects.requireNonNull(name, "bins name");
            edges = edges.clone();
            expected = expected.clone();
            if (edges.length + 1 > MAX_BINS) {
                throw new IllegalArgumentException(name + ": " + (edges.length + 1) + " bins, over the limit of "
                        + MAX_BINS);
            }
            if (expected.length != edges.length + 1) {
                throw new IllegalArgumentException(name + ": " + edges.length + " edges make " + (edges.length + 1)
                        + " bins, but " + expected.length + " expected shares are given");
            }
            for (int i = 0; i < edges.length; i++) {
                if (!Double.isFinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1]))) {
                    throw new IllegalArgumentException(name + ": bin edges must be finite and strictly increasing, "
                            + "got " + Arrays.toString(edges));
                }
            }
            double sum = 0;
            for (double e : expected) {
                if (!(e >= 0 && e <= 1)) {
                    throw new IllegalArgumentException(name + ": expected shares must be in [0, 1], got "
                            + Arrays.toString(expected));
                }
                sum += e;
            }
            if (Math.abs(sum - 1) > 1e-6) {
                throw new IllegalArgumentException(name + ": expected shares must sum to 1, got " + sum);
            }
        }

        public int binCount() {
            return expected.length;
        }

        /** The bin of {@code x}: the number of edges ≤ x (a binary search; no allocation). */
        public int bin(double x) {
            int lo = 0;
            int hi = edges.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (edges[mid] <= x) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /** Decile edges of {@code values} (sorted in place), duplicates and the minimum dropped; shares counted. */
        static Bins fit(String name, double[] values) {
            if (values.length == 0) {
                throw new IllegalArgumentException(name + ": no values to bin");
            }
            Arrays.sort(values);
            int n = values.length;
            double[] cuts = new double[BINS - 1];
            int k = 0;
            for (int q = 1; q < BINS; q++) {
                double e = values[(int) Math.min(n - 1, (long) q * n / BINS)];
                // An edge at the minimum would leave an empty bin below it; equal quantiles make one edge.
                if (e > values[0] && (k == 0 || e > cuts[k - 1])) {
                    cuts[k++] = e;
                }
            }
            double[] edges = Arrays.copyOf(cuts, k);
            Bins counting = new Bins(name, edges, uniform(k + 1));
            long[] counts = new long[k + 1];
            for (double v : values) {
                counts[counting.bin(v)]++;
            }
            double[] expected = new double[k + 1];
            for (int i = 0; i <= k; i++) {
                expected[i] = (double) counts[i] / n;
            }
            return new Bins(name, edges, normalised(expected));
        }

        private static double[] uniform(int bins) {
            double[] u = new double[bins];
            Arrays.fill(u, 1.0 / bins);
            return normalised(u);
        }

        /** Puts the rounding error of the sum on the largest share, so the shares sum to 1 within 1e-6. */
        private static double[] normalised(double[] shares) {
            double sum = 0;
            int largest = 0;
            for (int i = 0; i < shares.length; i++) {
                sum += shares[i];
                if (shares[i] > shares[largest]) {
                    largest = i;
                }
            }
            shares[largest] += 1 - sum;
            return shares;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bins b && name.equals(b.name) && Arrays.equals(edges, b.edges)
                    && Arrays.equals(expected, b.expected);
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + 31 * Arrays.hashCode(edges) + Arrays.hashCode(expected);
        }

        @Override
        public String toString() {
            return name + Arrays.toString(edges) + "→" + Arrays.toString(expected);
        }
    }

    /**
     * The reference of {@code model} on {@code rows} input vectors (row-major, in the schema's input-field order):
     * decile bins of every feature's source value, and of the model's probability, with the share flagged.
     */
    public static MonitoringReference fit(ModelBundle model, double[] inputs, int rows, String rowsDescription) {
        FeatureSchema schema = model.schema();
        int in = schema.inputCount();
        if (rows < 1 || inputs.length < (long) rows * in) {
            throw new IllegalArgumentException("a monitoring reference needs rows*" + in + " = " + ((long) rows * in)
                    + " input values, got " + inputs.length + " for " + rows + " rows");
        }
        List<Range> ranges = new ArrayList<>();
        for (FeatureSpec f : schema.features()) { // over every row, before any sampling
            int src = schema.inputIndex(f.source());
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < rows; r++) {
                min = Math.min(min, inputs[r * in + src]);
                max = Math.max(max, inputs[r * in + src]);
            }
            ranges.add(new Range(min, max));
        }
        return fit(model, inputs, rows, rowsDescription, ranges);
    }

    private static MonitoringReference fit(ModelBundle model, double[] inputs, int rows, String rowsDescription,
                                           List<Range> ranges) {
        FeatureSchema schema = model.schema();
        int in = schema.inputCount();
        if (rows > MAX_ROWS) {
            int stride = (rows + MAX_ROWS - 1) / MAX_ROWS;
            int n = (rows + stride - 1) / stride;
            double[] sample = new double[n * in];
            for (int i = 0; i < n; i++) {
                System.arraycopy(inputs, i * stride * in, sample, i * in, in);
            }
            return fit(model, sample, n, rowsDescription + " (every " + stride + ordinal(stride) + " of "
                    + rows + ")", ranges);
        }
        List<Bins> features = new ArrayList<>();
        double[] column = new double[rows];
        for (FeatureSpec f : schema.features()) {
            int src = schema.inputIndex(f.source());
            for (int r = 0; r < rows; r++) {
                column[r] = inputs[r * in + src];
            }
            features.add(Bins.fit(f.name(), column));
        }
        // Scored in chunks side by side, a scorer per chunk (scorers are per thread): each row's score is the same.
        double[] scores = new double[rows];
        int chunks = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), rows / 10_000));
        long flagged = java.util.stream.IntStream.range(0, chunks).parallel().mapToLong(c -> {
            ModelScorer scorer = model.newScorer();
            double[] row = new double[in];
            long flags = 0;
            for (int r = (int) ((long) rows * c / chunks), end = (int) ((long) rows * (c + 1) / chunks); r < end; r++) {
                System.arraycopy(inputs, r * in, row, 0, in);
                scores[r] = scorer.probability(row);
                if (scorer.flagged(scores[r])) {
                    flags++;
                }
            }
            return flags;
        }).sum();
        return new MonitoringReference(features, Bins.fit("score", scores), (double) flagged / rows, rows,
                rowsDescription, ranges);
    }

    private static String ordinal(int n) {
        int tens = n % 100;
        return tens >= 11 && tens <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
    }

    /** Checks that this reference describes {@code schema}'s features, in order. */
    void checkFits(FeatureSchema schema) {
        List<String> names = schema.featureNames();
        List<String> mine = features.stream().map(Bins::name).toList();
        if (!names.equals(mine)) {
            throw new IllegalArgumentException("monitoring reference covers features " + mine + ", but schema "
                    + schema.name() + " has " + names);
        }
    }

    /** One line for {@code inspect}. */
    public String describe() {
        return features.size() + " features and the score in up to " + BINS + " bins each" + (ranges == null ? ""
                : ", and the features' ranges") + ", over " + rows + " " + rowsDescription + "; reference flag rate "
                + String.format(java.util.Locale.ROOT, "%.5f", flagRate);
    }
}
