package org.fraudscorer.common.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Back-propagation against central finite differences for every parameter and input. */
class GradientCheckTest {

    private static final int[] SIZES = {4, 5, 3, 1};
    private static final int BATCH = 7;

    /** A random 4-5-3-1 network and batch whose hidden pre-activations keep clear of ReLU kinks. */
    private static final class Problem {
        final MLP mlp;
        final double[] x;
        final double[] labels;
        final double[] rowWeights;
        final long seed;

        Problem(Activation hidden, double dropout) {
            for (long s = 1; s <= 100; s++) {
                SplittableRandom rng = new SplittableRandom(1000 + s);
                MLP candidate = MLP.build(SIZES, hidden, dropout, s);
                for (DenseLayer layer : candidate.denseLayers()) {
                    // Non-zero biases so their gradients are exercised too.
                    System.arraycopy(Fixtures.gaussian(rng, layer.outputSize(), 0.3), 0, layer.biases(), 0,
                            layer.outputSize());
                }
                double[] xs = Fixtures.gaussian(rng, BATCH * SIZES[0], 1.0);
                if (clearOfKinks(candidate, xs)) {
                    mlp = candidate;
                    x = xs;
                    labels = Fixtures.labels(rng, BATCH);
                    rowWeights = Fixtures.uniform(rng, BATCH, 0.5, 3.0);
                    seed = s;
                    return;
                }
            }
            throw new IllegalStateException("no seed in 1..100 keeps pre-activations clear of 0");
        }

        private static boolean clearOfKinks(MLP mlp, double[] x) {
            mlp.forward(x, BATCH, false);
            for (DenseLayer layer : mlp.denseLayers()) {
                double[] z = layer.lastPreActivation();
                for (int i = 0; i < BATCH * layer.outputSize(); i++) {
                    if (Math.abs(z[i]) < 1e-3) {
                        return false;
                    }
                }
            }
            return true;
        }

        double loss(MLP net, boolean training) {
            double[] logits = net.forward(x, BATCH, training);
            return Loss.bceWithLogits(logits, labels, rowWeights, BATCH, null);
        }

        void backprop(MLP net, boolean training) {
            double[] logits = net.forward(x, BATCH, training);
            double[] grad = new double[BATCH];
            Loss.bceWithLogits(logits, labels, rowWeights, BATCH, grad);
            net.backward(grad, BATCH);
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void parameterGradientsMatchFiniteDifferences(Activation hidden) {
        Problem p = new Problem(hidden, 0.0);
        p.backprop(p.mlp, false);

        double worst = 0.0;
        for (Parameter param : p.mlp.parameters()) {
            worst = Math.max(worst, GradientCheck.assertMatches(param.name(), param.value(), param.grad(),
                    () -> p.loss(p.mlp, false)));
        }
        assertThat(worst).isLessThan(GradientCheck.TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void gradientsWithL2MatchFiniteDifferences(Activation hidden) {
        Problem p = new Problem(hidden, 0.0);
        double lambda = 0.05;
        p.backprop(p.mlp, false);
        Loss.addL2Gradient(p.mlp, lambda);

        DoubleSupplier loss = () -> p.loss(p.mlp, false) + Loss.l2Penalty(p.mlp, lambda);
        for (Parameter param : p.mlp.parameters()) {
            GradientCheck.assertMatches(param.name(), param.value(), param.grad(), loss);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"RELU", "TANH"})
    void gradientsThroughDropoutMatchFiniteDifferences(Activation hidden) {
        Problem p = new Problem(hidden, 0.4);
        // Rebuilding from the same seed replays the same dropout masks, so the loss is a
        // deterministic function of the parameters.
        DoubleSupplier loss = () -> p.loss(MLP.of(p.mlp.denseLayers(), 0.4, p.seed), true);
        MLP net = MLP.of(p.mlp.denseLayers(), 0.4, p.seed);
        p.backprop(net, true);
        assertThat(loss.getAsDouble()).as("dropout must change the training loss")
                .isNotEqualTo(p.loss(p.mlp, false));

        for (Parameter param : p.mlp.parameters()) {
            GradientCheck.assertMatches(param.name(), param.value(), param.grad(), loss);
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void inferenceInputGradientMatchesFiniteDifferences(Activation hidden) {
        Problem p = new Problem(hidden, 0.0);
        Inference inference = p.mlp.newInference();
        double[] x = Arrays.copyOf(p.x, SIZES[0]);
        double[] grad = new double[SIZES[0]];
        inference.inputGradient(x, grad);

        GradientCheck.assertMatches("d logit / d x", x, grad, () -> inference.logit(x));
        assertThat(grad).as("gradient must not be trivially zero").isNotEqualTo(new double[SIZES[0]]);
    }

    @Test
    void lossGradientMatchesFiniteDifferencesIncludingHugeLogits() {
        double[] logits = {0.3, -2.0, 50.0, -50.0, 500.0, -500.0, 500.0, -500.0, 7.0};
        double[] labels = {1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.25};
        double[] weights = {1.0, 2.0, 0.5, 3.0, 1.5, 1.0, 2.0, 0.7, 1.2};
        int n = logits.length;
        double[] grad = new double[n];

        double loss = Loss.bceWithLogits(logits, labels, weights, n, grad);

        assertThat(loss).isFinite().isCloseTo(referenceLoss(logits, labels, weights), within(1e-12));
        assertThat(Arrays.stream(grad).allMatch(Double::isFinite)).isTrue();
        GradientCheck.assertMatches("d loss / d z", logits, grad,
                () -> Loss.bceWithLogits(logits, labels, weights, n, null));
    }

    /** The same loss written as y softplus(-z) + (1-y) softplus(z), with an independently stable softplus. */
    private static double referenceLoss(double[] z, double[] y, double[] w) {
        double sum = 0.0;
        for (int i = 0; i < z.length; i++) {
            sum += w[i] * (y[i] * softplus(-z[i]) + (1 - y[i]) * softplus(z[i]));
        }
        return sum / z.length;
    }

    private static double softplus(double t) {
        return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
    }
}
