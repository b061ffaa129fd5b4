package org.fraudscorer.common.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A stack of dense layers ending in one LINEAR unit that outputs the fraud logit, with optional
 * dropout after every hidden layer. Owns the per-layer activation and gradient buffers used for
 * mini-batch training; for scoring single records use {@link #newInference()}.
 */
public final class MLP {

    private final double dropout;
    private final List<DenseLayer> denseLayers;
    private final List<Layer> layers;
    private final List<Parameter> parameters;
    private final int[] sizes;

    /** outputs[k]: output of layers[k]; gradients[k]: d loss / d input of layers[k] (k >= 1). */
    private final double[][] outputs;
    private final double[][] gradients;
    private int lastBatch = -1;

    private MLP(List<DenseLayer> dense, double dropout, long seed) {
        this.dropout = dropout;
        this.denseLayers = List.copyOf(dense);
        this.sizes = new int[dense.size() + 1];
        sizes[0] = dense.get(0).inputSize();
        SplittableRandom dropoutRng = dropoutStream(seed);
        List<Layer> stack = new ArrayList<>();
        List<Parameter> params = new ArrayList<>();
        for (int k = 0; k < dense.size(); k++) {
            DenseLayer layer = dense.get(k);
            sizes[k + 1] = layer.outputSize();
            stack.add(layer);
            params.addAll(layer.parameters());
            boolean hidden = k < dense.size() - 1;
            if (hidden && dropout > 0.0) {
                stack.add(new DropoutLayer(layer.outputSize(), dropout, dropoutRng.split()));
            }
        }
        this.layers = Collections.unmodifiableList(stack);
        this.parameters = Collections.unmodifiableList(params);
        this.outputs = new double[stack.size()][0];
        this.gradients = new double[stack.size()][0];
    }

    // Dropout masks come from a stream of their own (the seed's generator, split once per dropout layer), so a model
    // rebuilt with of(...) sees the same masks as the one build(...) created. Known quirk: the init stream,
    // new SplittableRandom(seed).split(), is the same sequence as the first dropout layer's stream, so that layer's
    // masks are drawn from the numbers the weights were drawn from (as uniforms against p, the weights as Gaussians).
    // Kept as is: changing it changes every trained model, and the published figures would no longer reproduce.
    private static SplittableRandom initStream(long seed) {
        return new SplittableRandom(seed).split();
    }

    private static SplittableRandom dropoutStream(long seed) {
        return new SplittableRandom(seed);
    }

    /**
     * Builds and initialises a network, e.g. sizes {29, 16, 16, 1}: hidden layers use
     * {@code hidden}, the last layer is LINEAR. Biases start at 0.
     *
     * @param dropout rate of the dropout layer after each hidden layer; 0 for none
     * @param seed    drives weight init and dropout masks, deterministically
     */
    public static MLP build(int[] sizes, Activation hidden, double dropout, long seed) {
        Objects.requireNonNull(sizes, "sizes");
        Objects.requireNonNull(hidden, "hidden");
        if (sizes.length < 2) {
            throw new IllegalArgumentException("sizes: expected at least 2 entries (input, ..., 1) but got "
                    + sizes.length);
        }
        if (sizes[sizes.length - 1] != 1) {
            throw new IllegalArgumentException("sizes: expected last size 1 (one logit) but got "
                    + sizes[sizes.length - 1]);
        }
        RandomGenerator rng = initStream(seed);
        List<DenseLayer> dense = new ArrayList<>();
        for (int k = 0; k + 1 < sizes.length; k++) {
            boolean last = k + 2 == sizes.length;
            DenseLayer layer = new DenseLayer("dense" + k, sizes[k], sizes[k + 1], last ? Activation.LINEAR : hidden);
            layer.initialize(rng, 0.0);
            dense.add(layer);
        }
        return of(dense, dropout, seed);
    }

    /**
     * Assembles a network from existing dense layers (e.g. read from a model file), which it uses
     * as they are, not copies. Consecutive sizes must chain and the last layer must be a single
     * LINEAR unit.
     */
    public static MLP of(List<DenseLayer> denseLayers, double dropout, long seed) {
        Objects.requireNonNull(denseLayers, "denseLayers");
        if (denseLayers.isEmpty()) {
            throw new IllegalArgumentException("denseLayers: expected at least 1 layer but got 0");
        }
        DropoutLayer.requireRate(dropout);
        for (int k = 1; k < denseLayers.size(); k++) {
            int expected = denseLayers.get(k - 1).outputSize();
            int actual = denseLayers.get(k).inputSize();
            if (expected != actual) {
                throw new IllegalArgumentException("denseLayers[" + k + "]: expected input size " + expected
                        + " (output of the previous layer) but got " + actual);
            }
        }
        DenseLayer last = denseLayers.get(denseLayers.size() - 1);
        if (last.outputSize() != 1 || last.activation() != Activation.LINEAR) {
            throw new IllegalArgumentException("last layer: expected 1 output with activation linear but got "
                    + last.outputSize() + " with " + last.activation().id());
        }
        return new MLP(denseLayers, dropout, seed);
    }

    /**
     * Forward pass over {@code batch} row-major records of {@code x}.
     *
     * @return an internal buffer whose first {@code batch} entries are the logits; valid until the
     *         next call
     */
    public double[] forward(double[] x, int batch, boolean training) {
        Shapes.requirePositive("MLP batch", batch);
        Shapes.requireRows("MLP input (batch x inputSize)", x, batch, inputSize());
        double[] in = x;
        for (int k = 0; k < layers.size(); k++) {
            Layer layer = layers.get(k);
            outputs[k] = Shapes.atLeast(outputs[k], batch * layer.outputSize());
            layer.forward(in, outputs[k], batch, training);
            in = outputs[k];
        }
        lastBatch = batch;
        return in;
    }

    /**
     * Back-propagates d loss / d logit (already including any 1/batch factor) through the last
     * forward, overwriting every {@link Parameter#grad()}.
     */
    public void backward(double[] gradLogits, int batch) {
        Shapes.requireBatchOfLastForward("MLP", lastBatch, batch);
        Shapes.requireRows("MLP gradLogits (batch x 1)", gradLogits, batch, 1);
        double[] gradOut = gradLogits;
        for (int k = layers.size() - 1; k >= 0; k--) {
            Layer layer = layers.get(k);
            double[] gradIn = null;
            if (k > 0) {
                gradients[k] = Shapes.atLeast(gradients[k], batch * layer.inputSize());
                gradIn = gradients[k];
            }
            layer.backward(gradOut, gradIn, batch);
            gradOut = gradIn;
        }
    }

    /** Fraud probabilities for {@code batch} records, dropout off; allocates, meant for offline use. */
    public double[] predictProba(double[] x, int batch) {
        double[] logits = forward(x, batch, false);
        double[] p = new double[batch];
        for (int i = 0; i < batch; i++) {
            p[i] = Kernels.sigmoid(logits[i]);
        }
        return p;
    }

    /**
     * A single-record scorer over a snapshot of this model's weights (after more training, make a new one); one per
     * thread.
     */
    public Inference newInference() {
        return new Inference(denseLayers);
    }

    public int inputSize() {
        return sizes[0];
    }

    /** Layer widths from input to the single logit, e.g. {29, 16, 16, 1}. */
    public int[] sizes() {
        return sizes.clone();
    }

    public List<Layer> layers() {
        return layers;
    }

    public List<DenseLayer> denseLayers() {
        return denseLayers;
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    public long parameterCount() {
        long count = 0;
        for (Parameter p : parameters) {
            count += p.size();
        }
        return count;
    }

    public double dropout() {
        return dropout;
    }
}
