package org.fraudscorer.trainer.train;

import java.util.SplittableRandom;

/**
 * Orders training rows into mini-batches for one epoch. With {@code stratified}, every batch receives its share
 * of the rare positives (spread evenly, not left to chance): at 0.2% fraud, a random batch of 64 holds no fraud
 * nine times in ten, and its gradient says nothing about fraud.
 */
public final class BatchSampler {
    private final int[] positives;
    private final int[] negatives;
    private final int[] order;
    private final boolean stratified;
    private final SplittableRandom rng;

    public BatchSampler(int[] labels, boolean stratified, long seed) {
        int p = 0;
        for (int y : labels) {
            p += y;
        }
        positives = new int[p];
        negatives = new int[labels.length - p];
        int ip = 0;
        int in = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 1) {
                positives[ip++] = i;
            } else {
                negatives[in++] = i;
            }
        }
        order = new int[labels.length];
        this.stratified = stratified;
        this.rng = new SplittableRandom(seed);
    }

    /** Row order for the next epoch: consecutive slices of {@code batchSize} are the batches. */
    public int[] nextEpoch(int batchSize) {
        return nextEpoch(batchSize, negatives.length);
    }

    /**
     * Row order for the next epoch over every positive and a fresh random draw of {@code negativesDrawn} negatives
     * (without replacement; all of them when it is at least their count). The first {@code positives +
     * negativesDrawn} entries of the returned array are the epoch; consecutive slices of {@code batchSize} are its
     * batches. Drawing every negative is exactly {@link #nextEpoch(int)}.
     */
    public int[] nextEpoch(int batchSize, int negativesDrawn) {
        int k = Math.min(negativesDrawn, negatives.length);
        boolean all = k == negatives.length;
        int n = positives.length + k;
        if (!stratified) {
            if (all) {
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
            } else {
                draw(k);
                System.arraycopy(positives, 0, order, 0, positives.length);
                System.arraycopy(negatives, 0, order, positives.length, k);
            }
            shuffle(order, 0, n);
            return order;
        }
        shuffle(positives, 0, positives.length);
        if (all) {
            shuffle(negatives, 0, k);
        } else {
            draw(k);
        }
        int batches = (n + batchSize - 1) / batchSize;
        int pos = 0;
        int neg = 0;
        int at = 0;
        for (int b = 0; b < batches; b++) {
            int size = Math.min(batchSize, n - at);
            // Positives up to the b-th proportional cut, the rest negatives.
            int pEnd = (int) ((long) positives.length * (at + size) / n);
            int takeP = Math.min(pEnd - pos, size);
            int takeN = Math.min(size - takeP, k - neg);
            takeP = size - takeN;
            int start = at;
            for (int i = 0; i < takeP; i++) {
                order[at++] = positives[pos++];
            }
            for (int i = 0; i < takeN; i++) {
                order[at++] = negatives[neg++];
            }
            shuffle(order, start, at);
        }
        return order;
    }

    /** Number of rows in an epoch that draws {@code negativesDrawn} negatives. */
    public int epochRows(int negativesDrawn) {
        return positives.length + Math.min(negativesDrawn, negatives.length);
    }

    /** A partial Fisher-Yates shuffle: negatives[0 .. k) becomes a uniform random draw without replacement. */
    private void draw(int k) {
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(negatives.length - i);
            int t = negatives[i];
            negatives[i] = negatives[j];
            negatives[j] = t;
        }
    }

    private void shuffle(int[] a, int from, int to) {
        for (int i = to - 1; i > from; i--) {
            int j = from + rng.nextInt(i - from + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
