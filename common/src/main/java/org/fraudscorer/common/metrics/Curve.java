package org.fraudscorer.common.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * A curve traced by moving the decision threshold: point {@code i} is {@code (x[i], y[i])} when
 * flagging every row with score {@code >= thresholds[i]}. Points are ordered by decreasing threshold.
 * The arrays are copied on the way in and out, so a curve is immutable; equality compares contents.
 *
 * @param x the x coordinates (FPR for a ROC curve, recall for a precision-recall curve)
 * @param y the y coordinates (TPR for a ROC curve, precision for a precision-recall curve)
 * @param thresholds the threshold producing each point
 */
public record Curve(double[] x, double[] y, double[] thresholds) {

    public Curve {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        Objects.requireNonNull(thresholds, "thresholds");
        if (y.length != x.length || thresholds.length != x.length) {
            throw new IllegalArgumentException("x, y and thresholds have lengths " + x.length + ", "
                    + y.length + ", " + thresholds.length + "; expected equal lengths");
        }
        x = x.clone();
        y = y.clone();
        thresholds = thresholds.clone();
    }

    /** Number of points. */
    public int size() {
        return x.length;
    }

    /**
     * The curve with only the points that move at least {@code step} (in x or in y) from the last point kept, and the
     * last point: for drawing. Every point left out lies within {@code step} of the point kept before it, so a curve
     * of 71,000 thresholds (a ROC curve of a full day's test rows) draws as a few thousand points, to the pixel,
     * instead of taking seconds to render.
     */
    public Curve thinned(double step) {
        if (!(step > 0)) {
            throw new IllegalArgumentException("step must be positive, got " + step);
        }
        int n = x.length;
        int[] keep = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            boolean last = i == n - 1;
            if (k == 0 || last || Math.abs(x[i] - x[keep[k - 1]]) >= step || Math.abs(y[i] - y[keep[k - 1]]) >= step
                    || Double.isNaN(y[i]) != Double.isNaN(y[keep[k - 1]])) {
                keep[k++] = i;
            }
        }
        if (k == n) {
            return this;
        }
        double[] tx = new double[k];
        double[] ty = new double[k];
        double[] tt = new double[k];
        for (int j = 0; j < k; j++) {
            tx[j] = x[keep[j]];
            ty[j] = y[keep[j]];
            tt[j] = thresholds[keep[j]];
        }
        return new Curve(tx, ty, tt);
    }

    @Override
    public double[] x() {
        return x.clone();
    }

    @Override
    public double[] y() {
        return y.clone();
    }

    @Override
    public double[] thresholds() {
        return thresholds.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Curve that
                && Arrays.equals(x, that.x)
                && Arrays.equals(y, that.y)
                && Arrays.equals(thresholds, that.thresholds);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(x) + Arrays.hashCode(y)) + Arrays.hashCode(thresholds);
    }

    @Override
    public String toString() {
        return "Curve[x=" + Arrays.toString(x) + ", y=" + Arrays.toString(y)
                + ", thresholds=" + Arrays.toString(thresholds) + "]";
    }
}
