package org.fraudscorer.common.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link ModelScorer#topK}: the ranking behind every explanation (the scorer's, score's and predict's). */
class TopKTest {

    @Test
    void largestFirstAmongTheFirstNValues() {
        double[] values = {0.5, -2.0, 3.0, 1.5, 9.0};
        int[] top = new int[3];

        assertThat(ModelScorer.topK(values, 4, 3, top)).isEqualTo(3); // the 9.0 at index 4 is beyond n
        assertThat(top).containsExactly(2, 3, 0);
    }

    @Test
    void equalValuesKeepTheLowerIndexFirstAndNegativeValuesStillRank() {
        double[] values = {-1.0, 2.0, -1.0, 2.0, -3.0};
        int[] top = new int[5];

        assertThat(ModelScorer.topK(values, values.length, 5, top)).isEqualTo(5);
        assertThat(top).containsExactly(1, 3, 0, 2, 4);
    }

    @Test
    void asksForMoreThanThereAreOrNone() {
        double[] values = {1.0, 2.0};
        int[] top = new int[4];
        Arrays.fill(top, -7);

        assertThat(ModelScorer.topK(values, 2, 4, top)).isEqualTo(2);
        assertThat(top).containsExactly(1, 0, -7, -7);
        assertThat(ModelScorer.topK(values, 2, 0, new int[0])).isZero();
    }
}
