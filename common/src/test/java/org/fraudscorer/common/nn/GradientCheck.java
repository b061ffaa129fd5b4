package org.fraudscorer.common.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.DoubleSupplier;

/** Central finite differences against analytic gradients, in double precision. */
final class GradientCheck {

    static final double EPS = 1e-5;
    static final double TOLERANCE = 1e-6;

    private GradientCheck() {
    }

    /** Symmetric relative error; the 1e-8 floor keeps exact zeros (dead ReLUs) from dividing by 0. */
    static double relativeError(double a, double b) {
        return Math.abs(a - b) / Math.max(1e-8, Math.abs(a) + Math.abs(b));
    }

    /** (f(v+eps) - f(v-eps)) / 2eps, restoring {@code values[k]} afterwards. */
    static double numerical(double[] values, int k, DoubleSupplier f) {
        double saved = values[k];
        values[k] = saved + EPS;
        double plus = f.getAsDouble();
        values[k] = saved - EPS;
        double minus = f.getAsDouble();
        values[k] = saved;
        return (plus - minus) / (2 * EPS);
    }

    /**
     * Asserts every entry of {@code analytic} matches the finite difference of {@code f} w.r.t.
     * the corresponding entry of {@code values}. Returns the worst relative error seen.
     */
    static double assertMatches(String name, double[] values, double[] analytic, DoubleSupplier f) {
        double[] expected = analytic.clone(); // f may run backward passes; keep our own copy
        double worst = 0.0;
        for (int k = 0; k < expected.length; k++) {
            double numeric = numerical(values, k, f);
            double error = relativeError(expected[k], numeric);
            assertThat(error)
                    .as("%s[%d]: analytic %s vs numeric %s", name, k, expected[k], numeric)
                    .isLessThan(TOLERANCE);
            worst = Math.max(worst, error);
        }
        return worst;
    }
}
