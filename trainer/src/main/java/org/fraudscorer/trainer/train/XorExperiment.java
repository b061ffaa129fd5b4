package org.fraudscorer.trainer.train;

import java.util.List;
import org.fraudscorer.common.nn.Activation;
import org.fraudscorer.common.nn.Loss;
import org.fraudscorer.common.nn.MLP;
import org.fraudscorer.common.nn.Parameter;

/**
 * The depth proof: XOR is not linearly separable, so a network without a hidden layer cannot fit it, while one
 * hidden layer of ReLU units can. Full-batch Adam on the four points.
 */
public final class XorExperiment {
    public static final double[] X = {0, 0, 0, 1, 1, 0, 1, 1};
    public static final double[] Y = {0, 1, 1, 0};

    public record Result(MLP network, double accuracy, double loss, double[] probabilities) {
    }

    private XorExperiment() {
    }

    public static Result run(int[] sizes, long seed, int steps, double learningRate) {
        MLP net = MLP.build(sizes, Activation.RELU, 0.0, seed);
        List<Parameter> params = net.parameters();
        Adam adam = new Adam(0.9, 0.999, 1e-8);
        double[] grad = new double[4];
        double loss = Double.NaN;
        for (int s = 0; s < steps; s++) {
            double[] logits = net.forward(X, 4, true);
            loss = Loss.bceWithLogits(logits, Y, null, 4, grad);
            net.backward(grad, 4);
            adam.step(params, learningRate);
        }
        double[] p = net.predictProba(X, 4);
        int correct = 0;
        for (int i = 0; i < 4; i++) {
            correct += (p[i] >= 0.5 ? 1 : 0) == (int) Y[i] ? 1 : 0;
        }
        return new Result(net, correct / 4.0, loss, p);
    }
}
