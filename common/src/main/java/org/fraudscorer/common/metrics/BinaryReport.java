package org.fraudscorer.common.metrics;

/**
 * The usual evaluation numbers of a fraud scorer on one data set: the decision at a threshold and
 * the threshold-free ranking quality. {@code prAuc} is the average precision
 * ({@link RankingMetrics#averagePrecision}); both AUCs may be {@code NaN} when a class is absent.
 */
public record BinaryReport(ConfusionMatrix matrix, double threshold, double accuracy, double precision,
                           double recall, double f1, double rocAuc, double prAuc) {

    /**
     * Evaluates the scores at the given threshold (flag iff score >= threshold).
     *
     * @param weights per-row weights, or {@code null} for all 1
     * @throws IllegalArgumentException on invalid input
     */
    public static BinaryReport of(double[] scores, int[] labels, double[] weights, double threshold) {
        ConfusionMatrix matrix = ConfusionMatrix.at(scores, labels, weights, threshold);
        ThresholdSweep sweep = ThresholdSweep.of(scores, labels, weights);
        return new BinaryReport(matrix, threshold, matrix.accuracy(), matrix.precision(),
                matrix.recall(), matrix.f1(), RankingMetrics.rocAuc(sweep),
                RankingMetrics.averagePrecision(sweep));
    }
}
