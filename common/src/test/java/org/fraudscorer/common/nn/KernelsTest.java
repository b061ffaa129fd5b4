package org.fraudscorer.common.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Hand-computed 2x3 examples: W = [[1,2,3],[4,5,6]], b = [0.5,-1]. */
class KernelsTest {

    private static final double[] W = {1, 2, 3, 4, 5, 6};
    private static final double[] B = {0.5, -1};

    @Test
    void affineComputesXWTransposePlusBForEveryRow() {
        double[] x = {1, 0, -1, 2, 1, 0};
        double[] z = new double[4];
        Kernels.affine(x, 2, 3, W, B, 2, z);
        // row 0: [1-3+0.5, 4-6-1]; row 1: [2+2+0.5, 8+5-1]
        assertThat(z).containsExactly(-1.5, -3, 4.5, 12);
    }

    @Test
    void matVecIsOneRowOfAffine() {
        double[] z = new double[2];
        Kernels.matVec(W, B, 3, 2, new double[] {2, 1, 0}, z);
        assertThat(z).containsExactly(4.5, 12);
    }

    @Test
    void gradWeightsSumsOuterProductsOverRowsAndOverwrites() {
        double[] gradZ = {1, 2, -1, 0.5};
        double[] x = {1, 0, -1, 2, 1, 0};
        double[] gW = {9, 9, 9, 9, 9, 9};
        double[] gB = {9, 9};
        Kernels.gradWeights(gradZ, x, 2, 3, 2, gW, gB);
        // gW[o][i] = sum_r gradZ[r][o] x[r][i]
        assertThat(gW).containsExactly(1 - 2, 0 - 1, -1 + 0, 2 + 1, 0 + 0.5, -2 + 0);
        assertThat(gB).containsExactly(0, 2.5);
    }

    @Test
    void gradInputIsGradZTimesW() {
        double[] gradZ = {1, 2, -1, 0.5};
        double[] gradIn = {9, 9, 9, 9, 9, 9};
        Kernels.gradInput(gradZ, 2, W, 3, 2, gradIn);
        assertThat(gradIn).containsExactly(9, 12, 15, 1, 0.5, 0);
    }

    @Test
    void transposedMatVecIsWTransposeTimesG() {
        double[] y = new double[3];
        Kernels.transposedMatVec(W, 3, 2, new double[] {1, 2}, y);
        assertThat(y).containsExactly(9, 12, 15);
    }

    @Test
    void sigmoidIsStableAtTheExtremes() {
        assertThat(Kernels.sigmoid(0)).isEqualTo(0.5);
        assertThat(Kernels.sigmoid(1000)).isEqualTo(1.0);
        assertThat(Kernels.sigmoid(-1000)).isEqualTo(0.0);
        assertThat(Kernels.sigmoid(-700)).isPositive().isEqualTo(Math.exp(-700) / (1 + Math.exp(-700)));
        assertThat(Kernels.sigmoid(3) + Kernels.sigmoid(-3)).isCloseTo(1.0, within(1e-15));
    }

    @Test
    void vectorHelpers() {
        double[] y = {1, 1, 1};
        Kernels.axpy(2, new double[] {1, 2, 3}, y, 3);
        assertThat(y).containsExactly(3, 5, 7);
        assertThat(Kernels.sumOfSquares(new double[] {1, 2, 3, 100}, 3)).isEqualTo(14);
        double[] m = new double[3];
        Kernels.multiply(new double[] {1, 2, 3}, new double[] {0, 2, -1}, m, 3);
        assertThat(m).containsExactly(0, 4, -3);
    }
}
