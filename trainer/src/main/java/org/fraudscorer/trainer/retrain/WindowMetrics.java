package org.fraudscorer.trainer.retrain;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fraudscorer.common.metrics.BinaryReport;
import org.fraudscorer.common.metrics.RankingMetrics;

/**
 * One model's numbers on the evaluation window, the same for the challenger and the champion.
 *
 * @param averagePrecision          AP (PR-AUC), the gate's metric
 * @param cardPrecisionAt100        mean daily card precision@100 (raw events; NaN for creditcard rows)
 * @param threshold                 the model's own threshold; {@code precision} and {@code recall} are at it
 * @param recallAtChampionPrecision the best recall this model reaches at a precision no lower than the champion's
 *                                  at the champion's threshold ({@link RankingMetrics#recallAtPrecision}: rows of
 *                                  equal score flagged together; NaN when the champion flags nothing in the window)
 * @param flagRate                  the share of the window's payments the model flags at its threshold, at the real
 *                                  prevalence with row weights (what the analysts' queue would receive)
 */
public record WindowMetrics(String modelVersion, int rows, int frauds, double averagePrecision, double rocAuc,
                            double cardPrecisionAt100, double threshold, double precision, double recall,
                            double recallAtChampionPrecision, double flagRate) {

    /**
     * @param cardPrecision      card precision@100, or NaN where the family has no cards
     * @param championPrecision  the champion's precision at its threshold on these rows (NaN if unknown)
     */
    public static WindowMetrics of(String modelVersion, double[] p, int[] y, double threshold, double cardPrecision,
                                   double championPrecision) {
        return of(modelVersion, p, y, null, threshold, cardPrecision, championPrecision);
    }

    /**
     * With row weights ({@code --negative-weight}: how many real negatives each negative row stands for; null for
     * none): AP, precision and recall-at-precision at the real prevalence, as the threshold was chosen. Without
     * them a challenger whose threshold was chosen at the real prevalence was judged at the sample's, and its F1
     * check failed (found by a helper session). Rows and frauds stay counts of rows.
     */
    public static WindowMetrics of(String modelVersion, double[] p, int[] y, double[] weights, double threshold,
                                   double cardPrecision, double championPrecision) {
        BinaryReport r = BinaryReport.of(p, y, weights, threshold);
        int frauds = 0;
        for (int v : y) {
            frauds += v;
        }
        return new WindowMetrics(modelVersion, p.length, frauds, r.prAuc(), r.rocAuc(), cardPrecision, threshold,
                r.precision(), r.recall(), RankingMetrics.recallAtPrecision(p, y, weights, championPrecision),
                r.matrix().flaggedShare());
    }

    /** A champion's numbers: its recall-at-precision is taken at its own precision (at its threshold). */
    public static WindowMetrics ofChampion(String modelVersion, double[] p, int[] y, double threshold,
                                           double cardPrecision) {
        return ofChampion(modelVersion, p, y, null, threshold, cardPrecision);
    }

    /** {@link #ofChampion(String, double[], int[], double, double)} with row weights (null for none). */
    public static WindowMetrics ofChampion(String modelVersion, double[] p, int[] y, double[] weights,
                                           double threshold, double cardPrecision) {
        double own = BinaryReport.of(p, y, weights, threshold).precision();
        return of(modelVersion, p, y, weights, threshold, cardPrecision, own);
    }

    /** F1 at the threshold: 0 when the model flags nothing in the window (no precision) or catches no fraud. */
    public double f1() {
        if (!(precision > 0) || !(recall > 0)) {
            return 0;
        }
        return 2 * precision * recall / (precision + recall);
    }

    /** The report's form: snake_case keys as the model file's metrics; NaN written as null. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_version", modelVersion);
        m.put("rows", rows);
        m.put("frauds", frauds);
        m.put("average_precision", finite(averagePrecision));
        m.put("roc_auc", finite(rocAuc));
        m.put("card_precision_at_100", finite(cardPrecisionAt100));
        m.put("threshold", finite(threshold));
        m.put("precision", finite(precision));
        m.put("recall", finite(recall));
        m.put("f1", f1());
        m.put("recall_at_champion_precision", finite(recallAtChampionPrecision));
        m.put("flag_rate", finite(flagRate));
        return m;
    }

    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
