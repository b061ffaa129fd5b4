package org.fraudscorer.common.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.fraudscorer.common.testing.AllocationMeter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InferenceTest {

    /** Bytes 10,000 scored + explained records may allocate: none per record. */
    private static final long MAX_BYTES = 299;

    // RELU: fused into the SIMD kernel; TANH: the unfused path (SIMD affine, then the scalar activation loop).
    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"RELU", "TANH"})
    void scoringAndExplainingDoNotAllocate(Activation hidden) {
        MLP mlp = MLP.build(new int[] {29, 16, 16, 1}, hidden, 0.2, 1);
        Inference inference = mlp.newInference();
        double[] x = Fixtures.gaussian(new SplittableRandom(2), 29, 1.0);
        double[] grad = new double[29];

        // rounds of 10,000 scored + explained records until the JIT is done with the path and the figure is stable
        AllocationMeter.Measurement m = new AllocationMeter().measure(10_000, Duration.ofMinutes(3), MAX_BYTES,
                calls -> (long) score(inference, x, grad, calls));

        System.out.printf("InferenceTest: %d B per %d records after %d rounds%n", m.bytesPerRound(), m.callsPerRound(),
                m.rounds());
        assertThat(score(inference, x, grad, 1)).isFinite();
        assertThat(m.bytesPerRound()).as("bytes allocated by 10,000 scored + explained records")
                .isLessThanOrEqualTo(MAX_BYTES);
    }

    private static double score(Inference inference, double[] x, double[] grad, int calls) {
        double sink = 0;
        for (int i = 0; i < calls; i++) {
            x[i % x.length] += 1e-9; // vary the input so the work cannot be hoisted
            sink += inference.probability(x);
            inference.inputGradient(x, grad);
            sink += grad[0] + inference.activations(0)[0];
        }
        return sink;
    }

    @Test
    void snapshotsTheWeightsWhenCreated() {
        MLP mlp = MLP.build(new int[] {3, 1}, Activation.RELU, 0.0, 1);
        Inference inference = mlp.newInference();
        double[] x = {1, 2, 3};
        double before = inference.logit(x);
        mlp.denseLayers().get(0).biases()[0] += 0.5;
        assertThat(inference.logit(x)).isEqualTo(before);
        assertThat(mlp.newInference().logit(x)).isEqualTo(before + 0.5);
    }

    @Test
    void theBuildRunsTheSimdKernels() {
        // The build starts test JVMs with --add-modules jdk.incubator.vector (as ./fraud does), so the SIMD path is
        // the one under test; if this fails, the other SIMD tests would compare the scalar path with itself.
        assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
        assertThat(Simd.enabled()).as(Simd.description()).isTrue();
        assertThat(MLP.build(new int[] {4, 1}, Activation.RELU, 0.0, 1).newInference().simd()).isTrue();
    }

    @Test
    void simdAndScalarKernelsGiveBitIdenticalResults() {
        // Every shape class the vector kernel distinguishes: blocks of four vectors, single vectors, scalar tails,
        // a single output; each activation (ReLU is fused into the vector kernel, the others are not).
        int[][] shapes = {{29, 16, 16, 1}, {29, 128, 64, 1}, {15, 37, 5, 1}, {1, 3, 1}, {7, 2, 1}, {40, 33, 17, 9, 1}};
        SplittableRandom rng = new SplittableRandom(17);
        int compared = 0;
        for (int[] sizes : shapes) {
            for (Activation hidden : Activation.values()) {
                MLP mlp = MLP.build(sizes, hidden, 0.0, sizes.length * 31L + hidden.ordinal());
                for (DenseLayer layer : mlp.denseLayers()) { // non-zero biases, and some exact zeros for ReLU's edge
                    double[] b = layer.biases();
                    for (int o = 0; o < b.length; o++) {
                        b[o] = o % 5 == 0 ? 0.0 : rng.nextGaussian() * 0.3;
                    }
                }
                Inference simd = new Inference(mlp.denseLayers(), true);
                Inference scalar = new Inference(mlp.denseLayers(), false);
                double[] gSimd = new double[sizes[0]];
                double[] gScalar = new double[sizes[0]];
                for (int r = 0; r < 50; r++) {
                    double[] x = Fixtures.gaussian(rng, sizes[0], r % 2 == 0 ? 1.0 : 100.0);
                    if (r == 0) {
                        java.util.Arrays.fill(x, 0.0); // all-zero input: every pre-activation equals its bias
                    }
                    String where = java.util.Arrays.toString(sizes) + " " + hidden + " row " + r;
                    assertThat(Double.doubleToRawLongBits(simd.logit(x))).as(where)
                            .isEqualTo(Double.doubleToRawLongBits(scalar.logit(x)));
                    for (int k = 0; k + 1 < sizes.length; k++) {
                        assertThat(simd.activations(k)).as(where + " layer " + k).containsExactly(scalar.activations(k));
                    }
                    simd.inputGradient(x, gSimd);
                    scalar.inputGradient(x, gScalar);
                    assertThat(gSimd).as(where + " gradient").containsExactly(gScalar);
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(shapes.length * Activation.values().length * 50);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void inferenceMatchesTheBatchForwardPassBitForBit(Activation hidden) {
        // The trainer picks the threshold with MLP.forward (batch kernels); the scorer uses Inference. Same bits.
        MLP mlp = MLP.build(new int[] {29, 16, 16, 1}, hidden, 0.2, 3);
        SplittableRandom rng = new SplittableRandom(5);
        int rows = 64;
        double[] batch = Fixtures.gaussian(rng, rows * 29, 1.0);
        double[] logits = mlp.forward(batch, rows, false).clone();
        Inference inference = mlp.newInference();
        double[] row = new double[29];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(batch, r * 29, row, 0, 29);
            assertThat(inference.logit(row)).as("row " + r).isEqualTo(logits[r]);
        }
    }

    @Test
    void linearModelInputGradientIsItsWeights() {
        MLP mlp = MLP.build(new int[] {3, 1}, Activation.RELU, 0.0, 1);
        double[] grad = new double[3];
        mlp.newInference().inputGradient(new double[] {5, -1, 2}, grad);
        assertThat(grad).containsExactly(mlp.denseLayers().get(0).weights());
    }

    @Test
    void shortInputsAreRejected() {
        Inference inference = MLP.build(new int[] {4, 2, 1}, Activation.RELU, 0.0, 1).newInference();
        assertThatThrownBy(() -> inference.logit(new double[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 1 x 4 = 4")
                .hasMessageContaining("length 3");
        assertThatThrownBy(() -> inference.inputGradient(new double[4], new double[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gradient");
    }
}
