package org.fraudscorer.common.nn;

import java.util.List;

/**
 * Scores one record at a time without allocating, for the real-time path. Never applies dropout.
 *
 * <p>Takes a <em>snapshot</em> of the network's weights when created (in the layouts the kernels want: row-major
 * for the scalar kernels and the backward pass, transposed for the {@linkplain Simd SIMD} forward pass), so
 * training the network further does not change an existing instance: create a new one. Holds per-layer scratch
 * buffers, so it is NOT thread-safe: use one instance per thread.
 */
public final class Inference {

    private final Activation[] activationFns;
    private final int[] ins;
    private final int[] outs;
    /** Row-major {@code out x in} copies: scalar forward and the backward pass. */
    private final double[][] weights;
    /** Transposed {@code in x out} copies for the SIMD forward pass (null when SIMD is off). */
    private final double[][] transposed;
    private final double[][] biases;
    private final boolean simd;
    private final int inputSize;
    private final double[][] preActivations;
    private final double[][] activations;
    private final double[][] gradPreActivations;
    /** gradInputs[k]: d logit / d input of layer k, for k >= 1; layer 0 writes to the caller's array. */
    private final double[][] gradInputs;
    private final double[] seedGradient = {1.0};

    Inference(List<DenseLayer> denseLayers) {
        this(denseLayers, Simd.enabled());
    }

    /** {@code simd} true needs {@link Simd#enabled()}; false forces the scalar kernels (tests compare both). */
    Inference(List<DenseLayer> denseLayers, boolean simd) {
        if (simd && !Simd.enabled()) {
            throw new IllegalStateException("SIMD kernels unavailable: " + Simd.description());
        }
        this.simd = simd;
        DenseLayer[] layers = denseLayers.toArray(new DenseLayer[0]);
        this.inputSize = layers[0].inputSize();
        int n = layers.length;
        activationFns = new Activation[n];
        ins = new int[n];
        outs = new int[n];
        weights = new double[n][];
        transposed = simd ? new double[n][] : null;
        biases = new double[n][];
        for (int k = 0; k < n; k++) {
            DenseLayer layer = layers[k];
            int in = layer.inputSize();
            int out = layer.outputSize();
            activationFns[k] = layer.activation();
            ins[k] = in;
            outs[k] = out;
            weights[k] = layer.weights().clone();
            biases[k] = layer.biases().clone();
            if (simd) {
                transposed[k] = new double[in * out];
                Kernels.transpose(weights[k], in, out, transposed[k]);
            }
        }
        preActivations = new double[n][];
        activations = new double[n][];
        gradPreActivations = new double[n][];
        gradInputs = new double[n][];
        for (int k = 0; k < n; k++) {
            preActivations[k] = new double[outs[k]];
            activations[k] = new double[outs[k]];
            gradPreActivations[k] = new double[outs[k]];
            gradInputs[k] = k == 0 ? null : new double[ins[k]];
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
        for (int k = ins.length - 1; k >= 0; k--) {
            int in = ins[k];
            int o = outs[k];
            activationFns[k].backward(preActivations[k], activations[k], gradOut, gradPreActivations[k], o);
            double[] gradIn = k == 0 ? out : gradInputs[k];
            Kernels.transposedMatVec(weights[k], in, o, gradPreActivations[k], gradIn);
            gradOut = gradIn;
        }
    }

    private double forward(double[] x) {
        double[] in = x;
        for (int k = 0; k < ins.length; k++) {
            int o = outs[k];
            Activation f = activationFns[k];
            if (simd) {
                // ReLU is fused: applied in registers before the store. Any other activation runs its scalar loop,
                // as on the scalar path: a vector exp or tanh only promises Math's accuracy, not its bits.
                boolean relu = f == Activation.RELU;
                VectorKernels.affine(in, ins[k], transposed[k], biases[k], o, preActivations[k],
                        relu ? activations[k] : null);
                if (!relu) {
                    f.forward(preActivations[k], activations[k], o);
                }
            } else {
                Kernels.matVec(weights[k], biases[k], ins[k], o, in, preActivations[k]);
                f.forward(preActivations[k], activations[k], o);
            }
            in = activations[k];
        }
        return in[0];
    }

    /** True when this instance runs the SIMD forward pass. */
    public boolean simd() {
        return simd;
    }

    public int inputSize() {
        return inputSize;
    }
}
