package org.fraudscorer.common.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DenseLayerTest {

    @Test
    void heInitHasStdSqrtTwoOverFanIn() {
        DenseLayer layer = new DenseLayer(1000, 1000, Activation.RELU);
        layer.initialize(new SplittableRandom(7), 0.0);
        double expected = Math.sqrt(2.0 / 1000);
        assertThat(Fixtures.std(layer.weights())).isCloseTo(expected, within(0.05 * expected));
        assertThat(Fixtures.mean(layer.weights())).isCloseTo(0.0, within(0.01 * expected));
    }

    @Test
    void xavierInitHasStdSqrtTwoOverFanInPlusFanOut() {
        DenseLayer layer = new DenseLayer(1000, 1000, Activation.TANH);
        layer.initialize(new SplittableRandom(7), 0.25);
        double expected = Math.sqrt(2.0 / 2000);
        assertThat(Fixtures.std(layer.weights())).isCloseTo(expected, within(0.05 * expected));
        assertThat(layer.biases()).containsOnly(0.25);
    }

    @Test
    void forwardComputesActivationOfAffineAndCachesPreActivation() {
        DenseLayer layer = new DenseLayer(2, 2, Activation.RELU);
        System.arraycopy(new double[] {1, -1, 2, 3}, 0, layer.weights(), 0, 4);
        layer.biases()[0] = 0.5;
        double[] out = new double[2];
        layer.forward(new double[] {1, 2}, out, 1, true);
        // z = [1 - 2 + 0.5, 2 + 6] = [-0.5, 8]
        assertThat(layer.lastPreActivation()).startsWith(-0.5, 8);
        assertThat(out).containsExactly(0, 8);
        assertThat(layer.lastOutput()).isSameAs(out);
    }

    @Test
    void buffersGrowForBigBatchesAndAreReusedForSmallerOnes() {
        DenseLayer layer = new DenseLayer(3, 2, Activation.TANH);
        layer.initialize(new SplittableRandom(3), 0.1);
        double[] x = Fixtures.gaussian(new SplittableRandom(4), 8 * 3, 1.0);
        layer.forward(x, new double[16], 8, true);
        double[] buffer = layer.lastPreActivation();

        double[] out = new double[4];
        layer.forward(x, out, 2, true);
        assertThat(layer.lastPreActivation()).isSameAs(buffer);

        DenseLayer twin = new DenseLayer(3, 2, Activation.TANH);
        twin.initialize(new SplittableRandom(3), 0.1);
        double[] expected = new double[4];
        twin.forward(x, expected, 2, true);
        assertThat(out).containsExactly(expected);
    }

    @Test
    void backwardOverwritesRatherThanAccumulates() {
        DenseLayer layer = new DenseLayer(3, 2, Activation.SIGMOID);
        layer.initialize(new SplittableRandom(5), 0.0);
        double[] x = Fixtures.gaussian(new SplittableRandom(6), 4 * 3, 1.0);
        double[] gradOut = Fixtures.gaussian(new SplittableRandom(8), 4 * 2, 1.0);
        layer.forward(x, new double[8], 4, true);
        layer.backward(gradOut, null, 4);
        double[] first = layer.weightParameter().grad().clone();
        double[] firstBias = layer.biasParameter().grad().clone();
        layer.backward(gradOut, null, 4);
        assertThat(layer.weightParameter().grad()).containsExactly(first);
        assertThat(layer.biasParameter().grad()).containsExactly(firstBias);
        assertThat(first).isNotEqualTo(new double[6]);
    }

    @Test
    void parametersShareTheLayerStorage() {
        DenseLayer layer = new DenseLayer("dense3", 4, 2, Activation.LINEAR);
        assertThat(layer.parameters()).extracting(Parameter::name).containsExactly("dense3.weights", "dense3.biases");
        assertThat(layer.parameters().get(0).value()).isSameAs(layer.weights()).hasSize(8);
        assertThat(layer.parameters().get(1).value()).isSameAs(layer.biases()).hasSize(2);
    }

    @Test
    void badShapesNameExpectedAndActual() {
        DenseLayer layer = new DenseLayer(4, 3, Activation.RELU);
        assertThatThrownBy(() -> layer.forward(new double[11], new double[9], 3, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input")
                .hasMessageContaining("expected 3 x 4 = 12")
                .hasMessageContaining("length 11");
        assertThatThrownBy(() -> layer.forward(new double[12], new double[8], 3, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("output")
                .hasMessageContaining("expected 3 x 3 = 9");
        assertThatThrownBy(() -> new DenseLayer(0, 3, Activation.RELU))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected > 0 but got 0");
    }

    @Test
    void backwardMustFollowAForwardOfTheSameBatch() {
        DenseLayer layer = new DenseLayer(2, 1, Activation.LINEAR);
        assertThatThrownBy(() -> layer.backward(new double[1], null, 1)).isInstanceOf(IllegalStateException.class);
        layer.forward(new double[6], new double[3], 3, true);
        assertThatThrownBy(() -> layer.backward(new double[2], null, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected batch 3")
                .hasMessageContaining("got 2");
    }

    @Test
    void batchForwardOnTheVectorKernelIsBitIdenticalToTheScalarKernel() {
        // The training and batch-scoring forward pass runs on the transposed-weight SIMD kernel (the build's test JVMs
        // have the Vector API: InferenceTest checks it). Every shape class: blocks of four vectors, single vectors,
        // scalar tails, fewer outputs than lanes (scalar kernel); weights changed between calls (as training does)
        // must be seen by the next forward.
        assertThat(Simd.enabled()).as(Simd.description()).isTrue();
        int[][] shapes = {{17, 64}, {64, 32}, {29, 37}, {15, 5}, {3, 1}, {40, 4}};
        SplittableRandom rng = new SplittableRandom(23);
        for (int[] shape : shapes) {
            int in = shape[0];
            int out = shape[1];
            DenseLayer layer = new DenseLayer(in, out, Activation.LINEAR);
            for (int round = 0; round < 2; round++) {
                layer.initialize(rng, rng.nextDouble() - 0.5);
                int batch = 1 + rng.nextInt(70);
                double[] x = new double[batch * in];
                for (int i = 0; i < x.length; i++) {
                    x[i] = rng.nextGaussian() * 3;
                }
                double[] simd = new double[batch * out];
                layer.forward(x, simd, batch, true);
                double[] scalar = new double[batch * out];
                Kernels.affine(x, batch, in, layer.weights(), layer.biases(), out, scalar);
                for (int k = 0; k < scalar.length; k++) {
                    assertThat(Double.doubleToRawLongBits(simd[k])).as("%dx%d output %d", in, out, k)
                            .isEqualTo(Double.doubleToRawLongBits(scalar[k]));
                }
            }
        }
    }
}
