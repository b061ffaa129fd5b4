package org.fraudscorer.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.fraudscorer.common.nn.Parameter;
import org.junit.jupiter.api.Test;

class AdamTest {

    private static final double LR = 0.1;

    @Test
    void firstStepMovesEachWeightByTheLearningRateAgainstTheSignOfItsGradient() {
        Parameter p = new Parameter("w", new double[] {1.0, -2.0, 0.5});
        p.grad()[0] = 0.3;
        p.grad()[1] = -4.0;
        p.grad()[2] = 0.0;

        new Adam(0.9, 0.999, 1e-8).step(List.of(p), LR);

        // Bias correction: m̂ = g, v̂ = g², so the update is lr·g/(|g| + eps) ≈ lr·sign(g); 0 for g = 0.
        assertThat(p.value()[0]).isCloseTo(1.0 - LR * 0.3 / (0.3 + 1e-8), within(1e-15));
        assertThat(p.value()[1]).isCloseTo(-2.0 + LR * 4.0 / (4.0 + 1e-8), within(1e-15));
        assertThat(p.value()[0]).isCloseTo(0.9, within(1e-7));
        assertThat(p.value()[1]).isCloseTo(-1.9, within(1e-7));
        assertThat(p.value()[2]).isEqualTo(0.5);
    }

    @Test
    void secondStepMatchesTheHandComputedBiasCorrectedMoments() {
        Parameter p = new Parameter("w", new double[] {1.0});
        Adam adam = new Adam(0.9, 0.999, 1e-8);
        p.grad()[0] = 0.3;
        adam.step(List.of(p), LR);
        p.grad()[0] = -0.1;
        adam.step(List.of(p), LR);

        // m2 = 0.9·0.03 + 0.1·(−0.1) = 0.017, m̂ = 0.017 / (1 − 0.81) = 0.0894736842…
        // v2 = 0.999·0.00009 + 0.001·0.01 = 0.00009991, v̂ = 0.00009991 / (1 − 0.998001) = 0.0499799899…
        double mHat = 0.017 / 0.19;
        double vHat = 0.00009991 / 0.001999;
        double expected = 0.9000000033333332 - LR * mHat / (Math.sqrt(vHat) + 1e-8);
        assertThat(p.value()[0]).isCloseTo(expected, within(1e-12));
        assertThat(p.value()[0]).isCloseTo(0.8599781479, within(1e-9));
    }

    @Test
    void keepsSeparateMomentsPerParameter() {
        Parameter a = new Parameter("a", new double[] {0.0});
        Parameter b = new Parameter("b", new double[] {0.0});
        Adam adam = new Adam(0.9, 0.999, 1e-8);
        a.grad()[0] = 1.0;
        adam.step(List.of(a), LR);
        // b's first step must again be a full lr step: its moments start at zero, not at a's.
        b.grad()[0] = -1.0;
        adam.step(List.of(b), LR);

        assertThat(a.value()[0]).isCloseTo(-0.1, within(1e-7));
        // t is shared (2 here), so b's step is lr·sqrt(1−β2²)/(1−β1²)·0.1/sqrt(0.001) = 0.1·0.0447102/0.19/0.0316228.
        double c1 = 1 - 0.81;
        double c2 = 1 - 0.998001;
        double expected = LR * Math.sqrt(c2) / c1 * 0.1 / (Math.sqrt(0.001) + 1e-8 * Math.sqrt(c2));
        assertThat(b.value()[0]).isCloseTo(expected, within(1e-12));
    }

    @Test
    void minimisesAnIllConditionedTwoDimensionalQuadratic() {
        // f(x, y) = (x − 3)² + 10·(y + 2)², minimum at (3, −2).
        Parameter p = new Parameter("xy", new double[] {0.0, 0.0});
        Adam adam = new Adam(0.9, 0.999, 1e-8);
        LearningRateSchedule schedule = new LearningRateSchedule(LearningRateSchedule.Kind.STEP, 0.1, 0.5, 1_000);
        for (int step = 0; step < 10_000; step++) {
            double[] w = p.value();
            p.grad()[0] = 2 * (w[0] - 3);
            p.grad()[1] = 20 * (w[1] + 2);
            adam.step(List.of(p), schedule.rate(step));
        }
        assertThat(p.value()[0]).isCloseTo(3.0, within(1e-6));
        assertThat(p.value()[1]).isCloseTo(-2.0, within(1e-6));
    }

    @Test
    void describesItsHyperparameters() {
        assertThat(new Adam(0.9, 0.999, 1e-8).describe()).isEqualTo("adam(beta1=0.9, beta2=0.999, eps=1.0E-8)");
    }
}
