package org.fraudscorer.common.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MLPTest {

    private static final int[] SIZES = {29, 16, 16, 1};

    @Test
    void buildStacksHiddenLayersAndALinearLogit() {
        MLP mlp = MLP.build(SIZES, Activation.LEAKY_RELU, 0.0, 1);
        assertThat(mlp.sizes()).containsExactly(SIZES);
        assertThat(mlp.inputSize()).isEqualTo(29);
        assertThat(mlp.layers()).hasSize(3).allMatch(l -> l instanceof DenseLayer);
        assertThat(mlp.denseLayers()).extracting(DenseLayer::activation)
                .containsExactly(Activation.LEAKY_RELU, Activation.LEAKY_RELU, Activation.LINEAR);
        assertThat(mlp.parameterCount()).isEqualTo(29 * 16 + 16 + 16 * 16 + 16 + 16 + 1);
        assertThat(mlp.parameters()).extracting(Parameter::name).containsExactly(
                "dense0.weights", "dense0.biases", "dense1.weights", "dense1.biases", "dense2.weights", "dense2.biases");
    }

    @Test
    void dropoutFollowsEveryHiddenLayerButNotTheLogit() {
        MLP mlp = MLP.build(SIZES, Activation.RELU, 0.25, 1);
        assertThat(mlp.dropout()).isEqualTo(0.25);
        assertThat(mlp.layers()).extracting(l -> l.getClass().getSimpleName()).containsExactly(
                "DenseLayer", "DropoutLayer", "DenseLayer", "DropoutLayer", "DenseLayer");
        assertThat(mlp.parameterCount()).isEqualTo(29 * 16 + 16 + 16 * 16 + 16 + 16 + 1);
    }

    @Test
    void sameSeedSameModelDifferentSeedDifferentModel() {
        MLP a = MLP.build(SIZES, Activation.RELU, 0.3, 42);
        MLP b = MLP.build(SIZES, Activation.RELU, 0.3, 42);
        MLP c = MLP.build(SIZES, Activation.RELU, 0.3, 43);
        for (int k = 0; k < 3; k++) {
            assertThat(a.denseLayers().get(k).weights()).containsExactly(b.denseLayers().get(k).weights());
        }
        assertThat(a.denseLayers().get(0).weights()).isNotEqualTo(c.denseLayers().get(0).weights());

        double[] x = Fixtures.gaussian(new SplittableRandom(5), 8 * 29, 1.0);
        double[] trainA = a.forward(x, 8, true).clone();
        assertThat(b.forward(x, 8, true)).as("same dropout masks").startsWith(trainA);
        assertThat(a.forward(x, 8, true)).as("fresh masks on the next batch").isNotEqualTo(trainA);
    }

    @Test
    void batchForwardMatchesSingleRecordInferenceRowByRow() {
        MLP mlp = MLP.build(SIZES, Activation.TANH, 0.5, 9);
        int batch = 13;
        double[] x = Fixtures.gaussian(new SplittableRandom(10), batch * 29, 1.0);
        double[] logits = mlp.forward(x, batch, false).clone();
        double[] proba = mlp.predictProba(x, batch);
        Inference inference = mlp.newInference();

        for (int r = 0; r < batch; r++) {
            double[] row = Arrays.copyOfRange(x, r * 29, (r + 1) * 29);
            assertThat(inference.logit(row)).isCloseTo(logits[r], within(1e-12));
            assertThat(inference.probability(row)).isCloseTo(proba[r], within(1e-12));
            assertThat(proba[r]).isEqualTo(Loss.sigmoid(logits[r]));
        }
    }

    @Test
    void inferenceExposesEachDenseLayersActivations() {
        MLP mlp = MLP.build(SIZES, Activation.RELU, 0.0, 3);
        double[] x = Fixtures.gaussian(new SplittableRandom(4), 29, 1.0);
        Inference inference = mlp.newInference();
        double logit = inference.logit(x);
        mlp.forward(x, 1, false);
        for (int k = 0; k < 3; k++) {
            DenseLayer layer = mlp.denseLayers().get(k);
            assertThat(inference.activations(k)).containsExactly(
                    Arrays.copyOf(layer.lastOutput(), layer.outputSize()), within(1e-12));
        }
        assertThat(inference.activations(2)[0]).isEqualTo(logit);
    }

    @Test
    void buffersAreReusedAcrossBatches() {
        MLP mlp = MLP.build(SIZES, Activation.RELU, 0.0, 3);
        double[] x = Fixtures.gaussian(new SplittableRandom(4), 64 * 29, 1.0);
        double[] big = mlp.forward(x, 64, true);
        double[] small = mlp.forward(x, 5, true);
        assertThat(small).isSameAs(big);
        mlp.backward(new double[5], 5);
    }

    @Test
    void ofUsesTheGivenLayersAndChecksThatTheyChain() {
        DenseLayer hidden = new DenseLayer(3, 2, Activation.SIGMOID);
        DenseLayer out = new DenseLayer(2, 1, Activation.LINEAR);
        MLP mlp = MLP.of(List.of(hidden, out), 0.0, 0);
        assertThat(mlp.denseLayers()).containsExactly(hidden, out);
        assertThat(mlp.sizes()).containsExactly(3, 2, 1);

        assertThatThrownBy(() -> MLP.of(List.of(hidden, new DenseLayer(4, 1, Activation.LINEAR)), 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected input size 2")
                .hasMessageContaining("got 4");
        assertThatThrownBy(() -> MLP.of(List.of(new DenseLayer(3, 1, Activation.SIGMOID)), 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 1 output with activation linear but got 1 with sigmoid");
        assertThatThrownBy(() -> MLP.of(List.of(out), 1.0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[0, 1)");
    }

    @Test
    void buildRejectsBadSizes() {
        assertThatThrownBy(() -> MLP.build(new int[] {29}, Activation.RELU, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected at least 2 entries")
                .hasMessageContaining("got 1");
        assertThatThrownBy(() -> MLP.build(new int[] {29, 16, 2}, Activation.RELU, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected last size 1")
                .hasMessageContaining("got 2");
        assertThatThrownBy(() -> MLP.build(new int[] {29, 0, 1}, Activation.RELU, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected > 0 but got 0");
    }

    @Test
    void forwardAndBackwardCheckShapes() {
        MLP mlp = MLP.build(SIZES, Activation.RELU, 0.0, 1);
        assertThatThrownBy(() -> mlp.backward(new double[2], 2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> mlp.forward(new double[50], 2, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 2 x 29 = 58")
                .hasMessageContaining("length 50");
        mlp.forward(new double[58], 2, true);
        assertThatThrownBy(() -> mlp.backward(new double[1], 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 2 x 1 = 2");
        assertThatThrownBy(() -> mlp.backward(new double[3], 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected batch 2");
    }
}
