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

    /** This set with every value clipped to {@code [-c, c]} (itself when {@code c} is 0). */
    public TrainingSet clipped(double c) {
        if (c <= 0) {
            return this;
        }
        double[] v = x.clone();
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(-c, Math.min(c, v[i]));
        }
        return new TrainingSet(v, y, features);
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
