package org.fraudscorer.common.metrics;

import java.util.Locale;

/**
 * Weighted counts of a binary decision: true/false positives and negatives, where "positive" means
 * fraud (label 1) and a row of weight w counts as w rows. Ratios whose denominator is 0 are
 * reported as 0 (scikit-learn's {@code zero_division=0} convention).
 *
 * @param tp fraud rows flagged
 * @param fp legitimate rows flagged (false alarms)
 * @param tn legitimate rows not flagged
 * @param fn fraud rows not flagged (missed fraud)
 */
public record ConfusionMatrix(double tp, double fp, double tn, double fn) {

    public ConfusionMatrix {
        Inputs.requireNonNegative("tp", tp);
        Inputs.requireNonNegative("fp", fp);
        Inputs.requireNonNegative("tn", tn);
        Inputs.requireNonNegative("fn", fn);
    }

    /**
     * The four counts for a JSON report, in the order tp, fp, tn, fn (a {@code Map.of} changed its order from run to
     * run), each a whole number when the rows were not weighted to fractions.
     */
    public java.util.Map<String, Number> counts() {
        java.util.Map<String, Number> m = new java.util.LinkedHashMap<>();
        double[] v = {tp, fp, tn, fn};
        String[] names = {"tp", "fp", "tn", "fn"};
        for (int i = 0; i < v.length; i++) {
            m.put(names[i], v[i] == Math.rint(v[i]) && Math.abs(v[i]) < 0x1p53 ? (Number) (long) v[i] : v[i]);
        }
        return m;
    }

    /**
     * The confusion matrix of flagging every row whose score is {@code >= threshold}.
     *
     * @param weights per-row weights, or {@code null} for all 1
     * @param threshold decision threshold; {@code +Infinity} flags nothing, {@code -Infinity} everything
     * @throws IllegalArgumentException on invalid input (see the package's validation rules)
     */
    public static ConfusionMatrix at(double[] scores, int[] labels, double[] weights, double threshold) {
        Inputs.requireValid(scores, labels, weights);
        Inputs.requireThreshold(threshold);
        double tp = 0;
        double fp = 0;
        double tn = 0;
        double fn = 0;
        for (int i = 0; i < scores.length; i++) {
            double w = Inputs.weight(weights, i);
            boolean flagged = scores[i] >= threshold;
            if (labels[i] == 1) {
                if (flagged) {
                    tp += w;
                } else {
                    fn += w;
                }
            } else if (flagged) {
                fp += w;
            } else {
                tn += w;
            }
        }
        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    /** Total weight of all rows. */
    public double total() {
        return tp + fp + tn + fn;
    }

    /** (tp + fp) / total: the share of the rows' weight flagged, an alert rate at the rows' prevalence. */
    public double flaggedShare() {
        return ratio(tp + fp, total());
    }

    /** (tp + tn) / total. */
    public double accuracy() {
        return ratio(tp + tn, total());
    }

    /** tp / (tp + fp); 0 when nothing is flagged. */
    public double precision() {
        return ratio(tp, tp + fp);
    }

    /** tp / (tp + fn), the true-positive rate; 0 when there is no fraud. */
    public double recall() {
        return ratio(tp, tp + fn);
    }

    /** Harmonic mean of precision and recall, computed as 2tp / (2tp + fp + fn); 0 when tp is 0. */
    public double f1() {
        return ratio(2 * tp, 2 * tp + fp + fn);
    }

    /** fp / (fp + tn); 0 when there are no legitimate rows. */
    public double falsePositiveRate() {
        return ratio(fp, fp + tn);
    }

    private static double ratio(double numerator, double denominator) {
        return denominator == 0 ? 0 : numerator / denominator;
    }

    /** A small 2x2 table, actual classes as rows and predictions as columns. */
    @Override
    public String toString() {
        String row = "%-10s %12s %12s%n";
        return String.format(Locale.ROOT, row, "", "predicted 1", "predicted 0")
                + String.format(Locale.ROOT, row, "actual 1", count(tp), count(fn))
                + String.format(Locale.ROOT, row, "actual 0", count(fp), count(tn)).stripTrailing();
    }

    private static String count(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.3f", value);
    }
}
