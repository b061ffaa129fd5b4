package org.fraudscorer.trainer.train;

import java.util.SplittableRandom;

/** Generated, learnable, imbalanced data: negatives ~ N(0, 1), positives ~ N(shift, 1) in every feature. */
final class Synthetic {
    private Synthetic() {
    }

    static TrainingSet gaussians(int rows, double positiveShare, int features, double shift, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int positives = (int) Math.round(rows * positiveShare);
        double[] x = new double[rows * features];
        int[] y = new int[rows];
        for (int i = 0; i < positives; i++) {
            y[(int) ((long) i * rows / positives)] = 1;
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < features; j++) {
                x[r * features + j] = rng.nextGaussian() + (y[r] == 1 ? shift : 0);
            }
        }
        return new TrainingSet(x, y, features);
    }
}
