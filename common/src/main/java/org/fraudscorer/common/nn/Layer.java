package org.fraudscorer.common.nn;

import java.util.List;

/**
 * One stage of the network working on row-major mini-batches: {@code in} holds
 * {@code batch * inputSize()} values, {@code out} {@code batch * outputSize()}.
 *
 * <p>{@link #forward} keeps references to its input and output and caches what {@link #backward}
 * needs in buffers sized for the largest batch seen, so the caller must not modify those arrays
 * until backward has run. {@link #backward} overwrites (never accumulates) the parameter gradients
 * with the gradient of this batch summed over its rows; any 1/batch factor is already in gradOut.
 */
public interface Layer {

    int inputSize();

    int outputSize();

    void forward(double[] in, double[] out, int batch, boolean training);

    /** @param gradIn receives d loss / d in; may be null for the first layer, which skips that work */
    void backward(double[] gradOut, double[] gradIn, int batch);

    List<Parameter> parameters();
}
