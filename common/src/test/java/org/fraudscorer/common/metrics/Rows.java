package org.fraudscorer.common.metrics;

import java.util.Arrays;
import java.util.Random;

/** Test data: random scored rows and explicit duplication of weighted rows. */
record Rows(double[] scores, int[] labels, double[] weights, double[] amounts) {

    /**
     * Random rows whose scores come from only {@code distinctScores} levels (so ties abound), with
     * integer weights in [1, maxWeight] and integer amounts in [1, 500]. Integer values keep all
     * weighted sums exact, so brute-force comparisons can demand exact equality.
     */
    static Rows random(long seed, int n, int distinctScores, double fraudRate, int maxWeight) {
        Random random = new Random(seed);
        double[] scores = new double[n];
        int[] labels = new int[n];
        double[] weights = new double[n];
        double[] amounts = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextDouble() < fraudRate ? 1 : 0;
            // Fraud scores skew high so the ranking is informative but imperfect.
            int level = random.nextInt(distinctScores) + (labels[i] == 1 ? distinctScores / 3 : 0);
            scores[i] = Math.min(level, distinctScores - 1) / (double) distinctScores;
            weights[i] = 1 + random.nextInt(maxWeight);
            amounts[i] = 1 + random.nextInt(500);
        }
        return new Rows(scores, labels, weights, amounts);
    }

    /** The unweighted rows obtained by repeating each row {@code weights[i]} times. */
    Rows duplicated() {
        int n = 0;
        for (double w : weights) {
            n += (int) w;
        }
        double[] s = new double[n];
        int[] l = new int[n];
        double[] a = new double[n];
        int j = 0;
        for (int i = 0; i < scores.length; i++) {
            for (int copy = 0; copy < (int) weights[i]; copy++, j++) {
                s[j] = scores[i];
                l[j] = labels[i];
                a[j] = amounts[i];
            }
        }
        return new Rows(s, l, null, a);
    }

    /** The distinct scores, highest first: the candidate thresholds. */
    double[] distinctScoresDescending() {
        double[] sorted = Arrays.stream(scores).distinct().sorted().toArray();
        double[] descending = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            descending[i] = sorted[sorted.length - 1 - i];
        }
        return descending;
    }
}
