package org.fraudscorer.common.nn;

import java.util.List;

/**
 * Scores one record at a time without allocating, for the real-time path. Reads the model's live
 * weights (so it sees later training updates) and never applies dropout. Holds per-layer scratch
 * buffers, so it is NOT thread-safe: use one instance per thread.
 */
public final class Inference {

    private final DenseLayer[] layers;
    private final int inputSize;
    private final double[][] preActivations;
    private final double[][] activations;
    private final double[][] gradPreActivations;
    /** gradInputs[k]: d logit / d input of layer k, for k >= 1; layer 0 writes to the caller's array. */
    private final double[][] gradInputs;
    private final double[] seedGradient = {1.0};

    Inference(List<DenseLayer> denseLayers) {
        this.layers = denseLayers.toArray(new DenseLayer[0]);
        this.inputSize = layers[0].inputSize();
        int n = layers.length;
        preActivations = new double[n][];
        activations = new double[n][];
        gradPreActivations = new double[n][];
        gradInputs = new double[n][];
        for (int k = 0; k < n; k++) {
            preActivations[k] = new double[layers[k].outputSize()];
            activations[k] = new double[layers[k].outputSize()];
            gradPreActivations[k] = new double[layers[k].outputSize()];
            gradInputs[k] = k == 0 ? null : new double[layers[k].inputSize()];
        }
    }

    /** The fraud logit of {@code x[0 .. inputSize)}. */
    public double logit(double[] x) {
        Shapes.requireRows("Inference input (1 x inputSize)", x, 1, inputSize);
        return forward(x);
    }

    /** The fraud probability of {@code x[0 .. inputSize)}. */
    public double probability(double[] x) {
        return Kernels.sigmoid(logit(x));
    }

    /** Output of dense layer {@code denseLayerIndex} from the last call; overwritten by the next. */
    public double[] activations(int denseLayerIndex) {
        return activations[denseLayerIndex];
    }

    /**
     * Writes d logit / d x for one record into {@code out[0 .. inputSize)}, e.g. for
     * gradient x input explanations. Also leaves the forward activations of {@code x} in place.
     */
    public void inputGradient(double[] x, double[] out) {
        Shapes.requireRows("Inference input (1 x inputSize)", x, 1, inputSize);
        Shapes.requireRows("Inference gradient output (1 x inputSize)", out, 1, inputSize);
        forward(x);
        double[] gradOut = seedGradient; // d logit / d logit = 1
        for (int k = layers.length - 1; k >= 0; k--) {
            DenseLayer layer = layers[k];
            int in = layer.inputSize();
            int o = layer.outputSize();
            layer.activation().backward(preActivations[k], activations[k], gradOut, gradPreActivations[k], o);
            double[] gradIn = k == 0 ? out : gradInputs[k];
            Kernels.transposedMatVec(layer.weights(), in, o, gradPreActivations[k], gradIn);
            gradOut = gradIn;
        }
    }

    private double forward(double[] x) {
        double[] in = x;
        for (int k = 0; k < layers.length; k++) {
            DenseLayer layer = layers[k];
            int o = layer.outputSize();
            Kernels.matVec(layer.weights(), layer.biases(), layer.inputSize(), o, in, preActivations[k]);
            layer.activation().forward(preActivations[k], activations[k], o);
            in = activations[k];
        }
        return in[0];
    }

    public int inputSize() {
        return inputSize;
    }
}
