package org.fraudscorer.common.metrics;

import java.util.Arrays;

/**
 * Test data: scores ranked by hand, for comparing two models' average precision on the same rows (the gain's
 * bootstrap here, the retrain gate in the trainer's tests).
 */
public final class RankedScores {
    private RankedScores() {
    }

    /**
     * Scores of {@code above.length + genuine} rows: the first {@code above.length} rows are frauds, the next
     * {@code genuine} rows genuine payments scored {@code genuine, genuine - 1, ..., 1}; fraud {@code i} scores just
     * above the {@code above[i]}-th genuine payment, so that exactly {@code above[i]} genuine payments outrank it.
     */
    public static double[] ranked(int[] above, int genuine) {
        double[] s = new double[above.length + genuine];
        for (int i = 0; i < above.length; i++) {
            s[i] = genuine - above[i] + 0.5;
        }
        for (int j = 0; j < genuine; j++) {
            s[above.length + j] = genuine - j;
        }
        return s;
    }

    /** The labels of {@link #ranked}'s rows: {@code frauds} ones, then {@code genuine} zeros. */
    public static int[] labels(int frauds, int genuine) {
        int[] y = new int[frauds + genuine];
        Arrays.fill(y, 0, frauds, 1);
        return y;
    }
}
