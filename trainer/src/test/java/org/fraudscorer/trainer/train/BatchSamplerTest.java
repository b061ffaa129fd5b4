package org.fraudscorer.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchSamplerTest {

    /** {@code rows} labels with positives at every {@code rows / positives}-th row from 3 on. */
    private static int[] labels(int rows, int positives) {
        int[] y = new int[rows];
        for (int i = 0; i < positives; i++) {
            y[3 + i * (rows / positives)] = 1;
        }
        return y;
    }

    private static int[] positivesPerBatch(int[] order, int[] y, int batchSize) {
        int batches = (order.length + batchSize - 1) / batchSize;
        int[] counts = new int[batches];
        for (int i = 0; i < order.length; i++) {
            counts[i / batchSize] += y[order[i]];
        }
        return counts;
    }

    private static void assertPermutation(int[] order, int rows) {
        assertThat(order).hasSize(rows);
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        assertThat(sorted).isEqualTo(IntStream.range(0, rows).toArray());
    }

    @Test
    void stratifiedEpochPutsExactlyOnePositiveInEachOfTwentyBatches() {
        int[] y = labels(1000, 20);
        assertThat(Arrays.stream(y).sum()).isEqualTo(20);
        BatchSampler sampler = new BatchSampler(y, true, 11L);

        for (int epoch = 0; epoch < 5; epoch++) {
            int[] order = sampler.nextEpoch(50);
            assertPermutation(order, 1000);
            assertThat(positivesPerBatch(order, y, 50)).hasSize(20).containsOnly(1);
        }
    }

    @Test
    void stratifiedEpochSpreadsPositivesInProportionToBatchSize() {
        // 100 positives in 1000 rows, batches of 64: 15 full batches (6.4 positives due) and one of 40 (4 due).
        int[] y = labels(1000, 100);
        int[] order = new BatchSampler(y, true, 5L).nextEpoch(64);

        assertPermutation(order, 1000);
        int[] counts = positivesPerBatch(order, y, 64);
        assertThat(counts).hasSize(16);
        for (int b = 0; b < 15; b++) {
            assertThat(counts[b]).as("batch %d", b).isBetween(6, 7);
        }
        assertThat(counts[15]).isBetween(3, 5);
        assertThat(Arrays.stream(counts).sum()).isEqualTo(100);
    }

    @Test
    void stratifiedEpochWithFewerPositivesThanBatchesGivesNoBatchTwo() {
        int[] y = labels(1000, 7);
        int[] order = new BatchSampler(y, true, 3L).nextEpoch(64);

        assertPermutation(order, 1000);
        assertThat(positivesPerBatch(order, y, 64)).containsAnyOf(0).doesNotContain(2, 3, 4, 5, 6, 7);
    }

    @Test
    void sameSeedGivesTheSameOrderAndAnotherSeedAnotherOrder() {
        int[] y = labels(500, 25);
        BatchSampler a = new BatchSampler(y, true, 42L);
        BatchSampler b = new BatchSampler(y, true, 42L);
        BatchSampler c = new BatchSampler(y, true, 43L);
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] oa = a.nextEpoch(32).clone();
            int[] ob = b.nextEpoch(32).clone();
            int[] oc = c.nextEpoch(32).clone();
            assertThat(oa).isEqualTo(ob);
            assertThat(oa).isNotEqualTo(oc);
        }
    }

    @Test
    void consecutiveEpochsAreShuffledDifferently() {
        BatchSampler sampler = new BatchSampler(labels(500, 25), true, 1L);
        int[] first = sampler.nextEpoch(32).clone();
        int[] second = sampler.nextEpoch(32).clone();
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void unstratifiedEpochIsAShuffledPermutationOfAllRows() {
        int[] y = labels(300, 10);
        BatchSampler sampler = new BatchSampler(y, false, 9L);
        int[] order = sampler.nextEpoch(16).clone();

        assertPermutation(order, 300);
        assertThat(order).isNotEqualTo(IntStream.range(0, 300).toArray());
        assertThat(new BatchSampler(y, false, 9L).nextEpoch(16)).isEqualTo(order);
    }

    @Test
    void anEpochOverADrawOfNegativesHoldsEveryPositiveOnceAndAFreshDrawOfDistinctNegatives() {
        int[] y = labels(1000, 20);
        BatchSampler sampler = new BatchSampler(y, true, 13L);
        assertThat(sampler.epochRows(300)).isEqualTo(320);
        assertThat(sampler.epochRows(5000)).isEqualTo(1000);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        java.util.Set<Integer> firstDraw = null;
        for (int epoch = 0; epoch < 4; epoch++) {
            int[] order = Arrays.copyOf(sampler.nextEpoch(32, 300), 320);
            assertThat(Arrays.stream(order).distinct().count()).isEqualTo(320);
            assertThat(Arrays.stream(order).map(r -> y[r]).sum()).as("every positive").isEqualTo(20);
            // 10 batches of 32: two positives in each, spread as in a full epoch
            assertThat(positivesPerBatch(order, y, 32)).hasSize(10).containsOnly(2);
            java.util.Set<Integer> draw = new java.util.HashSet<>();
            Arrays.stream(order).filter(r -> y[r] == 0).forEach(draw::add);
            if (firstDraw == null) {
                firstDraw = draw;
            } else {
                assertThat(draw).as("a fresh draw each epoch").isNotEqualTo(firstDraw);
            }
            seen.addAll(draw);
        }
        assertThat(seen.size()).as("draws cover more than one epoch's worth").isGreaterThan(600);
        // Deterministic per seed, plain (unstratified) epochs too
        int[] a = Arrays.copyOf(new BatchSampler(y, false, 3L).nextEpoch(32, 100), 120);
        int[] b = Arrays.copyOf(new BatchSampler(y, false, 3L).nextEpoch(32, 100), 120);
        assertThat(a).isEqualTo(b);
        assertThat(Arrays.stream(a).map(r -> y[r]).sum()).isEqualTo(20);
        assertThat(Arrays.stream(a).distinct().count()).isEqualTo(120);
    }

    /**
     * A draw of at least every negative (980 here, or more: the count is clamped) is the full epoch: every row once,
     * stratified as a full epoch, the same order for the same seed as {@code nextEpoch(batchSize)}, stratified or
     * not. ({@code nextEpoch(batchSize)} itself goes through the same path, so this pins the clamp and the full
     * epoch's properties, not the order the sampler gave before draws existed.)
     */
    @Test
    void drawingEveryNegativeOrMoreIsTheFullEpochExactly() {
        int[] y = labels(1000, 20);
        for (boolean stratified : new boolean[] {true, false}) {
            BatchSampler full = new BatchSampler(y, stratified, 21L);
            BatchSampler exact = new BatchSampler(y, stratified, 21L);
            BatchSampler more = new BatchSampler(y, stratified, 21L);
            BatchSampler most = new BatchSampler(y, stratified, 21L);
            for (int epoch = 0; epoch < 3; epoch++) {
                int[] expected = full.nextEpoch(50).clone();
                assertPermutation(expected, 1000);
                if (stratified) {
                    assertThat(positivesPerBatch(expected, y, 50)).hasSize(20).containsOnly(1);
                }
                assertThat(exact.nextEpoch(50, 980)).as("stratified %s, epoch %d", stratified, epoch)
                        .isEqualTo(expected);
                assertThat(more.nextEpoch(50, 5_000)).isEqualTo(expected);
                assertThat(most.nextEpoch(50, Integer.MAX_VALUE)).isEqualTo(expected);
            }
        }
        assertThat(new BatchSampler(y, true, 21L).epochRows(Integer.MAX_VALUE)).isEqualTo(1000);
    }
}
