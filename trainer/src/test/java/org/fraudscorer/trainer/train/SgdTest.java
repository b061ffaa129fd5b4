package org.fraudscorer.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.fraudscorer.common.nn.Parameter;
import org.junit.jupiter.api.Test;

class SgdTest {

    @Test
    void withoutMomentumOneStepIsMinusLearningRateTimesGradient() {
        Parameter p = new Parameter("w", new double[] {1.0, -1.0});
        p.grad()[0] = 2.0;
        p.grad()[1] = -0.5;

        new Sgd(0.0).step(List.of(p), 0.1);

        assertThat(p.value()[0]).isCloseTo(0.8, within(1e-15));
        assertThat(p.value()[1]).isCloseTo(-0.95, within(1e-15));
    }

    @Test
    void momentumAccumulatesVelocityAcrossSteps() {
        Parameter p = new Parameter("w", new double[] {1.0});
        Sgd sgd = new Sgd(0.9);

        p.grad()[0] = 2.0;
        sgd.step(List.of(p), 0.1);
        // v1 = −0.1·2 = −0.2, w = 0.8
        assertThat(p.value()[0]).isCloseTo(0.8, within(1e-15));

        p.grad()[0] = -1.0;
        sgd.step(List.of(p), 0.1);
        // v2 = 0.9·(−0.2) − 0.1·(−1) = −0.08, w = 0.72
        assertThat(p.value()[0]).isCloseTo(0.72, within(1e-15));

        p.grad()[0] = 0.0;
        sgd.step(List.of(p), 0.1);
        // v3 = 0.9·(−0.08) = −0.072, w = 0.648: the weight keeps moving with zero gradient
        assertThat(p.value()[0]).isCloseTo(0.648, within(1e-15));
    }

    @Test
    void keepsOneVelocityPerParameter() {
        Parameter a = new Parameter("a", new double[] {0.0});
        Parameter b = new Parameter("b", new double[] {0.0});
        Sgd sgd = new Sgd(0.5);
        a.grad()[0] = 1.0;
        b.grad()[0] = 0.0;
        sgd.step(List.of(a, b), 1.0);
        sgd.step(List.of(a, b), 1.0);

        // a: v = −1, then −0.5 − 1 = −1.5 → w = −2.5; b never had a gradient.
        assertThat(a.value()[0]).isCloseTo(-2.5, within(1e-15));
        assertThat(b.value()[0]).isZero();
    }

    @Test
    void rejectsMomentumOutsideZeroToOne() {
        assertThatThrownBy(() -> new Sgd(1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("momentum must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> new Sgd(-0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-0.1");
        assertThatThrownBy(() -> new Sgd(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
    }

    @Test
    void parsesOptimiserNamesAndRejectsUnknownOnes() {
        assertThat(Optimizer.parse("SGD", 0.3).describe()).isEqualTo("sgd(momentum=0.3)");
        assertThat(Optimizer.parse("adam", 0.3)).isInstanceOf(Adam.class);
        assertThatThrownBy(() -> Optimizer.parse("rmsprop", 0.9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown optimiser 'rmsprop' (known: adam, sgd)");
    }
}
