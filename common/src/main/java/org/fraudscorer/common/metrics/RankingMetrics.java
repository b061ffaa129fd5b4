package org.fraudscorer.common.metrics;

/**
 * Threshold-free metrics of how well scores rank fraud above legitimate rows: ROC-AUC, average
 * precision (area under the precision-recall curve) and the curves themselves.
 *
 * <p>All methods are exact and tie-aware: rows with equal scores form one threshold, so a tied
 * fraud/legitimate pair counts half for ROC-AUC. Each runs in O(n log n). A row of weight w counts
 * as w rows ({@code weights == null} means all 1); rows of weight 0 are ignored. When a metric is
 * undefined because a class has no weight, it returns {@code NaN} rather than throwing.
 */
public final class RankingMetrics {

    private RankingMetrics() {
    }

    /**
     * Area under the ROC curve: the probability that a random fraud row scores above a random
     * legitimate row, ties counting half (the Mann-Whitney U statistic, normalised).
     *
     * @return the AUC in [0, 1], or {@code NaN} if either class has zero total weight
     * @throws IllegalArgumentException on invalid input
     */
    public static double rocAuc(double[] scores, int[] labels, double[] weights) {
        Inputs.requireValid(scores, labels, weights);
        return rocAuc(ThresholdSweep.of(scores, labels, weights));
    }

    /**
     * Average precision as scikit-learn defines it: {@code AP = sum_k (R_k - R_{k-1}) * P_k} over
     * distinct thresholds in decreasing order, with {@code R_{-1} = 0} (a step function, no
     * interpolation).
     *
     * @return AP in [0, 1]; {@code NaN} if there is no fraud weight; 1 if there is only fraud
     * @throws IllegalArgumentException on invalid input
     */
    public static double averagePrecision(double[] scores, int[] labels, double[] weights) {
        Inputs.requireValid(scores, labels, weights);
        return averagePrecision(ThresholdSweep.of(scores, labels, weights));
    }

    /**
     * The largest recall over thresholds whose precision is at least {@code minPrecision}: rows are flagged from the
     * highest score down, rows of equal score together (a threshold cannot split them).
     *
     * @return the recall in [0, 1]; 0 if no threshold reaches the precision; {@code NaN} if {@code minPrecision} is
     *         NaN or there is no fraud weight
     * @throws IllegalArgumentException on invalid input
     */
    public static double recallAtPrecision(double[] scores, int[] labels, double[] weights, double minPrecision) {
        Inputs.requireValid(scores, labels, weights);
        ThresholdSweep sweep = ThresholdSweep.of(scores, labels, weights);
        if (Double.isNaN(minPrecision) || !(sweep.positives() > 0)) {
            return Double.NaN;
        }
        double best = 0;
        for (int k = 0; k < sweep.size(); k++) {
            ConfusionMatrix m = sweep.matrixAt(k);
            if (m.precision() >= minPrecision) {
                best = Math.max(best, m.recall());
            }
        }
        return best;
    }

    /**
     * The ROC curve: x = false-positive rate, y = true-positive rate. The first point is (0, 0) at
     * threshold {@code +Infinity} (flag nothing); then one point per distinct score, ending at
     * (1, 1). If a class has zero weight, its rate is {@code NaN} at every point.
     *
     * @throws IllegalArgumentException on invalid input
     */
    public static Curve rocCurve(double[] scores, int[] labels, double[] weights) {
        Inputs.requireValid(scores, labels, weights);
        ThresholdSweep sweep = ThresholdSweep.of(scores, labels, weights);
        int n = sweep.size();
        double[] fpr = new double[n + 1];
        double[] tpr = new double[n + 1];
        double[] thresholds = new double[n + 1];
        double positives = sweep.positives();
        double negatives = sweep.negatives();
        fpr[0] = negatives == 0 ? Double.NaN : 0;
        tpr[0] = positives == 0 ? Double.NaN : 0;
        thresholds[0] = Double.POSITIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            fpr[k + 1] = sweep.falsePositives(k) / negatives;
            tpr[k + 1] = sweep.truePositives(k) / positives;
            thresholds[k + 1] = sweep.threshold(k);
        }
        return new Curve(fpr, tpr, thresholds);
    }

    /**
     * The precision-recall curve: x = recall, y = precision, one point per distinct score in
     * decreasing order (recall non-decreasing). Unlike scikit-learn, no synthetic (recall 0,
     * precision 1) end point is added; prepend it when plotting if wanted. Recall is {@code NaN}
     * if there is no fraud weight.
     *
     * @throws IllegalArgumentException on invalid input
     */
    public static Curve precisionRecallCurve(double[] scores, int[] labels, double[] weights) {
        Inputs.requireValid(scores, labels, weights);
        ThresholdSweep sweep = ThresholdSweep.of(scores, labels, weights);
        int n = sweep.size();
        double[] recall = new double[n];
        double[] precision = new double[n];
        double[] thresholds = new double[n];
        double positives = sweep.positives();
        for (int k = 0; k < n; k++) {
            double tp = sweep.truePositives(k);
            recall[k] = tp / positives;
            precision[k] = tp / (tp + sweep.falsePositives(k)); // every group has positive weight
            thresholds[k] = sweep.threshold(k);
        }
        return new Curve(recall, precision, thresholds);
    }

    /** Trapezoidal area under the ROC points of the sweep, starting from (0, 0). */
    static double rocAuc(ThresholdSweep sweep) {
        double positives = sweep.positives();
        double negatives = sweep.negatives();
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        // Accumulate in count units (area = sum of dFP * mean TP) and normalise once at the end.
        double area = 0;
        double previousTp = 0;
        double previousFp = 0;
        for (int k = 0; k < sweep.size(); k++) {
            double tp = sweep.truePositives(k);
            double fp = sweep.falsePositives(k);
            area += (fp - previousFp) * (tp + previousTp);
            previousTp = tp;
            previousFp = fp;
        }
        return area / (2 * positives * negatives);
    }

    /** Step-function area under the precision-recall points of the sweep. */
    static double averagePrecision(ThresholdSweep sweep) {
        double positives = sweep.positives();
        if (positives == 0) {
            return Double.NaN;
        }
        double sum = 0;
        double previousTp = 0;
        for (int k = 0; k < sweep.size(); k++) {
            double tp = sweep.truePositives(k);
            if (tp != previousTp) {
                sum += (tp - previousTp) * tp / (tp + sweep.falsePositives(k));
                previousTp = tp;
            }
        }
        return sum / positives;
    }
}
