package org.fraudscorer.common.metrics;

import java.util.Locale;

/**
 * Chooses a decision threshold on validation data. Candidate thresholds are the distinct scores of
 * rows with positive weight (flag iff score >= threshold); min-cost also considers flagging
 * nothing. Ties between candidates go to the higher threshold, i.e. fewer alerts. Each method
 * sorts once and sweeps once: O(n log n). A row of weight w counts as w rows
 * ({@code weights == null} means all 1).
 */
public final class ThresholdTuner {

    private ThresholdTuner() {
    }

    /**
     * The threshold with the highest F1. With no fraud in the data every F1 is 0 and the highest
     * score is returned.
     *
     * @return a choice with method {@code "max-f1"} and cost {@code NaN}
     * @throws IllegalArgumentException on invalid input
     */
    public static ThresholdChoice maxF1(double[] scores, int[] labels, double[] weights) {
        Inputs.requireValid(scores, labels, weights);
        return maxF1(ThresholdSweep.of(scores, labels, weights), "max-f1");
    }

    /**
     * Among thresholds whose precision is at least {@code targetPrecision}, the one with the
     * highest recall. If no threshold reaches the target, falls back to {@link #maxF1} and says so
     * in the method, e.g. {@code "min-precision(0.90) unreachable; max-f1"}.
     *
     * @param targetPrecision in [0, 1]
     * @return a choice with method {@code "min-precision(0.90)"} (or the fallback) and cost {@code NaN}
     * @throws IllegalArgumentException on invalid input
     */
    public static ThresholdChoice minPrecision(double[] scores, int[] labels, double[] weights,
                                               double targetPrecision) {
        Inputs.requireValid(scores, labels, weights);
        Inputs.requireProbability("targetPrecision", targetPrecision);
        ThresholdSweep sweep = ThresholdSweep.of(scores, labels, weights);
        // at least two decimals, more when given (0.9999 was written "1.00")
        String target = String.format(Locale.ROOT, "%.2f", targetPrecision);
        if (Double.parseDouble(target) != targetPrecision) {
            target = java.math.BigDecimal.valueOf(targetPrecision).stripTrailingZeros().toPlainString();
        }
        String method = "min-precision(" + target + ")";
        int best = -1;
        double bestRecall = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < sweep.size(); k++) {
            ConfusionMatrix matrix = sweep.matrixAt(k);
            if (matrix.precision() >= targetPrecision && matrix.recall() > bestRecall) {
                best = k;
                bestRecall = matrix.recall();
            }
        }
        if (best < 0) {
            return maxF1(sweep, method + " unreachable; max-f1");
        }
        return ThresholdChoice.of(sweep.threshold(best), method, sweep.matrixAt(best), Double.NaN);
    }

    /**
     * The threshold minimising the expected cost on the validation data:
     * {@code sum over missed fraud of amount * w + falseAlarmCost * sum over false alarms of w}.
     * "Flag nothing" is a candidate too, reported as threshold {@code +Infinity} (scores are
     * finite, so {@code score >= +Infinity} never holds). Amounts of legitimate rows are ignored.
     *
     * @param amounts per-row money at stake if that fraud is missed; finite and >= 0
     * @param falseAlarmCost the cost of one false alarm (e.g. a blocked good customer); finite, >= 0
     * @return a choice with method {@code "min-cost(fp=5.00)"} and the minimal cost
     * @throws IllegalArgumentException on invalid input
     */
    public static ThresholdChoice minCost(double[] scores, int[] labels, double[] weights,
                                          double[] amounts, double falseAlarmCost) {
        Inputs.requireValid(scores, labels, weights);
        Inputs.requireAmounts(amounts, scores.length);
        Inputs.requireNonNegative("falseAlarmCost", falseAlarmCost);
        ThresholdSweep sweep = ThresholdSweep.of(scores, labels, weights);
        String method = String.format(Locale.ROOT, "min-cost(fp=%.2f)", falseAlarmCost);

        double[] caught = sweep.cumulativeOverPositives(labels, weights, amounts);
        double fraudAmount = caught[caught.length - 1]; // same summation order: fraudAmount - caught >= 0
        int best = -1; // -1 = flag nothing
        double bestCost = fraudAmount;
        for (int k = 0; k < sweep.size(); k++) {
            double cost = (fraudAmount - caught[k]) + falseAlarmCost * sweep.falsePositives(k);
            if (cost < bestCost) {
                best = k;
                bestCost = cost;
            }
        }
        if (best < 0) {
            return ThresholdChoice.of(Double.POSITIVE_INFINITY, method, sweep.matrixFlaggingNothing(), bestCost);
        }
        return ThresholdChoice.of(sweep.threshold(best), method, sweep.matrixAt(best), bestCost);
    }

    private static ThresholdChoice maxF1(ThresholdSweep sweep, String method) {
        int best = 0;
        double bestF1 = sweep.matrixAt(0).f1();
        for (int k = 1; k < sweep.size(); k++) {
            double f1 = sweep.matrixAt(k).f1();
            if (f1 > bestF1) {
                best = k;
                bestF1 = f1;
            }
        }
        return ThresholdChoice.of(sweep.threshold(best), method, sweep.matrixAt(best), Double.NaN);
    }
}
