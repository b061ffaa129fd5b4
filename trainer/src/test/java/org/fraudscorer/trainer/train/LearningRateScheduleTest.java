package org.fraudscorer.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.fraudscorer.trainer.train.LearningRateSchedule.Kind;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void constantRateIsTheSameEveryEpoch() {
        LearningRateSchedule s = LearningRateSchedule.constant(0.01);
        assertThat(s.rate(0)).isEqualTo(0.01);
        assertThat(s.rate(1)).isEqualTo(0.01);
        assertThat(s.rate(500)).isEqualTo(0.01);
        assertThat(s.describe()).isEqualTo("constant 0.01");
    }

    @Test
    void stepRateHalvesEveryThreeEpochs() {
        LearningRateSchedule s = new LearningRateSchedule(Kind.STEP, 0.1, 0.5, 3);
        assertThat(s.rate(0)).isEqualTo(0.1);
        assertThat(s.rate(2)).isEqualTo(0.1);
        assertThat(s.rate(3)).isCloseTo(0.05, within(1e-15));
        assertThat(s.rate(5)).isCloseTo(0.05, within(1e-15));
        assertThat(s.rate(6)).isCloseTo(0.025, within(1e-15));
        assertThat(s.rate(9)).isCloseTo(0.0125, within(1e-15));
    }

    @Test
    void exponentialRateMultipliesByGammaEachEpoch() {
        LearningRateSchedule s = new LearningRateSchedule(Kind.EXPONENTIAL, 0.1, 0.9, 1);
        assertThat(s.rate(0)).isEqualTo(0.1);
        assertThat(s.rate(1)).isCloseTo(0.09, within(1e-15));
        assertThat(s.rate(2)).isCloseTo(0.081, within(1e-15));
        assertThat(s.rate(10)).isCloseTo(0.1 * 0.3486784401, within(1e-12));
    }

    @Test
    void rejectsNonPositiveOrNonFiniteLearningRates() {
        for (double bad : new double[] {0.0, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new LearningRateSchedule(Kind.CONSTANT, bad, 1, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("learning rate must be positive and finite, got " + bad);
        }
    }

    @Test
    void rejectsDecayOutsideZeroExclusiveToOneInclusive() {
        for (double bad : new double[] {0.0, -0.5, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> new LearningRateSchedule(Kind.EXPONENTIAL, 0.1, bad, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("learning-rate decay must be in (0, 1], got " + bad);
        }
    }

    @Test
    void rejectsStepSizesBelowOneEpoch() {
        assertThatThrownBy(() -> new LearningRateSchedule(Kind.STEP, 0.1, 0.5, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("step size must be at least 1 epoch, got 0");
    }
}
