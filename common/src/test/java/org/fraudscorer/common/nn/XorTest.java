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
        train(linear, 0.5, 3000);
        assertThat(accuracy(linear)).isLessThanOrEqualTo(0.75);
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
        double finalLoss = train(mlp, 0.3, 3000);
        assertThat(accuracy(mlp)).isEqualTo(1.0);
        assertThat(finalLoss).isLessThan(0.1);
    }

    /** Plain full-batch gradient descent; returns the loss after the last step. */
    private static double train(MLP mlp, double learningRate, int steps) {
        double[] grad = new double[N];
        double loss = Double.NaN;
        for (int step = 0; step < steps; step++) {
            double[] logits = mlp.forward(X, N, true);
            loss = Loss.bceWithLogits(logits, Y, null, N, grad);
            mlp.backward(grad, N);
            for (Parameter p : mlp.parameters()) {
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
