package org.fraudscorer.common.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** Fully connected layer {@code a = f(x W^T + b)} with W stored out x in, row-major. */
public final class DenseLayer implements Layer {

    private final int in;
    private final int out;
    private final Activation activation;
    private final Parameter weights;
    private final Parameter biases;
    private final List<Parameter> parameters;

    private double[] input;
    private double[] output;
    private double[] preActivation = new double[0];
    private double[] gradPreActivation = new double[0];
    /** The weights transposed (in x out) for the SIMD forward pass; refreshed at every forward (training moves them). */
    private double[] transposed = new double[0];
    private int lastBatch = -1;

    /** Weights and biases start at zero; call {@link #initialize} or fill {@link #weights()}. */
    public DenseLayer(int in, int out, Activation activation) {
        this("dense", in, out, activation);
    }

    /** @param name prefix of the parameter names, e.g. {@code "dense0"} gives {@code "dense0.weights"} */
    public DenseLayer(String name, int in, int out, Activation activation) {
        Shapes.requirePositive("DenseLayer input size", in);
        Shapes.requirePositive("DenseLayer output size", out);
        this.in = in;
        this.out = out;
        this.activation = Objects.requireNonNull(activation, "activation");
        this.weights = new Parameter(name + ".weights", new double[Math.multiplyExact(in, out)]);
        this.biases = new Parameter(name + ".biases", new double[out]);
        this.parameters = List.of(weights, biases);
    }

    /** Draws normal weights with He or Xavier/Glorot scale (see {@link Activation#usesHeInit()}). */
    public void initialize(RandomGenerator rng, double biasInit) {
        // He normal: std = sqrt(2 / fanIn); Xavier/Glorot normal: std = sqrt(2 / (fanIn + fanOut)).
        double std = activation.usesHeInit() ? Math.sqrt(2.0 / in) : Math.sqrt(2.0 / (in + out));
        double[] w = weights.value();
        for (int k = 0; k < w.length; k++) {
            w[k] = std * rng.nextGaussian();
        }
        Arrays.fill(biases.value(), biasInit);
    }

    @Override
    public void forward(double[] x, double[] y, int batch, boolean training) {
        Shapes.requirePositive("DenseLayer batch", batch);
        Shapes.requireRows("DenseLayer input (batch x inputSize)", x, batch, in);
        Shapes.requireRows("DenseLayer output (batch x outputSize)", y, batch, out);
        int n = batch * out;
        preActivation = Shapes.atLeast(preActivation, n);
        if (Simd.enabled() && out >= VectorKernels.lanes()) {
            // Bit-identical to the scalar kernel (Simd): the choice changes training speed, never a weight.
            transposed = Shapes.atLeast(transposed, in * out);
            Kernels.transpose(weights.value(), in, out, transposed);
            VectorKernels.affineBatch(x, batch, in, transposed, biases.value(), out, preActivation);
        } else {
            Kernels.affine(x, batch, in, weights.value(), biases.value(), out, preActivation);
        }
        activation.forward(preActivation, y, n);
        input = x;
        output = y;
        lastBatch = batch;
    }

    @Override
    public void backward(double[] gradOut, double[] gradIn, int batch) {
        Shapes.requireBatchOfLastForward("DenseLayer", lastBatch, batch);
        Shapes.requireRows("DenseLayer gradOut (batch x outputSize)", gradOut, batch, out);
        if (gradIn != null) {
            Shapes.requireRows("DenseLayer gradIn (batch x inputSize)", gradIn, batch, in);
        }
        int n = batch * out;
        gradPreActivation = Shapes.atLeast(gradPreActivation, n);
        activation.backward(preActivation, output, gradOut, gradPreActivation, n);
        Kernels.gradWeights(gradPreActivation, input, batch, in, out, weights.grad(), biases.grad());
        if (gradIn != null) {
            Kernels.gradInput(gradPreActivation, batch, weights.value(), in, out, gradIn);
        }
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int outputSize() {
        return out;
    }

    public Activation activation() {
        return activation;
    }

    /** Live weight storage, out x in row-major: {@code weights()[o * inputSize() + i]}. */
    public double[] weights() {
        return weights.value();
    }

    /** Live bias storage, one per output. */
    public double[] biases() {
        return biases.value();
    }

    /** The weights as a trainable parameter (value() is {@link #weights()}). */
    public Parameter weightParameter() {
        return weights;
    }

    /** The biases as a trainable parameter (value() is {@link #biases()}). */
    public Parameter biasParameter() {
        return biases;
    }

    /** Pre-activations of the last forward (first batch x outputSize entries are valid). */
    public double[] lastPreActivation() {
        return preActivation;
    }

    /** The output array passed to the last forward, or null before the first. */
    public double[] lastOutput() {
        return output;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public String toString() {
        return "DenseLayer[" + in + " -> " + out + ", " + activation.id() + "]";
    }
}
