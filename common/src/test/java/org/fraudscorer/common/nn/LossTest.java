package org.fraudscorer.common.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LossTest {

    private static final double LN2 = Math.log(2.0);

    @Test
    void zeroLogitCostsLn2WhateverTheLabel() {
        double[] grad = new double[2];
        double loss = Loss.bceWithLogits(new double[] {0, 0}, new double[] {1, 0}, null, 2, grad);
        assertThat(loss).isCloseTo(LN2, within(1e-15));
        assertThat(grad).containsExactly(-0.25, 0.25); // (0.5 - y) / 2
    }

    @Test
    void weightedMeanDividesByBatchNotBySumOfWeights() {
        double[] grad = new double[2];
        double loss = Loss.bceWithLogits(new double[] {0, 2}, new double[] {1, 0}, new double[] {3, 1}, 2, grad);
        // (3 ln2 + 1 * -ln(1 - sigmoid(2))) / 2, with -ln(1 - sigmoid(2)) = ln(1 + e^2)
        assertThat(loss).isCloseTo((3 * LN2 + Math.log(1 + Math.exp(2))) / 2, within(1e-14));
        assertThat(grad[0]).isCloseTo(3 * (0.5 - 1) / 2, within(1e-15));
        assertThat(grad[1]).isCloseTo(1 / (1 + Math.exp(-2)) / 2, within(1e-15));
    }

    @Test
    void onlyTheFirstBatchEntriesCount() {
        double loss = Loss.bceWithLogits(new double[] {0, 99}, new double[] {1, 0}, null, 1, null);
        assertThat(loss).isCloseTo(LN2, within(1e-15));
    }

    @Test
    void hugeLogitsGiveFiniteExactLoss() {
        double[] grad = new double[4];
        double loss = Loss.bceWithLogits(new double[] {500, -500, 500, -500}, new double[] {1, 0, 0, 1}, null, 4,
                grad);
        // confident-right rows cost ~0, confident-wrong rows cost |z| = 500
        assertThat(loss).isCloseTo(1000.0 / 4, within(1e-12));
        assertThat(grad).containsExactly(new double[] {0, 0, 0.25, -0.25}, within(1e-15));
    }

    @Test
    void sigmoidIsStable() {
        assertThat(Loss.sigmoid(0)).isEqualTo(0.5);
        assertThat(Loss.sigmoid(-800)).isEqualTo(0.0);
        assertThat(Loss.sigmoid(800)).isEqualTo(1.0);
        assertThat(Loss.sigmoid(-30)).isCloseTo(Math.exp(-30), within(1e-25));
    }

    @Test
    void l2CoversWeightsButNotBiases() {
        DenseLayer layer = new DenseLayer(2, 1, Activation.LINEAR);
        layer.weights()[0] = 3;
        layer.weights()[1] = -4;
        layer.biases()[0] = 100;
        MLP mlp = MLP.of(List.of(layer), 0, 1);

        assertThat(Loss.l2Penalty(mlp, 0.1)).isCloseTo(0.1 / 2 * 25, within(1e-15));

        layer.weightParameter().grad()[0] = 1;
        Loss.addL2Gradient(mlp, 0.1);
        assertThat(layer.weightParameter().grad()).containsExactly(1 + 0.3, -0.4);
        assertThat(layer.biasParameter().grad()).containsExactly(0);
    }

    @Test
    void shortArraysAreRejectedNamingExpectedAndActual() {
        assertThatThrownBy(() -> Loss.bceWithLogits(new double[3], new double[2], null, 3, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("labels")
                .hasMessageContaining("expected 3 x 1 = 3")
                .hasMessageContaining("length 2");
        assertThatThrownBy(() -> Loss.bceWithLogits(new double[3], new double[3], new double[3], 3, new double[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gradLogits");
    }
}
