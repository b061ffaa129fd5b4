package org.fraudscorer.trainer.train;

import java.util.SplittableRandom;

/**
 * Rebalancing of TRAINING rows only (validation and test keep the real class mix, or the metrics lie).
 */
public final class Resampling {
    private Resampling() {
    }

    /**
     * Random undersampling: keeps every positive and {@code ratio} negatives per positive (at most all of them).
     * Order of kept rows follows the input.
     */
    public static TrainingSet undersample(TrainingSet s, double ratio, long seed) {
        if (!(ratio > 0)) {
            throw new IllegalArgumentException("undersampling ratio (negatives per positive) must be > 0, got " + ratio);
        }
        int p = s.positives();
        int n = s.rows() - p;
        int keepN = (int) Math.min(n, Math.round(p * ratio));
        // Selection sampling (Knuth's algorithm S): each negative kept with the exact remaining probability.
        SplittableRandom rng = new SplittableRandom(seed);
        int rows = p + keepN;
        double[] x = new double[rows * s.features()];
        int[] y = new int[rows];
        int out = 0;
        int seenN = 0;
        int keptN = 0;
        for (int r = 0; r < s.rows(); r++) {
            boolean keep;
            if (s.y()[r] == 1) {
                keep = true;
            } else {
                keep = rng.nextInt(n - seenN) < keepN - keptN;
                seenN++;
                if (keep) {
                    keptN++;
                }
            }
            if (keep) {
                System.arraycopy(s.x(), r * s.features(), x, out * s.features(), s.features());
                y[out++] = s.y()[r];
            }
        }
        return new TrainingSet(x, y, s.features());
    }

    /**
     * SMOTE (Chawla et al. 2002): adds synthetic positives on segments between a positive and one of its
     * {@code k} nearest positive neighbours until positives are {@code targetRatio} of negatives
     * (e.g. 0.1 → one positive per ten negatives). Brute-force neighbours: positives are few.
     */
    public static TrainingSet smote(TrainingSet s, double targetRatio, int k, long seed) {
        if (!(targetRatio > 0)) {
            throw new IllegalArgumentException("SMOTE ratio (positives per negative) must be > 0, got " + targetRatio);
        }
        if (k < 1) {
            throw new IllegalArgumentException("SMOTE needs k ≥ 1 neighbours, got " + k);
        }
        int f = s.features();
        int p = s.positives();
        int n = s.rows() - p;
        long wanted = Math.round(n * targetRatio) - p; // a long: a huge ratio overflowed an int, and SMOTE was skipped
        if (p < 2 || wanted <= 0) {
            return s;
        }
        if (wanted > (Integer.MAX_VALUE - 8) / f - s.rows()) { // the rows' features would not fit one array
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "SMOTE ratio %s (positives per "
                    + "negative) asks for %,d synthetic positives, more rows than a training set holds: give a ratio "
                    + "of positives per negative such as 0.1", targetRatio, wanted));
        }
        int want = (int) wanted;
        int[] pos = new int[p];
        for (int r = 0, i = 0; r < s.rows(); r++) {
            if (s.y()[r] == 1) {
                pos[i++] = r;
            }
        }
        int kk = Math.min(k, p - 1);
        int[][] neighbours = new int[p][kk];
        double[] dist = new double[p];
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                double d = 0;
                for (int j = 0; j < f; j++) {
                    double t = s.x()[pos[a] * f + j] - s.x()[pos[b] * f + j];
                    d += t * t;
                }
                dist[b] = a == b ? Double.POSITIVE_INFINITY : d;
            }
            for (int m = 0; m < kk; m++) {
                int best = -1;
                for (int b = 0; b < p; b++) {
                    if (best < 0 || dist[b] < dist[best]) {
                        best = b;
                    }
                }
                neighbours[a][m] = best;
                dist[best] = Double.POSITIVE_INFINITY;
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int rows = s.rows() + want;
        double[] x = new double[rows * f];
        int[] y = new int[rows];
        System.arraycopy(s.x(), 0, x, 0, s.x().length);
        System.arraycopy(s.y(), 0, y, 0, s.rows());
        for (int i = 0; i < want; i++) {
            int a = rng.nextInt(p);
            int b = neighbours[a][rng.nextInt(kk)];
            double gap = rng.nextDouble();
            int out = (s.rows() + i) * f;
            for (int j = 0; j < f; j++) {
                double xa = s.x()[pos[a] * f + j];
                x[out + j] = xa + gap * (s.x()[pos[b] * f + j] - xa);
            }
            y[s.rows() + i] = 1;
        }
        return new TrainingSet(x, y, f);
    }
}
