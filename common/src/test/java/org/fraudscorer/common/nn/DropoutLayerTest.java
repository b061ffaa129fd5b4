package org.fraudscorer.common.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DropoutLayerTest {

    private static final int SIZE = 1000;
    private static final int BATCH = 1000;

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.3, 0.5})
    void trainingDropsAboutRateAndPreservesTheMean(double rate) {
        DropoutLayer layer = new DropoutLayer(SIZE, rate, new SplittableRandom(11));
        double[] x = new double[SIZE * BATCH];
        Arrays.fill(x, 2.0);
        double[] y = new double[x.length];
        layer.forward(x, y, BATCH, true);

        long zeros = Arrays.stream(y).filter(v -> v == 0.0).count();
        assertThat((double) zeros / y.length).isCloseTo(rate, within(0.02));
        assertThat(Fixtures.mean(y)).isCloseTo(2.0, within(0.02 * 2.0));
        assertThat(Arrays.stream(y).filter(v -> v != 0.0).distinct().toArray())
                .containsExactly(new double[] {2.0 / (1 - rate)}, within(1e-12));
    }

    @Test
    void inferenceIsTheIdentity() {
        DropoutLayer layer = new DropoutLayer(5, 0.5, new SplittableRandom(1));
        double[] x = Fixtures.gaussian(new SplittableRandom(2), 15, 1.0);
        double[] y = new double[15];
        layer.forward(x, y, 3, false);
        assertThat(y).containsExactly(x);

        double[] gradIn = new double[15];
        layer.backward(x, gradIn, 3);
        assertThat(gradIn).containsExactly(x);
    }

    @Test
    void backwardAppliesTheForwardMaskMatchingFiniteDifferences() {
        int size = 6;
        int batch = 4;
        double rate = 0.4;
        SplittableRandom data = new SplittableRandom(3);
        double[] x = Fixtures.gaussian(data, size * batch, 1.0);
        double[] c = Fixtures.gaussian(data, size * batch, 1.0);
        // loss = sum c_i y_i, so d loss / d y = c; a fresh layer with the same seed replays the mask.
        java.util.function.DoubleSupplier loss = () -> {
            DropoutLayer fresh = new DropoutLayer(size, rate, new SplittableRandom(99));
            double[] y = new double[size * batch];
            fresh.forward(x, y, batch, true);
            double sum = 0;
            for (int i = 0; i < y.length; i++) {
                sum += c[i] * y[i];
            }
            return sum;
        };
        DropoutLayer layer = new DropoutLayer(size, rate, new SplittableRandom(99));
        double[] y = new double[size * batch];
        layer.forward(x, y, batch, true);
        double[] gradIn = new double[size * batch];
        layer.backward(c, gradIn, batch);

        assertThat(gradIn).contains(0.0);
        GradientCheck.assertMatches("d loss / d x", x, gradIn, loss);
    }

    @Test
    void hasNoParametersAndToleratesNullGradIn() {
        DropoutLayer layer = new DropoutLayer(3, 0.2, new SplittableRandom(1));
        assertThat(layer.parameters()).isEmpty();
        layer.forward(new double[3], new double[3], 1, true);
        layer.backward(new double[3], null, 1);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.0, 1.5, Double.NaN})
    void rateOutsideZeroToOneIsRejected(double rate) {
        assertThatThrownBy(() -> new DropoutLayer(3, rate, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a value in [0, 1)")
                .hasMessageContaining("got " + rate);
    }

    @Test
    void badShapesNameExpectedAndActual() {
        DropoutLayer layer = new DropoutLayer(4, 0.2, new SplittableRandom(1));
        assertThatThrownBy(() -> layer.forward(new double[7], new double[8], 2, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 2 x 4 = 8")
                .hasMessageContaining("length 7");
    }
}
