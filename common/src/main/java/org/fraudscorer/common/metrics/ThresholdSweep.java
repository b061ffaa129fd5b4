package org.fraudscorer.common.metrics;

import java.util.Arrays;

/**
 * The weighted confusion counts at every distinct score, in one O(n log n) pass: rows are sorted by
 * descending score and tied scores are grouped, so group {@code k} is the decision threshold
 * {@code threshold(k)} (flag iff score >= threshold) and its counts include every row scored at
 * least that high. Rows of weight 0 are left out entirely, exactly as if they had been deleted.
 *
 * <p>Every ranking metric and threshold search in this package is a fold over this sweep.
 * Inputs must already have been validated with {@link Inputs#requireValid}.
 */
final class ThresholdSweep {

    private final int[] order;
    private final int[] groupEnd;
    private final double[] thresholds;
    private final double[] truePositives;
    private final double[] falsePositives;

    private ThresholdSweep(int[] order, int[] groupEnd, double[] thresholds,
                           double[] truePositives, double[] falsePositives) {
        this.order = order;
        this.groupEnd = groupEnd;
        this.thresholds = thresholds;
        this.truePositives = truePositives;
        this.falsePositives = falsePositives;
    }

    static ThresholdSweep of(double[] scores, int[] labels, double[] weights) {
        int[] order = positiveWeightRows(scores.length, weights);
        IndexSort.byDescendingKey(scores, order);

        int[] groupEnd = new int[order.length];
        double[] thresholds = new double[order.length];
        double[] tp = new double[order.length];
        double[] fp = new double[order.length];
        int groups = 0;
        double tpSum = 0;
        double fpSum = 0;
        for (int i = 0; i < order.length; i++) {
            int row = order[i];
            if (labels[row] == 1) {
                tpSum += Inputs.weight(weights, row);
            } else {
                fpSum += Inputs.weight(weights, row);
            }
            boolean lastOfGroup = i + 1 == order.length || scores[order[i + 1]] != scores[row];
            if (lastOfGroup) {
                groupEnd[groups] = i + 1;
                thresholds[groups] = scores[row];
                tp[groups] = tpSum;
                fp[groups] = fpSum;
                groups++;
            }
        }
        return new ThresholdSweep(order, Arrays.copyOf(groupEnd, groups),
                Arrays.copyOf(thresholds, groups),
                Arrays.copyOf(tp, groups), Arrays.copyOf(fp, groups));
    }

    private static int[] positiveWeightRows(int n, double[] weights) {
        int[] rows = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (Inputs.weight(weights, i) > 0) {
                rows[count++] = i;
            }
        }
        return count == n ? rows : Arrays.copyOf(rows, count);
    }

    /** The rows of positive weight by descending score; rows of equal score keep their input order. */
    int row(int i) {
        return order[i];
    }

    /** One past the position (in {@link #row}'s order) of the last row of threshold group {@code k}. */
    int groupEnd(int k) {
        return groupEnd[k];
    }

    /** Number of distinct scores (candidate thresholds) among rows of positive weight. */
    int size() {
        return thresholds.length;
    }

    /** The k-th distinct score, in decreasing order. */
    double threshold(int k) {
        return thresholds[k];
    }

    /** Weighted count of positives scored >= threshold(k). */
    double truePositives(int k) {
        return truePositives[k];
    }

    /** Weighted count of negatives scored >= threshold(k). */
    double falsePositives(int k) {
        return falsePositives[k];
    }

    /**
     * Total positive weight. Taken from the last cumulative sum (same summation order), so
     * {@code positives() - truePositives(k)} is never negative from rounding.
     */
    double positives() {
        return truePositives[truePositives.length - 1];
    }

    /** Total negative weight; see {@link #positives()}. */
    double negatives() {
        return falsePositives[falsePositives.length - 1];
    }

    /** The confusion matrix when flagging every row with score >= threshold(k). */
    ConfusionMatrix matrixAt(int k) {
        return new ConfusionMatrix(truePositives[k], falsePositives[k],
                negatives() - falsePositives[k], positives() - truePositives[k]);
    }

    /** The confusion matrix when no row is flagged (threshold above every score). */
    ConfusionMatrix matrixFlaggingNothing() {
        return new ConfusionMatrix(0, 0, negatives(), positives());
    }

    /**
     * For each threshold k, the sum of {@code values[row] * weight(row)} over positive rows scored
     * >= threshold(k); e.g. the fraud amount caught. Non-decreasing in k.
     */
    double[] cumulativeOverPositives(int[] labels, double[] weights, double[] values) {
        double[] sums = new double[thresholds.length];
        double sum = 0;
        int i = 0;
        for (int k = 0; k < thresholds.length; k++) {
            for (; i < groupEnd[k]; i++) {
                int row = order[i];
                if (labels[row] == 1) {
                    sum += values[row] * Inputs.weight(weights, row);
                }
            }
            sums[k] = sum;
        }
        return sums;
    }
}
