package org.fraudscorer.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RankingMetricsTest {

    // scikit-learn's documented example (roc_auc_score / average_precision_score / roc_curve).
    static final int[] SK_LABELS = {0, 0, 1, 1};
    static final double[] SK_SCORES = {0.1, 0.4, 0.35, 0.8};

    @Test
    void scikitLearnExample() {
        assertThat(RankingMetrics.rocAuc(SK_SCORES, SK_LABELS, null)).isCloseTo(0.75, within(1e-15));
        // AP = 0.5 * 1 (t=0.8) + 0 * 1/2 (t=0.4) + 0.5 * 2/3 (t=0.35) = 5/6
        assertThat(RankingMetrics.averagePrecision(SK_SCORES, SK_LABELS, null))
                .isCloseTo(0.8333333333333333, within(1e-15));
    }

    @Test
    void scikitLearnExampleCurves() {
        // Matches sklearn.metrics.roc_curve(..., drop_intermediate=False).
        Curve roc = RankingMetrics.rocCurve(SK_SCORES, SK_LABELS, null);
        assertThat(roc.x()).containsExactly(0, 0, 0.5, 0.5, 1);
        assertThat(roc.y()).containsExactly(0, 0.5, 0.5, 1, 1);
        assertThat(roc.thresholds()).containsExactly(Double.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1);

        Curve pr = RankingMetrics.precisionRecallCurve(SK_SCORES, SK_LABELS, null);
        assertThat(pr.x()).containsExactly(0.5, 0.5, 1, 1);
        assertThat(pr.y()).containsExactly(1, 0.5, 2.0 / 3, 0.5);
        assertThat(pr.thresholds()).containsExactly(0.8, 0.4, 0.35, 0.1);
    }

    @Test
    void tiedScoresCountHalf() {
        // y = [0, 1, 0, 1], s = [0.5, 0.5, 0.5, 0.9]. Fraud/legit pairs (P * N = 4):
        //   fraud@0.9 vs legit@0.5 (x2): fraud ranked higher -> 1 + 1
        //   fraud@0.5 vs legit@0.5 (x2): tied               -> 0.5 + 0.5
        //   AUC = 3 / 4 = 0.75.
        // Trapezoid: points (0,0) -> t=0.9 (FPR 0, TPR 1/2) -> t=0.5 (1, 1);
        //   area = 0 + 1 * (1/2 + 1) / 2 = 0.75, the same.
        // AP: t=0.9 gives R=1/2, P=1; t=0.5 gives R=1, P=2/4. AP = 1/2 * 1 + 1/2 * 1/2 = 0.75.
        double[] s = {0.5, 0.5, 0.5, 0.9};
        int[] y = {0, 1, 0, 1};
        assertThat(RankingMetrics.rocAuc(s, y, null)).isEqualTo(0.75);
        assertThat(RankingMetrics.averagePrecision(s, y, null)).isEqualTo(0.75);
    }

    @Test
    void tiesAcrossSeveralGroups() {
        // y = [1, 0, 1, 0, 0, 1], s = [0.8, 0.8, 0.6, 0.6, 0.6, 0.2]; P = 3, N = 3, 9 pairs.
        //   fraud@0.8: vs legit@0.8 tie 0.5, vs legit@0.6 x2 wins 2       -> 2.5
        //   fraud@0.6: vs legit@0.8 loses 0, vs legit@0.6 x2 ties 1       -> 1
        //   fraud@0.2: loses to all                                       -> 0
        //   AUC = 3.5 / 9.
        // AP: t=0.8 R=1/3 P=1/2; t=0.6 R=2/3 P=2/5; t=0.2 R=1 P=3/6.
        //   AP = 1/3 * (1/2 + 2/5 + 1/2) = 1/3 * 7/5 = 7/15.
        double[] s = {0.8, 0.8, 0.6, 0.6, 0.6, 0.2};
        int[] y = {1, 0, 1, 0, 0, 1};
        assertThat(RankingMetrics.rocAuc(s, y, null)).isCloseTo(3.5 / 9, within(1e-15));
        assertThat(RankingMetrics.averagePrecision(s, y, null)).isCloseTo(7.0 / 15, within(1e-15));
    }

    @Test
    void perfectReversedAndAllTiedRankings() {
        int[] y = {0, 1, 0, 1, 1};
        assertThat(RankingMetrics.rocAuc(new double[] {0.1, 0.9, 0.2, 0.8, 0.7}, y, null)).isEqualTo(1.0);
        assertThat(RankingMetrics.averagePrecision(new double[] {0.1, 0.9, 0.2, 0.8, 0.7}, y, null)).isEqualTo(1.0);
        assertThat(RankingMetrics.rocAuc(new double[] {0.9, 0.1, 0.8, 0.2, 0.3}, y, null)).isEqualTo(0.0);
        double[] tied = {0.5, 0.5, 0.5, 0.5, 0.5};
        assertThat(RankingMetrics.rocAuc(tied, y, null)).isEqualTo(0.5);
        // One threshold: R = 1, P = prevalence.
        assertThat(RankingMetrics.averagePrecision(tied, y, null)).isEqualTo(3.0 / 5);
    }

    @Test
    void absentClassGivesNaNNotAnException() {
        double[] s = {0.2, 0.7, 0.4};
        assertThat(RankingMetrics.rocAuc(s, new int[] {0, 0, 0}, null)).isNaN();
        assertThat(RankingMetrics.rocAuc(s, new int[] {1, 1, 1}, null)).isNaN();
        assertThat(RankingMetrics.averagePrecision(s, new int[] {0, 0, 0}, null)).isNaN();
        assertThat(RankingMetrics.averagePrecision(s, new int[] {1, 1, 1}, null)).isEqualTo(1.0);
        // A class present only with weight 0 is absent.
        assertThat(RankingMetrics.rocAuc(s, new int[] {0, 1, 0}, new double[] {1, 0, 1})).isNaN();
        assertThat(RankingMetrics.rocCurve(s, new int[] {0, 0, 0}, null).y()).containsOnly(Double.NaN);
    }

    @Test
    void zeroWeightRowsAreIgnored() {
        double[] s = {0.9, 0.3, 0.5, 0.2};
        int[] y = {1, 1, 0, 0};
        double[] w = {1, 0, 1, 1};
        double[] sWithout = {0.9, 0.5, 0.2};
        int[] yWithout = {1, 0, 0};
        assertThat(RankingMetrics.rocCurve(s, y, w)).isEqualTo(RankingMetrics.rocCurve(sWithout, yWithout, null));
        assertThat(RankingMetrics.precisionRecallCurve(s, y, w))
                .isEqualTo(RankingMetrics.precisionRecallCurve(sWithout, yWithout, null));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void weightedEqualsDuplicated(long seed) {
        Rows rows = Rows.random(seed, 200, 25, 0.3, 4);
        Rows dup = rows.duplicated();
        assertThat(RankingMetrics.rocAuc(rows.scores(), rows.labels(), rows.weights()))
                .isCloseTo(RankingMetrics.rocAuc(dup.scores(), dup.labels(), null), within(1e-12));
        assertThat(RankingMetrics.averagePrecision(rows.scores(), rows.labels(), rows.weights()))
                .isCloseTo(RankingMetrics.averagePrecision(dup.scores(), dup.labels(), null), within(1e-12));
        assertThat(RankingMetrics.rocCurve(rows.scores(), rows.labels(), rows.weights()))
                .isEqualTo(RankingMetrics.rocCurve(dup.scores(), dup.labels(), null));
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15})
    void rocAucAgreesWithPairwiseMannWhitney(long seed) {
        Rows rows = Rows.random(seed, 400, 10, 0.2, 3);
        assertThat(RankingMetrics.rocAuc(rows.scores(), rows.labels(), null))
                .isCloseTo(pairwiseAuc(rows.scores(), rows.labels(), null), within(1e-12));
        assertThat(RankingMetrics.rocAuc(rows.scores(), rows.labels(), rows.weights()))
                .isCloseTo(pairwiseAuc(rows.scores(), rows.labels(), rows.weights()), within(1e-12));
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23})
    void averagePrecisionAgreesWithDefinition(long seed) {
        Rows rows = Rows.random(seed, 300, 15, 0.25, 3);
        assertThat(RankingMetrics.averagePrecision(rows.scores(), rows.labels(), rows.weights()))
                .isCloseTo(apFromConfusionMatrices(rows), within(1e-12));
    }

    @Test
    void largeInputWithoutTiesMatchesPairwiseCount() {
        // Enough rows to exercise every level of the merge sort; the scores are a permutation.
        int n = 3000;
        java.util.Random random = new java.util.Random(7);
        double[] s = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = random.nextDouble();
            y[i] = random.nextDouble() < s[i] * 0.5 ? 1 : 0;
        }
        assertThat(RankingMetrics.rocAuc(s, y, null)).isCloseTo(pairwiseAuc(s, y, null), within(1e-12));
    }

    @Test
    void rejectsInvalidInput() {
        assertThatThrownBy(() -> RankingMetrics.rocAuc(new double[] {0.1}, new int[] {0, 1}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels has length 2");
        assertThatThrownBy(() -> RankingMetrics.averagePrecision(new double[] {Double.NaN}, new int[] {1}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scores[0] = NaN");
        assertThatThrownBy(() -> RankingMetrics.rocCurve(new double[] {0.3}, new int[] {-1}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 0 or 1");
        assertThatThrownBy(() -> RankingMetrics.precisionRecallCurve(new double[0], new int[0], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }

    /** O(n^2) Mann-Whitney: weighted share of fraud/legit pairs ranked correctly, ties half. */
    static double pairwiseAuc(double[] s, int[] y, double[] w) {
        double wins = 0;
        double pairs = 0;
        for (int i = 0; i < s.length; i++) {
            if (y[i] != 1) {
                continue;
            }
            for (int j = 0; j < s.length; j++) {
                if (y[j] != 0) {
                    continue;
                }
                double pairWeight = (w == null ? 1 : w[i] * w[j]);
                pairs += pairWeight;
                if (s[i] > s[j]) {
                    wins += pairWeight;
                } else if (s[i] == s[j]) {
                    wins += 0.5 * pairWeight;
                }
            }
        }
        return wins / pairs;
    }

    /** AP straight from the definition, one ConfusionMatrix per distinct threshold: O(n^2). */
    static double apFromConfusionMatrices(Rows rows) {
        double ap = 0;
        double previousRecall = 0;
        for (double t : rows.distinctScoresDescending()) {
            ConfusionMatrix m = ConfusionMatrix.at(rows.scores(), rows.labels(), rows.weights(), t);
            ap += (m.recall() - previousRecall) * m.precision();
            previousRecall = m.recall();
        }
        return ap;
    }

    @Test
    void recallAtPrecisionCountsWeightsAndKeepsTiesTogether() {
        double[] p = {0.9, 0.8, 0.8, 0.4};
        int[] y = {1, 0, 1, 1};
        // top 1: P 1, R 1/3; the tie at 0.8 flags both: P 2/3, R 2/3; all: P 3/4, R 1
        assertThat(RankingMetrics.recallAtPrecision(p, y, null, 1.0)).isEqualTo(1.0 / 3);
        assertThat(RankingMetrics.recallAtPrecision(p, y, null, 0.7)).isEqualTo(1.0);
        // the legitimate row weighs 3: P 2/5 at the tie, 3/6 for all
        assertThat(RankingMetrics.recallAtPrecision(p, y, new double[] {1, 3, 1, 1}, 0.5)).isEqualTo(1.0);
        assertThat(RankingMetrics.recallAtPrecision(p, y, new double[] {1, 3, 1, 1}, 0.6)).isEqualTo(1.0 / 3);
        assertThat(RankingMetrics.recallAtPrecision(p, new int[] {0, 0, 0, 0}, null, 0.5)).isNaN();
    }
}
