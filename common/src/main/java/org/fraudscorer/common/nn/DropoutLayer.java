package org.fraudscorer.common.nn;

import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Inverted dropout: while training, zeroes each unit with probability {@code rate} and scales the
 * kept ones by 1/(1-rate), so inference is the identity and needs no rescaling.
 */
public final class DropoutLayer implements Layer {

    private final int size;
    private final double rate;
    private final double keepScale;
    private final RandomGenerator rng;

    private double[] mask = new double[0];
    private boolean masked;
    private int lastBatch = -1;

    public DropoutLayer(int size, double rate, RandomGenerator rng) {
        Shapes.requirePositive("DropoutLayer size", size);
        requireRate(rate);
        this.size = size;
        this.rate = rate;
        this.keepScale = 1.0 / (1.0 - rate);
        this.rng = Objects.requireNonNull(rng, "rng");
    }

    static void requireRate(double rate) {
        if (!(rate >= 0.0 && rate < 1.0)) {
            throw new IllegalArgumentException("dropout rate: expected a value in [0, 1) but got " + rate);
        }
    }

    @Override
    public void forward(double[] x, double[] y, int batch, boolean training) {
        Shapes.requirePositive("DropoutLayer batch", batch);
        Shapes.requireRows("DropoutLayer input (batch x size)", x, batch, size);
        Shapes.requireRows("DropoutLayer output (batch x size)", y, batch, size);
        int n = batch * size;
        masked = training && rate > 0.0;
        if (masked) {
            mask = Shapes.atLeast(mask, n);
            Kernels.dropoutMask(rng, rate, keepScale, mask, n);
            Kernels.multiply(x, mask, y, n);
        } else {
            Kernels.copy(x, y, n);
        }
        lastBatch = batch;
    }

    @Override
    public void backward(double[] gradOut, double[] gradIn, int batch) {
        Shapes.requireBatchOfLastForward("DropoutLayer", lastBatch, batch);
        Shapes.requireRows("DropoutLayer gradOut (batch x size)", gradOut, batch, size);
        if (gradIn == null) {
            return;
        }
        Shapes.requireRows("DropoutLayer gradIn (batch x size)", gradIn, batch, size);
        int n = batch * size;
        if (masked) {
            Kernels.multiply(gradOut, mask, gradIn, n);
        } else {
            Kernels.copy(gradOut, gradIn, n);
        }
    }

    public double rate() {
        return rate;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public String toString() {
        return "DropoutLayer[" + size + ", rate " + rate + "]";
    }
}
