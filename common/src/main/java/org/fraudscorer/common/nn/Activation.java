package org.fraudscorer.common.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Elementwise activation functions; the loops themselves are in {@link Kernels}. An activation is chosen by its
 * {@link #id()} ({@code --activation}, tune's {@code --space-activation}, the model file's {@code "activation"}), and
 * training, single-record scoring and the gradient × input explanation all go through {@link #forward} and
 * {@link #backward}; each constant also says how its layer's weights are initialised ({@link Init}). One place names
 * an activation: {@link Inference}, whose SIMD path fuses {@link #RELU} into {@link VectorKernels} (every other
 * activation runs its scalar loop there).
 */
public enum Activation {
    RELU(Init.HE) {
        @Override
        public double apply(double z) {
            return Kernels.relu(z);
        }

        @Override
        public void forward(double[] z, double[] a, int n) {
            Kernels.relu(z, a, n);
        }

        @Override
        public void backward(double[] z, double[] a, double[] gradA, double[] gradZ, int n) {
            Kernels.reluBackward(z, gradA, gradZ, n);
        }
    },
    /** ReLU with slope {@link #LEAKY_SLOPE} (0.01) for negative inputs, so units cannot die. */
    LEAKY_RELU(Init.HE) {
        @Override
        public double apply(double z) {
            return Kernels.leakyRelu(z);
        }

        @Override
        public void forward(double[] z, double[] a, int n) {
            Kernels.leakyRelu(z, a, n);
        }

        @Override
        public void backward(double[] z, double[] a, double[] gradA, double[] gradZ, int n) {
            Kernels.leakyReluBackward(z, gradA, gradZ, n);
        }
    },
    SIGMOID(Init.XAVIER) {
        @Override
        public double apply(double z) {
            return Kernels.sigmoid(z);
        }

        @Override
        public void forward(double[] z, double[] a, int n) {
            Kernels.sigmoid(z, a, n);
        }

        @Override
        public void backward(double[] z, double[] a, double[] gradA, double[] gradZ, int n) {
            Kernels.sigmoidBackward(a, gradA, gradZ, n);
        }
    },
    TANH(Init.XAVIER) {
        @Override
        public double apply(double z) {
            return Math.tanh(z);
        }

        @Override
        public void forward(double[] z, double[] a, int n) {
            Kernels.tanh(z, a, n);
        }

        @Override
        public void backward(double[] z, double[] a, double[] gradA, double[] gradZ, int n) {
            Kernels.tanhBackward(a, gradA, gradZ, n);
        }
    },
    LINEAR(Init.XAVIER) {
        @Override
        public double apply(double z) {
            return z;
        }

        @Override
        public void forward(double[] z, double[] a, int n) {
            Kernels.copy(z, a, n);
        }

        @Override
        public void backward(double[] z, double[] a, double[] gradA, double[] gradZ, int n) {
            Kernels.copy(gradA, gradZ, n);
        }
    };

    /** Slope of {@link #LEAKY_RELU} for negative inputs. */
    public static final double LEAKY_SLOPE = Kernels.LEAKY_SLOPE;

    /** f(z) for one value: the reference the tests check {@link #forward} and {@link #backward} against. */
    public abstract double apply(double z);

    /** {@code a[i] = f(z[i])} for the first n entries. */
    public abstract void forward(double[] z, double[] a, int n);

    /**
     * {@code gradZ[i] = gradA[i] * f'(z[i])} for the first n entries; {@code a} must hold
     * {@code f(z)} because sigmoid and tanh derive f' from it more cheaply. gradZ may be gradA.
     */
    public abstract void backward(double[] z, double[] a, double[] gradA, double[] gradZ, int n);

    /** How a layer of these units draws its initial weights: each constant says which. */
    public enum Init {
        /** He: ReLU-family units zero about half their inputs, so they need twice the variance. */
        HE,
        /** Xavier/Glorot: for units that keep both signs (sigmoid, tanh, linear). */
        XAVIER
    }

    private final Init init;

    Activation(Init init) {
        this.init = init;
    }

    /** Whether a layer of these units draws He weights ({@link Init#HE}), else Xavier/Glorot. */
    public boolean usesHeInit() {
        return init == Init.HE;
    }

    /** Lower-case name as written in configs and model files, e.g. {@code "leaky_relu"}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code "relu"}, {@code "Leaky_ReLU"}, {@code "leaky-relu"}, ... case-insensitively. */
    public static Activation parse(String name) {
        if (name != null) {
            String key = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Activation a : values()) {
                if (a.name().equals(key)) {
                    return a;
                }
            }
        }
        throw new IllegalArgumentException("Unknown activation '" + name + "'; expected one of "
                + Arrays.stream(values()).map(Activation::id).collect(Collectors.joining(", ")));
    }
}
