package org.fraudscorer.common.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InferenceTest {

    @Test
    void scoringAndExplainingDoNotAllocate() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting unavailable");
        MLP mlp = MLP.build(new int[] {29, 16, 16, 1}, Activation.RELU, 0.2, 1);
        Inference inference = mlp.newInference();
        double[] x = Fixtures.gaussian(new SplittableRandom(2), 29, 1.0);
        double[] grad = new double[29];

        double sink = score(inference, x, grad, 50_000); // warm up so the JIT has compiled the path
        long before = threads.getCurrentThreadAllocatedBytes();
        sink += score(inference, x, grad, 10_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sink).isFinite();
        assertThat(allocated).as("bytes allocated by 10,000 scored + explained records").isLessThan(300);
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
    void seesLaterWeightUpdates() {
        MLP mlp = MLP.build(new int[] {3, 1}, Activation.RELU, 0.0, 1);
        Inference inference = mlp.newInference();
        double[] x = {1, 2, 3};
        double before = inference.logit(x);
        mlp.denseLayers().get(0).biases()[0] += 0.5;
        assertThat(inference.logit(x)).isEqualTo(before + 0.5);
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
