package org.fraudscorer.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ThresholdTunerTest {

    static final double[] SCORES = ConfusionMatrixTest.SCORES; // {0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1}
    static final int[] LABELS = ConfusionMatrixTest.LABELS;    // {1,   1,   0,   1,   0,   1,   0,   0}

    // Per candidate threshold, P = 4 frauds:
    //   t     tp fp  precision recall  F1 = 2tp / (2tp + fp + fn)
    //   0.9   1  0   1         1/4     2/5  = 0.400
    //   0.8   2  0   1         2/4     4/6  = 0.667
    //   0.7   2  1   2/3       2/4     4/7  = 0.571
    //   0.6   3  1   3/4       3/4     6/8  = 0.750
    //   0.4   3  2   3/5       3/4     6/9  = 0.667
    //   0.3   4  2   2/3       1       8/10 = 0.800  <- max F1
    //   0.2   4  3   4/7       1       8/11 = 0.727
    //   0.1   4  4   1/2       1       8/12 = 0.667

    @Test
    void maxF1OnHandCase() {
        ThresholdChoice choice = ThresholdTuner.maxF1(SCORES, LABELS, null);
        assertThat(choice.threshold()).isEqualTo(0.3);
        assertThat(choice.method()).isEqualTo("max-f1");
        assertThat(choice.f1()).isEqualTo(0.8);
        assertThat(choice.precision()).isEqualTo(4.0 / 6);
        assertThat(choice.recall()).isEqualTo(1.0);
        assertThat(choice.cost()).isNaN();
    }

    @Test
    void maxF1TiesGoToTheHigherThreshold() {
        // t=0.9: tp 1 fp 0 fn 1 -> F1 2/3;  t=0.8: 2/4;  t=0.7: 2/5;  t=0.6: tp 2 fp 2 -> 4/6 = 2/3.
        ThresholdChoice choice = ThresholdTuner.maxF1(new double[] {0.9, 0.8, 0.7, 0.6}, new int[] {1, 0, 0, 1}, null);
        assertThat(choice.threshold()).isEqualTo(0.9);
        assertThat(choice.f1()).isCloseTo(2.0 / 3, within(1e-15));
    }

    @Test
    void minPrecisionPicksHighestRecallMeetingTheTarget() {
        // Precision >= 0.75 at 0.9, 0.8, 0.6; highest recall among them is 3/4 at 0.6.
        ThresholdChoice choice = ThresholdTuner.minPrecision(SCORES, LABELS, null, 0.75);
        assertThat(choice.threshold()).isEqualTo(0.6);
        assertThat(choice.method()).isEqualTo("min-precision(0.75)");
        // a target with more decimals keeps them: 0.9999 was written "1.00"
        assertThat(ThresholdTuner.minPrecision(SCORES, LABELS, null, 0.9999).method()).startsWith("min-precision(0.9999)");
        assertThat(ThresholdTuner.minPrecision(SCORES, LABELS, null, 0.5).method()).isEqualTo("min-precision(0.50)");
        assertThat(choice.precision()).isEqualTo(0.75);
        assertThat(choice.recall()).isEqualTo(0.75);
        assertThat(choice.f1()).isEqualTo(0.75);

        // Precision >= 0.9 only at 0.9 (recall 1/4) and 0.8 (recall 2/4).
        assertThat(ThresholdTuner.minPrecision(SCORES, LABELS, null, 0.9).threshold()).isEqualTo(0.8);
        // Precision >= 0.5 everywhere; recall 1 at 0.3, 0.2, 0.1 -> the highest of them.
        assertThat(ThresholdTuner.minPrecision(SCORES, LABELS, null, 0.5).threshold()).isEqualTo(0.3);
    }

    @Test
    void unreachablePrecisionFallsBackToMaxF1AndSaysSo() {
        // Precisions: t=0.9: 0, 0.8: 1/2, 0.7: 2/3, 0.6: 2/4 -- never 0.9.
        // F1: 0, 2/4, 4/5, 4/6 -> max at 0.7.
        ThresholdChoice choice = ThresholdTuner.minPrecision(
                new double[] {0.9, 0.8, 0.7, 0.6}, new int[] {0, 1, 1, 0}, null, 0.9);
        assertThat(choice.threshold()).isEqualTo(0.7);
        assertThat(choice.method()).isEqualTo("min-precision(0.90) unreachable; max-f1");
        assertThat(choice.f1()).isEqualTo(0.8);
    }

    @Test
    void minCostOnHandCase() {
        // Fraud amounts: 0.9 -> 120, 0.8 -> 15, 0.6 -> 40, 0.3 -> 8 (total 183); legit amounts are ignored.
        double[] amounts = {120, 15, 999, 40, 50, 8, 70, 5};
        // cost = missed fraud amount + 10 * false alarms:
        //   +Inf: 183 + 0 = 183    0.9: 63 + 0 = 63    0.8: 48 + 0 = 48    0.7: 48 + 10 = 58
        //   0.6:    8 + 10 = 18 <- 0.4: 8 + 20 = 28    0.3: 0 + 20 = 20    0.2: 30   0.1: 40
        ThresholdChoice choice = ThresholdTuner.minCost(SCORES, LABELS, null, amounts, 10);
        assertThat(choice.threshold()).isEqualTo(0.6);
        assertThat(choice.cost()).isEqualTo(18);
        assertThat(choice.method()).isEqualTo("min-cost(fp=10.00)");
        assertThat(choice.precision()).isEqualTo(0.75);
        assertThat(choice.recall()).isEqualTo(0.75);

        // Cheaper false alarms (5): 0.6 costs 8 + 5 = 13, 0.3 costs 0 + 10 = 10 -> 0.3 wins.
        ThresholdChoice cheap = ThresholdTuner.minCost(SCORES, LABELS, null, amounts, 5);
        assertThat(cheap.threshold()).isEqualTo(0.3);
        assertThat(cheap.cost()).isEqualTo(10);
        assertThat(cheap.method()).isEqualTo("min-cost(fp=5.00)");
    }

    @Test
    void minCostCanChooseToFlagNothing() {
        // +Inf: miss 10 -> 10;  t=0.9: miss 10 + one alarm 50 -> 60;  t=0.8: 0 + 50 -> 50.
        ThresholdChoice choice = ThresholdTuner.minCost(
                new double[] {0.9, 0.8}, new int[] {0, 1}, null, new double[] {0, 10}, 50);
        assertThat(choice.threshold()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(choice.cost()).isEqualTo(10);
        assertThat(choice.recall()).isZero();
        assertThat(choice.precision()).isZero();
    }

    @Test
    void minCostWeightsScaleAmountsAndAlarms() {
        // Negatives subsampled 1:100. +Inf: 50;  t=0.9: 0 + 100 * 1 * 0.2 = 20;  t=0.5: 0 + 200 * 0.2 = 40.
        ThresholdChoice choice = ThresholdTuner.minCost(new double[] {0.9, 0.5, 0.5}, new int[] {1, 0, 0},
                new double[] {1, 100, 100}, new double[] {50, 0, 0}, 0.2);
        assertThat(choice.threshold()).isEqualTo(0.9);
        assertThat(choice.cost()).isCloseTo(0, within(1e-12));
        ThresholdChoice alarmsMatter = ThresholdTuner.minCost(new double[] {0.9, 0.95, 0.5}, new int[] {1, 0, 0},
                new double[] {1, 100, 100}, new double[] {50, 0, 0}, 0.2);
        // Now the legit row scores above the fraud: +Inf 50; t=0.95: 50 + 20 = 70; t=0.9: 0 + 20 = 20; t=0.5: 40.
        assertThat(alarmsMatter.threshold()).isEqualTo(0.9);
        assertThat(alarmsMatter.cost()).isCloseTo(20, within(1e-12));
    }

    @ParameterizedTest
    @ValueSource(longs = {31, 32, 33, 34})
    void maxF1MatchesBruteForce(long seed) {
        Rows rows = Rows.random(seed, 300, 30, 0.2, 3);
        double bestF1 = -1;
        double bestThreshold = Double.NaN;
        for (double t : rows.distinctScoresDescending()) {
            double f1 = ConfusionMatrix.at(rows.scores(), rows.labels(), rows.weights(), t).f1();
            if (f1 > bestF1) {
                bestF1 = f1;
                bestThreshold = t;
            }
        }
        ThresholdChoice choice = ThresholdTuner.maxF1(rows.scores(), rows.labels(), rows.weights());
        assertThat(choice.threshold()).isEqualTo(bestThreshold);
        assertThat(choice.f1()).isEqualTo(bestF1);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.3, 0.5, 0.7, 0.85, 0.99})
    void minPrecisionMatchesBruteForce(double target) {
        Rows rows = Rows.random(Double.doubleToLongBits(target), 300, 30, 0.2, 3);
        double bestRecall = -1;
        double bestThreshold = Double.NaN;
        for (double t : rows.distinctScoresDescending()) {
            ConfusionMatrix m = ConfusionMatrix.at(rows.scores(), rows.labels(), rows.weights(), t);
            if (m.precision() >= target && m.recall() > bestRecall) {
                bestRecall = m.recall();
                bestThreshold = t;
            }
        }
        ThresholdChoice choice = ThresholdTuner.minPrecision(rows.scores(), rows.labels(), rows.weights(), target);
        if (bestRecall < 0) {
            assertThat(choice.method()).endsWith("unreachable; max-f1");
            assertThat(choice.threshold())
                    .isEqualTo(ThresholdTuner.maxF1(rows.scores(), rows.labels(), rows.weights()).threshold());
        } else {
            assertThat(choice.threshold()).isEqualTo(bestThreshold);
            assertThat(choice.recall()).isEqualTo(bestRecall);
            assertThat(choice.precision()).isGreaterThanOrEqualTo(target);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1, 20, 150, 1e6})
    void minCostMatchesBruteForce(double falseAlarmCost) {
        Rows rows = Rows.random(41, 300, 30, 0.2, 3);
        double bestThreshold = Double.POSITIVE_INFINITY;
        double bestCost = cost(rows, bestThreshold, falseAlarmCost);
        for (double t : rows.distinctScoresDescending()) {
            double cost = cost(rows, t, falseAlarmCost);
            if (cost < bestCost) {
                bestCost = cost;
                bestThreshold = t;
            }
        }
        ThresholdChoice choice = ThresholdTuner.minCost(
                rows.scores(), rows.labels(), rows.weights(), rows.amounts(), falseAlarmCost);
        assertThat(choice.threshold()).isEqualTo(bestThreshold);
        assertThat(choice.cost()).isEqualTo(bestCost);

        Rows dup = rows.duplicated();
        ThresholdChoice duplicated = ThresholdTuner.minCost(dup.scores(), dup.labels(), null, dup.amounts(), falseAlarmCost);
        assertThat(duplicated).isEqualTo(choice);
    }

    @Test
    void weightedEqualsDuplicatedForF1AndPrecision() {
        Rows rows = Rows.random(51, 200, 20, 0.3, 4);
        Rows dup = rows.duplicated();
        assertThat(ThresholdTuner.maxF1(rows.scores(), rows.labels(), rows.weights()))
                .isEqualTo(ThresholdTuner.maxF1(dup.scores(), dup.labels(), null));
        assertThat(ThresholdTuner.minPrecision(rows.scores(), rows.labels(), rows.weights(), 0.6))
                .isEqualTo(ThresholdTuner.minPrecision(dup.scores(), dup.labels(), null, 0.6));
    }

    @Test
    void rejectsInvalidInput() {
        assertThatThrownBy(() -> ThresholdTuner.minPrecision(SCORES, LABELS, null, 1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("targetPrecision = 1.5; expected a value in [0, 1]");
        assertThatThrownBy(() -> ThresholdTuner.minCost(SCORES, LABELS, null, new double[3], 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amounts has length 3");
        assertThatThrownBy(() -> ThresholdTuner.minCost(SCORES, LABELS, null, new double[8], -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("falseAlarmCost = -1.0");
        assertThatThrownBy(() -> ThresholdTuner.maxF1(SCORES, new int[] {1, 1, 0, 1, 0, 1, 0, 7}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels[7] = 7");
    }

    /** Expected cost straight from the definition. */
    private static double cost(Rows rows, double threshold, double falseAlarmCost) {
        double missed = 0;
        double alarms = 0;
        for (int i = 0; i < rows.scores().length; i++) {
            boolean flagged = rows.scores()[i] >= threshold;
            if (rows.labels()[i] == 1 && !flagged) {
                missed += rows.amounts()[i] * rows.weights()[i];
            } else if (rows.labels()[i] == 0 && flagged) {
                alarms += rows.weights()[i];
            }
        }
        return missed + falseAlarmCost * alarms;
    }
}
