package org.fraudscorer.common.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** End-to-end learning check: XOR needs a hidden layer, and backprop must be able to find one. */
class XorTest {

    private static final double[] X = {0, 0, 0, 1, 1, 0, 1, 1};
    private static final double[] Y = {0, 1, 1, 0};
    private static final int N = 4;

    @Test
    void withoutAHiddenLayerXorIsNotSeparable() {
        MLP linear = MLP.build(new int[] {2, 1}, Activation.RELU, 0.0, 1);
        double loss = train(linear, 0.5, 3000);
        assertThat(accuracy(linear)).isLessThanOrEqualTo(0.75);
        // by construction: the best a linear model can do on XOR under BCE is p = 0.5 everywhere, a loss of ln 2
        assertThat(loss).isGreaterThanOrEqualTo(Math.log(2) - 1e-9);
    }

    /**
     * Seed 1 is fixed; with this recipe 18 of seeds 1..20 reach 100% (3 and 20 stall in a local
     * minimum where too few ReLUs separate the corners), so the success is not a lucky pick.
     */
    @Test
    void aSmallReluNetworkLearnsXor() {
        MLP mlp = MLP.build(new int[] {2, 4, 1}, Activation.RELU, 0.0, 1);
        SplittableRandom rng = new SplittableRandom(1);
        for (DenseLayer layer : mlp.denseLayers()) {
            layer.initialize(rng, 0.1); // a positive bias keeps ReLUs alive at the all-zero input
        }
        double[] initialHidden = mlp.denseLayers().get(0).weights().clone();
        double finalLoss = train(mlp, 0.3, 3000);
        assertThat(accuracy(mlp)).isEqualTo(1.0);
        assertThat(finalLoss).isLessThan(0.1);
        // backprop reached the hidden layer: its weights moved from their initial values
        assertThat(maxAbsDifference(mlp.denseLayers().get(0).weights(), initialHidden)).isGreaterThan(0.1);
    }

    /**
     * What a broken backward pass cannot do: the same network from the same start, with only the output layer
     * trained (the gradient never reaching the hidden layer, as when backward stops after the last layer), stays
     * far above the loss the full network reaches; a linear model stays at ln 2 or above.
     */
    @Test
    void theLossBoundIsOneOnlyBackpropThroughTheHiddenLayerReaches() {
        MLP frozen = MLP.build(new int[] {2, 4, 1}, Activation.RELU, 0.0, 1);
        SplittableRandom rng = new SplittableRandom(1);
        for (DenseLayer layer : frozen.denseLayers()) {
            layer.initialize(rng, 0.1);
        }
        double[] initialHidden = frozen.denseLayers().get(0).weights().clone();
        DenseLayer output = frozen.denseLayers().get(frozen.denseLayers().size() - 1);
        double loss = train(frozen, 0.3, 3000, java.util.List.of(output.weightParameter(), output.biasParameter()));
        assertThat(frozen.denseLayers().get(0).weights()).isEqualTo(initialHidden);
        System.out.printf("XorTest: loss with the hidden layer frozen %.4f%n", loss);
        assertThat(loss).as("loss with the hidden layer frozen at its initial weights").isGreaterThan(0.3);
    }

    private static double maxAbsDifference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** Plain full-batch gradient descent; returns the loss after the last step. */
    private static double train(MLP mlp, double learningRate, int steps) {
        return train(mlp, learningRate, steps, mlp.parameters());
    }

    /** As above, stepping only {@code trained} (the others keep their values). */
    private static double train(MLP mlp, double learningRate, int steps, java.util.List<Parameter> trained) {
        double[] grad = new double[N];
        double loss = Double.NaN;
        for (int step = 0; step < steps; step++) {
            double[] logits = mlp.forward(X, N, true);
            loss = Loss.bceWithLogits(logits, Y, null, N, grad);
            mlp.backward(grad, N);
            for (Parameter p : trained) {
                Kernels.axpy(-learningRate, p.grad(), p.value(), p.size());
            }
        }
        return Loss.bceWithLogits(mlp.forward(X, N, false), Y, null, N, null);
    }

    private static double accuracy(MLP mlp) {
        double[] p = mlp.predictProba(X, N);
        int correct = 0;
        for (int i = 0; i < N; i++) {
            if ((p[i] >= 0.5) == (Y[i] == 1.0)) {
                correct++;
            }
        }
        return (double) correct / N;
    }
}
