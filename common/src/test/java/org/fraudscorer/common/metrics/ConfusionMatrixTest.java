package org.fraudscorer.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    // Rows sorted by score for readability; fraud at 0.9, 0.8, 0.6, 0.3.
    static final double[] SCORES = {0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1};
    static final int[] LABELS = {1, 1, 0, 1, 0, 1, 0, 0};

    @Test
    void countsForAReportAreInOneOrderAndWholeWhenTheRowsWereNotWeightedToFractions() {
        ConfusionMatrix m = ConfusionMatrix.at(SCORES, LABELS, null, 0.35);
        assertThat(m.counts()).containsExactly(java.util.Map.entry("tp", 3L), java.util.Map.entry("fp", 2L),
                java.util.Map.entry("tn", 2L), java.util.Map.entry("fn", 1L));
        double[] weights = {1, 1, 0.5, 1, 100, 1, 100, 0.5};
        assertThat(ConfusionMatrix.at(SCORES, LABELS, weights, 0.35).counts()).containsExactly(
                java.util.Map.entry("tp", 3L), java.util.Map.entry("fp", 100.5), java.util.Map.entry("tn", 100.5),
                java.util.Map.entry("fn", 1L));
    }

    @Test
    void countsAndRatiosOnHandMadeCase() {
        // Threshold 0.35 flags 0.9, 0.8, 0.7, 0.6, 0.4: tp = 3 (0.9, 0.8, 0.6), fp = 2 (0.7, 0.4);
        // unflagged: fn = 1 (0.3), tn = 2 (0.2, 0.1).
        ConfusionMatrix m = ConfusionMatrix.at(SCORES, LABELS, null, 0.35);

        assertThat(m).isEqualTo(new ConfusionMatrix(3, 2, 2, 1));
        assertThat(m.total()).isEqualTo(8);
        assertThat(m.accuracy()).isEqualTo(5.0 / 8);
        assertThat(m.precision()).isEqualTo(3.0 / 5);
        assertThat(m.recall()).isEqualTo(3.0 / 4);
        // F1 = 2PR / (P + R) = 2 * 0.6 * 0.75 / 1.35 = 2/3
        assertThat(m.f1()).isCloseTo(2.0 / 3, within(1e-15));
        assertThat(m.falsePositiveRate()).isEqualTo(2.0 / 4);
    }

    @Test
    void scoreEqualToThresholdIsFlagged() {
        assertThat(ConfusionMatrix.at(SCORES, LABELS, null, 0.4))
                .isEqualTo(new ConfusionMatrix(3, 2, 2, 1));
        assertThat(ConfusionMatrix.at(SCORES, LABELS, null, Math.nextUp(0.4)))
                .isEqualTo(new ConfusionMatrix(3, 1, 3, 1));
    }

    @Test
    void weightedRowsCountAsDuplicatedRows() {
        double[] weights = {1, 2, 1, 1, 3, 1, 1, 1};
        // Weights double the fraud at 0.8 and triple the false alarm at 0.4: tp = 1 + 2 + 1 = 4,
        // fp = 1 + 3 = 4, tn = 2, fn = 1.
        ConfusionMatrix weighted = ConfusionMatrix.at(SCORES, LABELS, weights, 0.35);
        double[] dupScores = {0.9, 0.8, 0.8, 0.7, 0.6, 0.4, 0.4, 0.4, 0.3, 0.2, 0.1};
        int[] dupLabels = {1, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0};
        ConfusionMatrix duplicated = ConfusionMatrix.at(dupScores, dupLabels, null, 0.35);

        assertThat(weighted).isEqualTo(new ConfusionMatrix(4, 4, 2, 1)).isEqualTo(duplicated);
        assertThat(weighted.accuracy()).isEqualTo(6.0 / 11);
        assertThat(weighted.precision()).isEqualTo(0.5);
        assertThat(weighted.recall()).isEqualTo(0.8);
        assertThat(weighted.f1()).isEqualTo(8.0 / 13);
        assertThat(weighted.falsePositiveRate()).isEqualTo(4.0 / 6);
    }

    @Test
    void fractionalWeightsStateMetricsAtTruePrevalence() {
        // Negatives were subsampled 1:100, so each stands for 100.
        double[] weights = {1, 1, 100, 1, 100, 1, 100, 100};
        ConfusionMatrix m = ConfusionMatrix.at(SCORES, LABELS, weights, 0.35);
        assertThat(m).isEqualTo(new ConfusionMatrix(3, 200, 200, 1));
        assertThat(m.precision()).isEqualTo(3.0 / 203);
    }

    @Test
    void zeroDenominatorsGiveZero() {
        ConfusionMatrix nothingFlagged = ConfusionMatrix.at(SCORES, LABELS, null, Double.POSITIVE_INFINITY);
        assertThat(nothingFlagged).isEqualTo(new ConfusionMatrix(0, 0, 4, 4));
        assertThat(nothingFlagged.precision()).isZero();
        assertThat(nothingFlagged.f1()).isZero();
        assertThat(new ConfusionMatrix(0, 1, 1, 0).recall()).isZero();
        assertThat(new ConfusionMatrix(1, 0, 0, 1).falsePositiveRate()).isZero();
    }

    @Test
    void toStringRendersATwoByTwoTable() {
        String table = new ConfusionMatrix(3, 2, 2, 1).toString();
        assertThat(table.lines()).hasSize(3);
        assertThat(table.lines().toList().get(1)).startsWith("actual 1").containsSubsequence("3", "1");
        assertThat(table.lines().toList().get(2)).startsWith("actual 0").containsSubsequence("2", "2");
        assertThat(new ConfusionMatrix(0.5, 0, 0, 0).toString()).contains("0.500");
    }

    @Test
    void rejectsInvalidInput() {
        assertThatThrownBy(() -> ConfusionMatrix.at(new double[0], new int[0], null, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> ConfusionMatrix.at(SCORES, new int[3], null, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("labels has length 3").hasMessageContaining("expected 8");
        assertThatThrownBy(() -> ConfusionMatrix.at(SCORES, LABELS, new double[7], 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weights has length 7");
        assertThatThrownBy(() -> ConfusionMatrix.at(new double[] {0.1, Double.NaN}, new int[] {0, 1}, null, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scores[1] = NaN");
        assertThatThrownBy(() -> ConfusionMatrix.at(new double[] {0.1, 0.2}, new int[] {0, 2}, null, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels[1] = 2; expected 0 or 1");
        assertThatThrownBy(() -> ConfusionMatrix.at(new double[] {0.1, 0.2}, new int[] {0, 1}, new double[] {1, -1}, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weights[1] = -1.0");
        assertThatThrownBy(() -> ConfusionMatrix.at(new double[] {0.1, 0.2}, new int[] {0, 1}, new double[] {0, 0}, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive total weight");
        assertThatThrownBy(() -> ConfusionMatrix.at(SCORES, LABELS, null, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold = NaN");
        assertThatThrownBy(() -> new ConfusionMatrix(-1, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tp = -1.0");
    }
}
