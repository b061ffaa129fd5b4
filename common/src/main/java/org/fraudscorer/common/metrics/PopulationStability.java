package org.fraudscorer.common.metrics;

/**
 * Population stability index: {@code PSI = Σ_i (a_i − e_i) · ln(a_i / e_i)} over the bins of a reference
 * distribution, with e_i the reference share of bin i and a_i the observed share. Common reading: below 0.1 no
 * meaningful shift, 0.1 to 0.25 a moderate shift worth a look, above 0.25 a major shift. A share of zero is
 * floored at {@link #FLOOR} so an empty bin counts as a large, finite difference rather than infinity.
 */
public final class PopulationStability {
    /** The smallest share used in the logarithm (an empty bin counts as 0.01 %). */
    public static final double FLOOR = 1e-4;

    private PopulationStability() {
    }

    /**
     * PSI of {@code counts} (observed events per bin, {@code total} in all) against the reference {@code expected}
     * shares; NaN when nothing was observed. Allocates nothing.
     */
    public static double psi(double[] expected, long[] counts, int offset, long total) {
        if (total <= 0) {
            return Double.NaN;
        }
        double psi = 0;
        for (int i = 0; i < expected.length; i++) {
            double a = Math.max(FLOOR, (double) counts[offset + i] / total);
            double e = Math.max(FLOOR, expected[i]);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }
}
