package org.fraudscorer.common.nn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The single-record dense layer on the Vector API. Only touched when {@link Simd#enabled()}: every
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

    private VectorKernels() {
    }

    static int lanes() {
        return L;
    }

    /**
     * {@code z = W x + b} from the transposed weights; when {@code relu} is non-null it also receives
     * {@code z > 0 ? z : 0} (the same ReLU as {@link Kernels#relu(double)}), computed in registers.
     */
    static void affine(double[] x, int in, double[] wt, double[] b, int out, double[] z, double[] relu) {
        DoubleVector zero = DoubleVector.zero(SPECIES);
        int o = 0;
        // Four vectors of outputs at a time: four independent add chains hide the add latency.
        for (; o + 4 * L <= out; o += 4 * L) {
            DoubleVector s0 = DoubleVector.fromArray(SPECIES, b, o);
            DoubleVector s1 = DoubleVector.fromArray(SPECIES, b, o + L);
            DoubleVector s2 = DoubleVector.fromArray(SPECIES, b, o + 2 * L);
            DoubleVector s3 = DoubleVector.fromArray(SPECIES, b, o + 3 * L);
            for (int i = 0, k = o; i < in; i++, k += out) {
                DoubleVector xi = DoubleVector.broadcast(SPECIES, x[i]);
                s0 = s0.add(DoubleVector.fromArray(SPECIES, wt, k).mul(xi));
                s1 = s1.add(DoubleVector.fromArray(SPECIES, wt, k + L).mul(xi));
                s2 = s2.add(DoubleVector.fromArray(SPECIES, wt, k + 2 * L).mul(xi));
                s3 = s3.add(DoubleVector.fromArray(SPECIES, wt, k + 3 * L).mul(xi));
            }
            store(s0, z, relu, o, zero);
            store(s1, z, relu, o + L, zero);
            store(s2, z, relu, o + 2 * L, zero);
            store(s3, z, relu, o + 3 * L, zero);
        }
        for (; o + L <= out; o += L) {
            DoubleVector s = DoubleVector.fromArray(SPECIES, b, o);
            for (int i = 0, k = o; i < in; i++, k += out) {
                s = s.add(DoubleVector.fromArray(SPECIES, wt, k).mul(x[i]));
            }
            store(s, z, relu, o, zero);
        }
        for (; o < out; o++) { // fewer than L outputs left (e.g. the single fraud logit)
            double s = b[o];
            for (int i = 0, k = o; i < in; i++, k += out) {
                s += wt[k] * x[i];
            }
            z[o] = s;
            if (relu != null) {
                relu[o] = Kernels.relu(s);
            }
        }
    }

    private static void store(DoubleVector s, double[] z, double[] relu, int o, DoubleVector zero) {
        s.intoArray(z, o);
        if (relu != null) {
            VectorMask<Double> positive = s.compare(VectorOperators.GT, 0.0); // NaN and -0.0 give 0.0, as the scalar ReLU
            zero.blend(s, positive).intoArray(relu, o);
        }
    }
}
