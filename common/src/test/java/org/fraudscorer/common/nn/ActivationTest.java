package org.fraudscorer.common.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ActivationTest {

    // Chosen away from the ReLU kink at 0, where the derivative is undefined.
    private static final double[] Z = {-3.0, -0.7, -0.01, 0.02, 0.5, 2.5, 40.0, -40.0};

    @Test
    void applyGivesKnownValues() {
        assertThat(Activation.RELU.apply(-2.0)).isZero();
        assertThat(Activation.RELU.apply(2.0)).isEqualTo(2.0);
        assertThat(Activation.LEAKY_RELU.apply(-2.0)).isEqualTo(-0.02);
        assertThat(Activation.LEAKY_RELU.apply(3.0)).isEqualTo(3.0);
        assertThat(Activation.SIGMOID.apply(0.0)).isEqualTo(0.5);
        assertThat(Activation.SIGMOID.apply(Math.log(3.0))).isCloseTo(0.75, within(1e-15));
        assertThat(Activation.TANH.apply(1.0)).isEqualTo(Math.tanh(1.0));
        assertThat(Activation.LINEAR.apply(-7.5)).isEqualTo(-7.5);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void forwardAppliesElementwiseOverFirstNOnly(Activation act) {
        double[] a = new double[Z.length];
        a[Z.length - 1] = 123.0;
        act.forward(Z, a, Z.length - 1);
        for (int i = 0; i < Z.length - 1; i++) {
            assertThat(a[i]).isEqualTo(act.apply(Z[i]));
        }
        assertThat(a[Z.length - 1]).as("entry beyond n untouched").isEqualTo(123.0);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void backwardIsUpstreamTimesDerivative(Activation act) {
        double[] a = new double[Z.length];
        act.forward(Z, a, Z.length);
        double[] gradA = new double[Z.length];
        for (int i = 0; i < Z.length; i++) {
            gradA[i] = 0.5 + i;
        }
        double[] gradZ = new double[Z.length];
        act.backward(Z, a, gradA, gradZ, Z.length);

        for (int i = 0; i < Z.length; i++) {
            double[] z = {Z[i]};
            double derivative = GradientCheck.numerical(z, 0, () -> act.apply(z[0]));
            assertThat(GradientCheck.relativeError(gradZ[i], gradA[i] * derivative))
                    .as("%s at z=%s: %s vs %s", act, Z[i], gradZ[i], gradA[i] * derivative)
                    .isLessThan(1e-8);
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void backwardMayWorkInPlace(Activation act) {
        double[] a = new double[Z.length];
        act.forward(Z, a, Z.length);
        double[] expected = new double[Z.length];
        double[] grad = new double[Z.length];
        Arrays.fill(grad, 2.0);
        act.backward(Z, a, grad.clone(), expected, Z.length);
        act.backward(Z, a, grad, grad, Z.length);
        assertThat(grad).containsExactly(expected);
    }

    @Test
    void heInitOnlyForReluFamily() {
        assertThat(Activation.RELU.usesHeInit()).isTrue();
        assertThat(Activation.LEAKY_RELU.usesHeInit()).isTrue();
        assertThat(Activation.SIGMOID.usesHeInit()).isFalse();
        assertThat(Activation.TANH.usesHeInit()).isFalse();
        assertThat(Activation.LINEAR.usesHeInit()).isFalse();
    }

    @Test
    void parseIsCaseInsensitiveAndRoundTripsId() {
        assertThat(Activation.parse("relu")).isEqualTo(Activation.RELU);
        assertThat(Activation.parse("Leaky_ReLU")).isEqualTo(Activation.LEAKY_RELU);
        assertThat(Activation.parse(" SIGMOID ")).isEqualTo(Activation.SIGMOID);
        assertThat(Activation.parse("tanh")).isEqualTo(Activation.TANH);
        assertThat(Activation.parse("Linear")).isEqualTo(Activation.LINEAR);
        for (Activation act : Activation.values()) {
            assertThat(Activation.parse(act.id())).isEqualTo(act);
        }
    }

    @Test
    void parseRejectsUnknownNamesListingTheAllowedOnes() {
        assertThatThrownBy(() -> Activation.parse("softmax"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("softmax")
                .hasMessageContaining("relu, leaky_relu, sigmoid, tanh, linear");
        assertThatThrownBy(() -> Activation.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
