package org.fraudscorer.common.nn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dense layer's affine step on the Vector API: single records ({@link #affine}, for {@link Inference}, with
 * ReLU optionally fused) and batches ({@link #affineBatch}, for {@link DenseLayer#forward}). Activations other than
 * ReLU are not here: they run their scalar loops afterwards. Only touched when {@link Simd#enabled()}: every
 * {@code jdk.incubator.vector} type stays inside this class, so the rest of the code loads and runs without
 * the incubator module.
 *
 * <p>The weights are transposed, {@code in x out} ({@code wt[i * out + o]}), so for each input {@code i} the
 * weights of consecutive outputs are contiguous and one vector holds {@code lanes} outputs' partial sums. Each
 * lane adds {@code wt[i][o] * x[i]} for i = 0, 1, 2, ... in order, starting from the bias: exactly the
 * operations, in exactly the order, of {@link Kernels#matVec}, hence bit-identical results.
 */
final class VectorKernels {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();
    /** A constant: a zero vector made per call is not always scalar-replaced by the JIT, and would allocate. */
    private static final DoubleVector ZERO = DoubleVector.zero(SPECIES);

    private VectorKernels() {
    }

    static int lanes() {
        return L;
    }

    /**
     * {@code z = W x + b} from the transposed weights; when {@code relu} is non-null it also receives
     * {@code z > 0 ? z : 0} (the same ReLU as {@link Kernels#relu(double)}), computed in registers.
     */
    // No DoubleVector is passed to or returned from a helper method: if the JIT declined to inline such a call,
    // every vector would be boxed on the heap, and the scoring path must not allocate.
    static void affine(double[] x, int in, double[] wt, double[] b, int out, double[] z, double[] relu) {
        affine(x, 0, in, wt, b, out, z, 0, relu);
    }

    /**
     * {@code z = x W^T + b} for {@code batch} rows of {@code x} (batch x in) into z (batch x out), from the
     * transposed weights: the training and batch-scoring forward pass, row by row as {@link Kernels#affine} sums
     * them, so bit-identical to it.
     */
    static void affineBatch(double[] x, int batch, int in, double[] wt, double[] b, int out, double[] z) {
        for (int r = 0; r < batch; r++) {
            affine(x, r * in, in, wt, b, out, z, r * out, null);
        }
    }

    private static void affine(double[] x, int xOff, int in, double[] wt, double[] b, int out, double[] z, int zOff,
                               double[] relu) { // relu: single rows only (zOff 0)
        int o = 0;
        // Four vectors of outputs at a time: four independent add chains hide the add latency.
        for (; o + 4 * L <= out; o += 4 * L) {
            DoubleVector s0 = DoubleVector.fromArray(SPECIES, b, o);
            DoubleVector s1 = DoubleVector.fromArray(SPECIES, b, o + L);
            DoubleVector s2 = DoubleVector.fromArray(SPECIES, b, o + 2 * L);
            DoubleVector s3 = DoubleVector.fromArray(SPECIES, b, o + 3 * L);
            for (int i = 0, k = o; i < in; i++, k += out) {
                DoubleVector xi = DoubleVector.broadcast(SPECIES, x[xOff + i]);
                s0 = s0.add(DoubleVector.fromArray(SPECIES, wt, k).mul(xi));
                s1 = s1.add(DoubleVector.fromArray(SPECIES, wt, k + L).mul(xi));
                s2 = s2.add(DoubleVector.fromArray(SPECIES, wt, k + 2 * L).mul(xi));
                s3 = s3.add(DoubleVector.fromArray(SPECIES, wt, k + 3 * L).mul(xi));
            }
            s0.intoArray(z, zOff + o);
            s1.intoArray(z, zOff + o + L);
            s2.intoArray(z, zOff + o + 2 * L);
            s3.intoArray(z, zOff + o + 3 * L);
            if (relu != null) { // z > 0 ? z : 0, so NaN and -0.0 give +0.0 as the scalar ReLU does
                ZERO.blend(s0, s0.compare(VectorOperators.GT, 0.0)).intoArray(relu, o);
                ZERO.blend(s1, s1.compare(VectorOperators.GT, 0.0)).intoArray(relu, o + L);
                ZERO.blend(s2, s2.compare(VectorOperators.GT, 0.0)).intoArray(relu, o + 2 * L);
                ZERO.blend(s3, s3.compare(VectorOperators.GT, 0.0)).intoArray(relu, o + 3 * L);
            }
        }
        for (; o + L <= out; o += L) {
            DoubleVector s = DoubleVector.fromArray(SPECIES, b, o);
            for (int i = 0, k = o; i < in; i++, k += out) {
                s = s.add(DoubleVector.fromArray(SPECIES, wt, k).mul(x[xOff + i]));
            }
            s.intoArray(z, zOff + o);
            if (relu != null) {
                ZERO.blend(s, s.compare(VectorOperators.GT, 0.0)).intoArray(relu, o);
            }
        }
        for (; o < out; o++) { // fewer than L outputs left (e.g. the single fraud logit)
            double s = b[o];
            for (int i = 0, k = o; i < in; i++, k += out) {
                s += wt[k] * x[xOff + i];
            }
            z[zOff + o] = s;
            if (relu != null) {
                relu[o] = Kernels.relu(s);
            }
        }
    }
}
