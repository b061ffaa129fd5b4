package org.fraudscorer.common.nn;

import java.util.Objects;

/**
 * A trainable tensor and its gradient, both flat arrays of the same length. The value array is the
 * layer's own storage, so an optimiser updating it in place updates the model.
 */
public final class Parameter {

    private final String name;
    private final double[] value;
    private final double[] grad;

    public Parameter(String name, double[] value) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = Objects.requireNonNull(value, "value");
        this.grad = new double[value.length];
    }

    public String name() {
        return name;
    }

    public double[] value() {
        return value;
    }

    public double[] grad() {
        return grad;
    }

    public int size() {
        return value.length;
    }

    @Override
    public String toString() {
        return name + "[" + value.length + "]";
    }
}
