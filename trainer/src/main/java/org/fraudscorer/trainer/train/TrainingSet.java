package org.fraudscorer.trainer.train;

/**
 * Standardised feature rows and their labels, row-major ({@code rows × features}); what the training loop consumes.
 */
public record TrainingSet(double[] x, int[] y, int features) {
    public TrainingSet {
        if (features < 1 || x.length != (long) y.length * features) {
            throw new IllegalArgumentException("training set of " + y.length + " rows × " + features
                    + " features needs " + ((long) y.length * features) + " values, got " + x.length);
        }
    }

    public int rows() {
        return y.length;
    }

    public int positives() {
        int p = 0;
        for (int v : y) {
            p += v;
        }
        return p;
    }
}
