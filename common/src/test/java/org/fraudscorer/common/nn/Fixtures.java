package org.fraudscorer.common.nn;

import java.util.SplittableRandom;

/** Random test data. */
final class Fixtures {

    private Fixtures() {
    }

    static double[] gaussian(SplittableRandom rng, int n, double std) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = std * rng.nextGaussian();
        }
        return v;
    }

    static double[] uniform(SplittableRandom rng, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextDouble(lo, hi);
        }
        return v;
    }

    static double[] labels(SplittableRandom rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextBoolean() ? 1.0 : 0.0;
        }
        return v;
    }

    static double std(double[] v) {
        double mean = mean(v);
        double sq = 0.0;
        for (double x : v) {
            sq += (x - mean) * (x - mean);
        }
        return Math.sqrt(sq / v.length);
    }

    static double mean(double[] v) {
        double sum = 0.0;
        for (double x : v) {
            sum += x;
        }
        return sum / v.length;
    }
}
