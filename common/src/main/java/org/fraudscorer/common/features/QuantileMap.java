package org.fraudscorer.common.features;

import java.util.Arrays;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * A fitted, monotone map of one feature's values onto the standard normal scale (a "rank-Gauss" transform): the
 * training rows' quantiles at evenly spaced probabilities are the knots {@code x}, each paired with the standard
 * normal's quantile {@code z} at the same probability, and a value is interpolated linearly between the two knots
 * around it (the end knots' {@code z} beyond them). A heavy-tailed feature then reaches the network as an
 * approximately normal one whose extremes are bounded (about ±5.2), where standardisation alone leaves a normal row 20
 * deviations out for a ReLU network to extrapolate its logit to; the map keeps the order of the values, as a tree's
 * splits do.
 *
 * <p>The file stores both {@code x} and {@code z}, so scoring needs only the stored numbers (no quantile function of
 * a library version): the trainer and every scorer compute the same bits. {@link #apply} allocates nothing.
 */
public final class QuantileMap {
    /** Knots a fitted map gets: the quantiles at 0, 1/127, …, 1 (fewer where quantiles coincide). */
    public static final int KNOTS = 128;
    /** More knots than any fitted map holds; refuses absurd files early. */
    public static final int MAX_KNOTS = 10_000;
    /** The probabilities of the end knots are kept this far inside (0, 1): the normal quantile of 0 is −∞. */
    static final double BOUND = 1e-7;

    private final double[] x;
    private final double[] z;
    /** (z[i+1] − z[i]) / (x[i+1] − x[i]): fixed by the stored numbers, so every reader computes the same. */
    private final double[] slope;

    /**
     * @param x the knots, finite and strictly increasing (at least one)
     * @param z the normal scale's value at each knot, finite and non-decreasing
     */
    public QuantileMap(double[] x, double[] z) {
        if (x.length == 0 || x.length != z.length || x.length > MAX_KNOTS) {
            throw new IllegalArgumentException("a quantile map needs 1 to " + MAX_KNOTS
                    + " knots with one normal value each, got " + x.length + " knots and " + z.length + " values");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(z[i])) {
                throw new IllegalArgumentException("quantile map knot " + i + " is not finite: " + x[i] + " -> " + z[i]);
            }
            if (i > 0 && (x[i] <= x[i - 1] || z[i] < z[i - 1])) {
                throw new IllegalArgumentException("quantile map knots must increase and their values must not "
                        + "decrease, at knot " + i + ": " + x[i - 1] + " -> " + z[i - 1] + ", then " + x[i] + " -> " + z[i]);
            }
        }
        this.x = x.clone();
        this.z = z.clone();
        this.slope = new double[Math.max(0, x.length - 1)];
        for (int i = 0; i < slope.length; i++) {
            slope[i] = (z[i + 1] - z[i]) / (x[i + 1] - x[i]);
            if (!Double.isFinite(slope[i])) { // knots closer than the values' rise can divide by
                throw new IllegalArgumentException("quantile map knots " + i + " and " + (i + 1) + " are too close for "
                        + "their values: " + x[i] + " -> " + z[i] + ", then " + x[i + 1] + " -> " + z[i + 1]);
            }
        }
    }

    /**
     * Fits a map to {@code n} values read at {@code values[offset + r * stride]}: knots at the probabilities
     * k / (knots − 1), each the linearly interpolated quantile of the values (as NumPy's default percentile), mapped to
     * the standard normal's quantile at the same probability (kept {@link #BOUND} inside (0, 1)). Where several knots
     * fall on the same value (a feature with repeated values) they become one knot with the mean of their normal
     * values, so every value maps to one number.
     */
    public static QuantileMap fit(double[] values, int offset, int stride, int n, int knots) {
        if (n < 1 || knots < 2) {
            throw new IllegalArgumentException("a quantile map needs at least one value and two knots, got " + n
                    + " values and " + knots + " knots");
        }
        double[] sorted = new double[n];
        for (int r = 0; r < n; r++) {
            sorted[r] = values[offset + r * stride];
        }
        Arrays.sort(sorted);
        NormalDistribution normal = NormalDistribution.of(0, 1);
        double[] xs = new double[knots];
        double[] zs = new double[knots];
        int count = 0;
        int run = 0; // knots merged into the current one
        for (int k = 0; k < knots; k++) {
            double p = k / (double) (knots - 1);
            double pos = p * (n - 1);
            int lo = (int) Math.floor(pos);
            double q = lo + 1 < n ? sorted[lo] + (pos - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[n - 1];
            double zk = normal.inverseCumulativeProbability(Math.min(1 - BOUND, Math.max(BOUND, p)));
            if (count > 0 && q <= xs[count - 1]) { // the same value as the knot before (the sorted values never fall)
                zs[count - 1] = (zs[count - 1] * run + zk) / (run + 1);
                run++;
            } else {
                xs[count] = q;
                zs[count] = zk;
                count++;
                run = 1;
            }
        }
        return new QuantileMap(Arrays.copyOf(xs, count), Arrays.copyOf(zs, count));
    }

    /** The value on the normal scale; allocation-free. */
    public double apply(double v) {
        int last = x.length - 1;
        if (v <= x[0] || last == 0) { // one knot: one value (even for NaN, which never reaches the scorer)
            return z[0];
        }
        if (v >= x[last]) {
            return z[last];
        }
        // x[0] < v < x[last]: the last knot at or below v, by a search whose steps depend only on the knot count
        // (a conditional move each, instead of a branch the processor mispredicts about every other step)
        int lo = 0;
        int len = last;
        while (len > 1) {
            int half = len >>> 1;
            lo = x[lo + half] <= v ? lo + half : lo;
            len -= half;
        }
        return z[lo] + (v - x[lo]) * slope[lo];
    }

    public double[] x() {
        return x.clone();
    }

    public double[] z() {
        return z.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantileMap m && Arrays.equals(m.x, x) && Arrays.equals(m.z, z);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(x) * 31 + Arrays.hashCode(z);
    }
}
