package org.fraudscorer.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IndexSortTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 16, 17, 100, 5000})
    void sortsIndicesByDescendingKeyKeepingEveryIndexOnce(int n) {
        Random random = new Random(n);
        double[] keys = new double[n];
        for (int i = 0; i < n; i++) {
            keys[i] = random.nextInt(Math.max(1, n / 3)) - n / 6.0; // many ties, some negative
        }
        int[] indices = new int[n];
        Arrays.setAll(indices, i -> i);

        IndexSort.byDescendingKey(keys, indices);

        for (int i = 1; i < n; i++) {
            assertThat(keys[indices[i - 1]]).isGreaterThanOrEqualTo(keys[indices[i]]);
        }
        int[] sortedIndices = indices.clone();
        Arrays.sort(sortedIndices);
        int[] expected = new int[n];
        Arrays.setAll(expected, i -> i);
        assertThat(sortedIndices).isEqualTo(expected);
    }
}
