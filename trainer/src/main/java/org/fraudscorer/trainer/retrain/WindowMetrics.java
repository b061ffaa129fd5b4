package org.fraudscorer.trainer.retrain;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fraudscorer.common.metrics.BinaryReport;

/**
 * One model's numbers on the evaluation window, the same for the challenger and the champion.
 *
 * @param averagePrecision          AP (PR-AUC), the gate's metric
 * @param cardPrecisionAt100        mean daily card precision@100 (raw events; NaN for creditcard rows)
 * @param threshold                 the model's own threshold; {@code precision} and {@code recall} are at it
 * @param recallAtChampionPrecision the best recall this model reaches at a precision no lower than the champion's
 *                                  at the champion's threshold (NaN when the champion flags nothing in the window)
 */
public record WindowMetrics(String modelVersion, int rows, int frauds, double averagePrecision, double rocAuc,
                            double cardPrecisionAt100, double threshold, double precision, double recall,
                            double recallAtChampionPrecision) {

    /**
     * @param cardPrecision      card precision@100, or NaN where the family has no cards
     * @param championPrecision  the champion's precision at its threshold on these rows (NaN if unknown)
     */
    public static WindowMetrics of(String modelVersion, double[] p, int[] y, double threshold, double cardPrecision,
                                   double championPrecision) {
        BinaryReport r = BinaryReport.of(p, y, null, threshold);
        int frauds = 0;
        for (int v : y) {
            frauds += v;
        }
        return new WindowMetrics(modelVersion, p.length, frauds, r.prAuc(), r.rocAuc(), cardPrecision, threshold,
                r.precision(), r.recall(), recallAtPrecision(p, y, championPrecision));
    }

    /** A champion's numbers: its recall-at-precision is taken at its own precision (at its threshold). */
    public static WindowMetrics ofChampion(String modelVersion, double[] p, int[] y, double threshold,
                                           double cardPrecision) {
        double own = BinaryReport.of(p, y, null, threshold).precision();
        return of(modelVersion, p, y, threshold, cardPrecision, own);
    }

    /**
     * The largest recall over thresholds whose precision is at least {@code minPrecision}: rows are flagged from the
     * highest score down, rows of equal score together (a threshold cannot split them). NaN if {@code minPrecision}
     * is NaN or no fraud is present; 0 if no threshold reaches the precision.
     */
    public static double recallAtPrecision(double[] p, int[] y, double minPrecision) {
        return org.fraudscorer.common.metrics.RankingMetrics.recallAtPrecision(p, y, null, minPrecision);
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
        m.put("recall_at_champion_precision", finite(recallAtChampionPrecision));
        return m;
    }

    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
