package org.fraudscorer.common.metrics;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * How far the window's rows let one trust an average-precision gain: a paired, stratified bootstrap of
 * {@code AP(challenger) - AP(champion)} on the rows both models scored.
 *
 * <ul>
 *   <li><b>Paired</b>: a replicate draws rows, and both models are measured on the same drawn rows, so what the two
 *       share (which frauds are hard to rank) cancels out of the spread, as it does in the point gain.</li>
 *   <li><b>Stratified</b>: each replicate draws, with replacement, as many fraud rows as the data holds from its frauds
 *       and as many genuine rows from its genuine ones. AP depends on the prevalence by itself; a replicate with a few
 *       frauds fewer would move both models' AP for no reason the window holds.</li>
 *   <li><b>Deterministic</b>: the draws come from one {@link SplittableRandom} of the given seed, so the same rows and
 *       seed give the same distribution (a gate's verdict must not change when it is run again).</li>
 * </ul>
 *
 * <p>A replicate is a count per row (how often it was drawn). Each model's rows are sorted once
 * ({@link ThresholdSweep}); a replicate's AP is then one pass in score order in which a row of weight w drawn c times
 * counts as c·w rows and tied scores form one threshold, exactly as {@link RankingMetrics#averagePrecision}: with
 * every count 1 the pass gives the same number. Rows of weight 0 are left out, as there, and are never drawn. Cost:
 * O(n log n) once, then O(n) per replicate.
 */
public final class ApGainBootstrap {

    private final double gain;
    private final double[] sortedGains;

    private ApGainBootstrap(double gain, double[] sortedGains) {
        this.gain = gain;
        this.sortedGains = sortedGains;
    }

    /**
     * @param challenger the scores of the model whose gain is measured
     * @param champion   the scores of the model it is compared with, on the same rows
     * @param weights    per-row weights (a row of weight w counts as w rows), or {@code null} for all 1
     * @param replicates how many resamples (at least 1)
     * @throws IllegalArgumentException on invalid input, or when the rows hold no fraud (AP is undefined)
     */
    public static ApGainBootstrap of(double[] challenger, double[] champion, int[] labels, double[] weights,
                                     int replicates, long seed) {
        return of(challenger, champion, labels, weights, replicates, seed, null);
    }

    /** As the public {@code of}; {@code eachReplicate} sees a copy of every replicate's counts per row. */
    static ApGainBootstrap of(double[] challenger, double[] champion, int[] labels, double[] weights, int replicates,
                              long seed, Consumer<int[]> eachReplicate) {
        Inputs.requireValid(challenger, labels, weights);
        if (Objects.requireNonNull(champion, "champion").length != challenger.length) {
            throw new IllegalArgumentException("champion has length " + champion.length + "; expected "
                    + challenger.length + " (the length of challenger)");
        }
        Inputs.requireValid(champion, labels, weights);
        if (replicates < 1) {
            throw new IllegalArgumentException("replicates = " + replicates + "; expected at least 1");
        }
        int n = labels.length;
        int frauds = 0;
        int genuine = 0;
        for (int i = 0; i < n; i++) {
            if (Inputs.weight(weights, i) > 0) {
                if (labels[i] == 1) {
                    frauds++;
                } else {
                    genuine++;
                }
            }
        }
        if (frauds == 0) {
            throw new IllegalArgumentException("no fraud row of positive weight: average precision is undefined");
        }
        int[] fraudRows = new int[frauds];
        int[] genuineRows = new int[genuine];
        frauds = 0;
        genuine = 0;
        for (int i = 0; i < n; i++) {
            if (Inputs.weight(weights, i) > 0) {
                if (labels[i] == 1) {
                    fraudRows[frauds++] = i;
                } else {
                    genuineRows[genuine++] = i;
                }
            }
        }
        Ranking a = new Ranking(challenger, labels, weights);
        Ranking b = new Ranking(champion, labels, weights);
        int[] counts = new int[n];
        Arrays.fill(counts, 1);
        double gain = a.averagePrecision(counts) - b.averagePrecision(counts);

        SplittableRandom random = new SplittableRandom(seed);
        double[] gains = new double[replicates];
        for (int r = 0; r < replicates; r++) {
            Arrays.fill(counts, 0);
            draw(random, fraudRows, counts);
            draw(random, genuineRows, counts);
            if (eachReplicate != null) {
                eachReplicate.accept(counts.clone());
            }
            gains[r] = a.averagePrecision(counts) - b.averagePrecision(counts);
        }
        Arrays.sort(gains);
        return new ApGainBootstrap(gain, gains);
    }

    /** Draws {@code rows.length} rows among {@code rows}, with replacement: the stratum keeps its size. */
    private static void draw(SplittableRandom random, int[] rows, int[] counts) {
        for (int k = 0; k < rows.length; k++) {
            counts[rows[random.nextInt(rows.length)]]++;
        }
    }

    /** The gain on the rows as given (every row once): the point estimate the replicates scatter around. */
    public double gain() {
        return gain;
    }

    public int replicates() {
        return sortedGains.length;
    }

    /**
     * The {@code q}-quantile of the replicate gains, linearly interpolated between order statistics (numpy's default):
     * {@code quantile(0.05)} and {@code quantile(0.95)} bound the 90% percentile interval.
     */
    public double quantile(double q) {
        Inputs.requireProbability("q", q);
        double h = (sortedGains.length - 1) * q;
        int low = (int) Math.floor(h);
        if (low + 1 >= sortedGains.length) {
            return sortedGains[sortedGains.length - 1];
        }
        return sortedGains[low] + (h - low) * (sortedGains[low + 1] - sortedGains[low]);
    }

    /** The share of replicates whose gain is at least {@code minGain} (compared exactly). */
    public double shareAtLeast(double minGain) {
        int below = lowerBound(minGain);
        return (sortedGains.length - below) / (double) sortedGains.length;
    }

    /** The first index whose gain is {@code >= x}. */
    private int lowerBound(double x) {
        int low = 0;
        int high = sortedGains.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sortedGains[mid] < x) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** The replicate gains in increasing order (a copy). */
    double[] sortedGains() {
        return sortedGains.clone();
    }

    /** One model's rows in descending score order, flattened so that a replicate's pass reads them in sequence. */
    private static final class Ranking {
        private final int[] rows;
        /** A row's weight if it is a fraud, else 0; {@link #genuineWeights} the other way round: no branch per row. */
        private final double[] fraudWeights;
        private final double[] genuineWeights;
        private final int[] groupEnds;

        Ranking(double[] scores, int[] labels, double[] weights) {
            ThresholdSweep sweep = ThresholdSweep.of(scores, labels, weights);
            int groups = sweep.size();
            int n = sweep.groupEnd(groups - 1);
            this.rows = new int[n];
            this.fraudWeights = new double[n];
            this.genuineWeights = new double[n];
            this.groupEnds = new int[groups];
            for (int i = 0; i < n; i++) {
                int row = sweep.row(i);
                rows[i] = row;
                if (labels[row] == 1) {
                    fraudWeights[i] = Inputs.weight(weights, row);
                } else {
                    genuineWeights[i] = Inputs.weight(weights, row);
                }
            }
            for (int k = 0; k < groups; k++) {
                groupEnds[k] = sweep.groupEnd(k);
            }
        }

        /** {@link RankingMetrics#averagePrecision(ThresholdSweep)} with each row counted {@code counts[row]} times. */
        double averagePrecision(int[] counts) {
            double tp = 0;
            double fp = 0;
            double previousTp = 0;
            double sum = 0;
            int i = 0;
            for (int groupEnd : groupEnds) {
                for (; i < groupEnd; i++) {
                    int c = counts[rows[i]]; // 0 for about a third of the rows: a branch on it would be mispredicted
                    tp += c * fraudWeights[i];
                    fp += c * genuineWeights[i];
                }
                if (tp != previousTp) {
                    sum += (tp - previousTp) * tp / (tp + fp);
                    previousTp = tp;
                }
            }
            return sum / tp;
        }
    }
}
