package org.fraudscorer.common.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Every scalar numeric inner loop of the network lives here so that performance work and review happen in
 * one place; the Vector API versions of the affine step are in {@link VectorKernels} and must stay bit-identical to
 * {@link #affine}/{@link #matVec} (see {@link Simd}), and the loss's loop is in {@link Loss}. Matrices are flat
 * row-major arrays, a weight matrix is {@code out x in} ({@code w[o * in + i]}).
 *
 * <p>Nothing here allocates or validates shapes: callers check shapes once at their public
 * boundary, so the loops stay branch-free.
 */
public final class Kernels {

    private Kernels() {
    }

    // ---- matrix kernels ----------------------------------------------------------------------

    /** {@code z = x W^T + b} for {@code batch} rows of {@code x} (batch x in) into z (batch x out). */
    public static void affine(double[] x, int batch, int in, double[] w, double[] b, int out, double[] z) {
        for (int r = 0; r < batch; r++) {
            affineRow(x, r * in, in, w, b, out, z, r * out);
        }
    }

    /** Single-record {@code z = W x + b}. */
    public static void matVec(double[] w, double[] b, int in, int out, double[] x, double[] z) {
        affineRow(x, 0, in, w, b, out, z, 0);
    }

    private static void affineRow(double[] x, int xOff, int in, double[] w, double[] b, int out,
            double[] z, int zOff) {
        // Each output is a dot product of a contiguous weight row with the contiguous input row. One running
        // sum is a chain of dependent adds (latency-bound: ~4 cycles per multiply-add), so outputs are
        // computed eight at a time: eight independent chains in registers. Each output still sums
        // b[o] + w[o][0] x[0] + w[o][1] x[1] + ... in that order, so results are bit-identical to the
        // one-output-at-a-time loop (which handles the remaining outputs).
        int o = 0;
        for (; o + 8 <= out; o += 8) {
            int w0 = o * in;
            int w1 = w0 + in;
            int w2 = w1 + in;
            int w3 = w2 + in;
            int w4 = w3 + in;
            int w5 = w4 + in;
            int w6 = w5 + in;
            int w7 = w6 + in;
            double s0 = b[o];
            double s1 = b[o + 1];
            double s2 = b[o + 2];
            double s3 = b[o + 3];
            double s4 = b[o + 4];
            double s5 = b[o + 5];
            double s6 = b[o + 6];
            double s7 = b[o + 7];
            for (int i = 0; i < in; i++) {
                double xi = x[xOff + i];
                s0 += w[w0 + i] * xi;
                s1 += w[w1 + i] * xi;
                s2 += w[w2 + i] * xi;
                s3 += w[w3 + i] * xi;
                s4 += w[w4 + i] * xi;
                s5 += w[w5 + i] * xi;
                s6 += w[w6 + i] * xi;
                s7 += w[w7 + i] * xi;
            }
            z[zOff + o] = s0;
            z[zOff + o + 1] = s1;
            z[zOff + o + 2] = s2;
            z[zOff + o + 3] = s3;
            z[zOff + o + 4] = s4;
            z[zOff + o + 5] = s5;
            z[zOff + o + 6] = s6;
            z[zOff + o + 7] = s7;
        }
        for (int wOff = o * in; o < out; o++, wOff += in) {
            double sum = b[o];
            for (int i = 0; i < in; i++) {
                sum += w[wOff + i] * x[xOff + i];
            }
            z[zOff + o] = sum;
        }
    }

    /**
     * Overwrites {@code gradW = gradZ^T x} (out x in) and {@code gradB} with the column sums of
     * gradZ, i.e. the gradients summed over the batch rows.
     */
    public static void gradWeights(double[] gradZ, double[] x, int batch, int in, int out,
            double[] gradW, double[] gradB) {
        Arrays.fill(gradW, 0, out * in, 0.0);
        Arrays.fill(gradB, 0, out, 0.0);
        for (int r = 0; r < batch; r++) {
            int xOff = r * in;
            int gOff = r * out;
            for (int o = 0, wOff = 0; o < out; o++, wOff += in) {
                double g = gradZ[gOff + o];
                gradB[o] += g;
                if (g == 0.0) {
                    continue; // inactive ReLU units contribute nothing; skipping them is the common case
                }
                for (int i = 0; i < in; i++) {
                    gradW[wOff + i] += g * x[xOff + i];
                }
            }
        }
    }

    /** Overwrites {@code gradIn = gradZ W} (batch x in) from gradZ (batch x out). */
    public static void gradInput(double[] gradZ, int batch, double[] w, int in, int out, double[] gradIn) {
        for (int r = 0; r < batch; r++) {
            transposedRow(gradZ, r * out, w, in, out, gradIn, r * in);
        }
    }

    /** Single-record {@code y = W^T g}: y has {@code in} entries, g has {@code out}. */
    public static void transposedMatVec(double[] w, int in, int out, double[] g, double[] y) {
        transposedRow(g, 0, w, in, out, y, 0);
    }

    private static void transposedRow(double[] g, int gOff, double[] w, int in, int out,
            double[] y, int yOff) {
        Arrays.fill(y, yOff, yOff + in, 0.0);
        // Accumulate scaled weight rows rather than dotting columns, so w is still read contiguously.
        for (int o = 0, wOff = 0; o < out; o++, wOff += in) {
            double go = g[gOff + o];
            if (go == 0.0) {
                continue;
            }
            for (int i = 0; i < in; i++) {
                y[yOff + i] += go * w[wOff + i];
            }
        }
    }

    /** {@code t = w^T}: the out x in weight matrix {@code w} into {@code t} as in x out ({@code t[i * out + o]}). */
    public static void transpose(double[] w, int in, int out, double[] t) {
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                t[i * out + o] = w[o * in + i];
            }
        }
    }

    // ---- vector kernels ----------------------------------------------------------------------

    /** {@code y = x} over the first n entries; a no-op when both are the same array. */
    public static void copy(double[] x, double[] y, int n) {
        if (x != y) {
            System.arraycopy(x, 0, y, 0, n);
        }
    }

    /** {@code y = x * m} elementwise. */
    public static void multiply(double[] x, double[] m, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = x[i] * m[i];
        }
    }

    /** {@code y += alpha * x}. */
    public static void axpy(double alpha, double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] += alpha * x[i];
        }
    }

    /** {@code sum x_i^2}. */
    public static double sumOfSquares(double[] x, int n) {
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            sum += x[i] * x[i];
        }
        return sum;
    }

    /**
     * Inverted-dropout mask: each entry is 0 with probability {@code rate}, else {@code keepScale}
     * (= 1/(1-rate), so the expected activation is unchanged and inference needs no rescaling).
     */
    public static void dropoutMask(RandomGenerator rng, double rate, double keepScale, double[] mask, int n) {
        for (int i = 0; i < n; i++) {
            mask[i] = rng.nextDouble() < rate ? 0.0 : keepScale;
        }
    }

    // ---- activations -------------------------------------------------------------------------

    static final double LEAKY_SLOPE = 0.01;

    static double relu(double z) {
        return z > 0.0 ? z : 0.0;
    }

    static double leakyRelu(double z) {
        return z > 0.0 ? z : LEAKY_SLOPE * z;
    }

    /** Logistic function, stable for any z: never exponentiates a positive number. */
    public static double sigmoid(double z) {
        if (z >= 0.0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    public static void relu(double[] z, double[] a, int n) {
        for (int i = 0; i < n; i++) {
            a[i] = relu(z[i]);
        }
    }

    public static void reluBackward(double[] z, double[] gradA, double[] gradZ, int n) {
        for (int i = 0; i < n; i++) {
            gradZ[i] = z[i] > 0.0 ? gradA[i] : 0.0;
        }
    }

    public static void leakyRelu(double[] z, double[] a, int n) {
        for (int i = 0; i < n; i++) {
            a[i] = leakyRelu(z[i]);
        }
    }

    public static void leakyReluBackward(double[] z, double[] gradA, double[] gradZ, int n) {
        for (int i = 0; i < n; i++) {
            gradZ[i] = z[i] > 0.0 ? gradA[i] : LEAKY_SLOPE * gradA[i];
        }
    }

    public static void sigmoid(double[] z, double[] a, int n) {
        for (int i = 0; i < n; i++) {
            a[i] = sigmoid(z[i]);
        }
    }

    /** Uses the cached output: sigmoid'(z) = a (1 - a). */
    public static void sigmoidBackward(double[] a, double[] gradA, double[] gradZ, int n) {
        for (int i = 0; i < n; i++) {
            gradZ[i] = gradA[i] * a[i] * (1.0 - a[i]);
        }
    }

    public static void tanh(double[] z, double[] a, int n) {
        for (int i = 0; i < n; i++) {
            a[i] = Math.tanh(z[i]);
        }
    }

    /** Uses the cached output: tanh'(z) = 1 - a^2. */
    public static void tanhBackward(double[] a, double[] gradA, double[] gradZ, int n) {
        for (int i = 0; i < n; i++) {
            gradZ[i] = gradA[i] * (1.0 - a[i] * a[i]);
        }
    }
}
