package org.fraudscorer.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fraudscorer.common.metrics.ThresholdChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ThresholdPolicyTest {

    @Test
    void parsesTheThreeKnownPolicies() {
        assertThat(ThresholdPolicy.parse("max-f1")).isEqualTo(new ThresholdPolicy("max-f1", 0));
        assertThat(ThresholdPolicy.parse("min-precision:0.9")).isEqualTo(new ThresholdPolicy("min-precision", 0.9));
        assertThat(ThresholdPolicy.parse("min-cost:5")).isEqualTo(new ThresholdPolicy("min-cost", 5.0));
    }

    @Test
    void ignoresCaseAndSurroundingBlanks() {
        assertThat(ThresholdPolicy.parse("  MAX-F1 ")).isEqualTo(new ThresholdPolicy("max-f1", 0));
        assertThat(ThresholdPolicy.parse("Min-Precision:1")).isEqualTo(new ThresholdPolicy("min-precision", 1.0));
        assertThat(ThresholdPolicy.parse("min-cost:0")).isEqualTo(new ThresholdPolicy("min-cost", 0.0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "", "max-f1:3", "f1", "min-precision:0", "min-precision:1.5",
            "min-precision:-0.2", "min-cost:-1", "max-recall:0.5", ":5", "1.5", "-0.1", "0.5.5", "NaN"})
    void rejectsGarbageWithAOneLineMessageNamingTheValidForms(String spec) {
        assertThatThrownBy(() -> ThresholdPolicy.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threshold policy '" + spec + "' not understood: use max-f1, min-precision:P (0<P≤1), "
                        + "min-cost:C (false-alarm cost ≥ 0) or a threshold in [0, 1]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"min-precision:abc", "min-cost:", "min-cost:NaN", "min-cost:five"})
    void rejectsANonNumericParameterWithAOneLineMessage(String spec) {
        assertThatThrownBy(() -> ThresholdPolicy.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("threshold policy '" + spec + "': '")
                .hasMessageEndingWith("' is not a number")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aChoiceThatFlagsNothingIsRefusedForAModelFile() {
        // Given a genuine payment scored above the one fraud, whose amount (1) is below one false alarm's cost (5)
        double[] scores = {0.9, 0.2};
        int[] labels = {0, 1};
        double[] amounts = {50, 1};
        ThresholdChoice nothing = ThresholdPolicy.parse("min-cost:5").choose(scores, labels, null, amounts);
        assertThat(nothing.threshold()).isEqualTo(Double.POSITIVE_INFINITY);

        // Then no model threshold comes of it, and the message names the policy and its cost
        assertThatThrownBy(() -> FraudModelTrainer.modelThreshold(nothing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the threshold policy min-cost(fp=5.00) flags nothing: on the out-of-fold scores no "
                        + "threshold costs less than letting every fraud through (cost 1.00); no model written: lower "
                        + "the false-alarm cost, or set --threshold");
        // while a cheaper false alarm gives a threshold, stored as chosen
        ThresholdChoice some = ThresholdPolicy.parse("min-cost:0.5").choose(scores, labels, null, amounts);
        assertThat(FraudModelTrainer.modelThreshold(some)).isEqualTo(0.2);
    }

    @Test
    void choosesTheHandComputedThresholds() {
        // scores 0.9 (fraud), 0.8, 0.3 (fraud), 0.1. Cut at 0.9: P 1, R 0.5, F1 2/3; at 0.8: F1 0.5;
        // at 0.3: P 2/3, R 1, F1 0.8 (best); at 0.1: F1 2/3. Precision 1 is only reached at 0.9.
        double[] scores = {0.9, 0.8, 0.3, 0.1};
        int[] labels = {1, 0, 1, 0};

        ThresholdChoice f1 = ThresholdPolicy.parse("max-f1").choose(scores, labels, null, new double[4]);
        assertThat(f1.threshold()).isEqualTo(0.3);
        assertThat(f1.method()).isEqualTo("max-f1");

        ThresholdChoice precise = ThresholdPolicy.parse("min-precision:1").choose(scores, labels, null, new double[4]);
        assertThat(precise.threshold()).isEqualTo(0.9);

        // A number is that threshold, as evaluate --threshold takes it: at 0.8, P 1/2, R 1/2.
        ThresholdChoice fixed = ThresholdPolicy.parse("0.8").choose(scores, labels, null, new double[4]);
        assertThat(fixed.threshold()).isEqualTo(0.8);
        assertThat(fixed.method()).isEqualTo("fixed");
        assertThat(fixed.precision()).isEqualTo(0.5);
        assertThat(fixed.recall()).isEqualTo(0.5);
    }
}
