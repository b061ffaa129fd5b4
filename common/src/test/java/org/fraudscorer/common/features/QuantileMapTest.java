package org.fraudscorer.common.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantileMapTest {

    @Test
    void aHeavyTailedFeatureComesOutApproximatelyStandardNormalWithBoundedExtremes() {
        int n = 20_000;
        SplittableRandom r = new SplittableRandom(5);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            v[i] = g * g * g * 10; // heavy tails: a cube of a normal
        }
        QuantileMap m = QuantileMap.fit(v, 0, 1, n, QuantileMap.KNOTS);
        assertThat(m.x()).hasSize(QuantileMap.KNOTS);
        double mean = 0;
        double sq = 0;
        int below = 0;
        for (double x : v) {
            double z = m.apply(x);
            mean += z;
            sq += z * z;
            below += z < -1.6448536 ? 1 : 0; // the standard normal's 5% quantile
        }
        assertThat(mean / n).isCloseTo(0, within(0.02));
        assertThat(Math.sqrt(sq / n)).isCloseTo(1, within(0.06)); // the end knots stretch to ±5.2, a little over 1
        assertThat(below / (double) n).isCloseTo(0.05, within(0.005));
        double end = 5.199337582605575; // the standard normal's quantile at 1 - 1e-7
        assertThat(m.apply(-1e9)).isCloseTo(-end, within(1e-9));
        assertThat(m.apply(1e9)).isCloseTo(end, within(1e-9));
        assertThat(m.apply(m.x()[40])).isEqualTo(m.z()[40]);
    }

    @Test
    void theMapIsMonotoneAndLinearBetweenItsKnots() {
        QuantileMap m = new QuantileMap(new double[] {0, 1, 3}, new double[] {-1, 0, 4});
        assertThat(m.apply(-5)).isEqualTo(-1);
        assertThat(m.apply(0.5)).isEqualTo(-0.5);
        assertThat(m.apply(1)).isEqualTo(0);
        assertThat(m.apply(2)).isEqualTo(2);
        assertThat(m.apply(3)).isEqualTo(4);
        assertThat(m.apply(7)).isEqualTo(4);
        double previous = Double.NEGATIVE_INFINITY;
        for (double x = -1; x <= 4; x += 0.01) {
            assertThat(m.apply(x)).isGreaterThanOrEqualTo(previous);
            previous = m.apply(x);
        }
    }

    @Test
    void repeatedValuesBecomeOneKnotSoEveryValueHasOneImage() {
        // 70% zeros (e.g. a count that is mostly 0), then distinct values
        int n = 1_000;
        double[] v = new double[n];
        for (int i = 700; i < n; i++) {
            v[i] = i - 699;
        }
        QuantileMap m = QuantileMap.fit(v, 0, 1, n, 11);
        double[] x = m.x();
        for (int i = 1; i < x.length; i++) {
            assertThat(x[i]).isGreaterThan(x[i - 1]);
        }
        assertThat(x[0]).isEqualTo(0.0);
        // knots at p = 0, 0.1, ..., 0.6 all fall on 0: merged into one, at the mean of their normal quantiles
        assertThat(x).hasSize(5);
        assertThat(m.apply(0)).isEqualTo(m.z()[0]).isLessThan(-1);
        assertThat(m.z()[1]).isGreaterThan(m.z()[0]);
    }

    @Test
    void aConstantFeatureMapsToOneValue() {
        double[] v = {3, 3, 3, 3};
        QuantileMap m = QuantileMap.fit(v, 0, 1, 4, QuantileMap.KNOTS);
        assertThat(m.x()).containsExactly(3.0);
        assertThat(m.apply(-100)).isEqualTo(m.apply(100)).isEqualTo(m.z()[0]);
    }

    @Test
    void fitsAColumnOfRowMajorValues() {
        double[] rows = {10, 1, 20, 2, 30, 3}; // two columns; the second is 1, 2, 3
        QuantileMap m = QuantileMap.fit(rows, 1, 2, 3, 3);
        assertThat(m.x()).containsExactly(1.0, 2.0, 3.0);
        assertThat(m.apply(2)).isCloseTo(0, within(1e-12));
    }

    @Test
    void refusesKnotsThatCannotBeAMap() {
        assertThatThrownBy(() -> new QuantileMap(new double[0], new double[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to");
        assertThatThrownBy(() -> new QuantileMap(new double[] {0, 1}, new double[] {0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 knots and 1 values");
        assertThatThrownBy(() -> new QuantileMap(new double[] {0, 0}, new double[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must increase");
        assertThatThrownBy(() -> new QuantileMap(new double[] {0, 1}, new double[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not decrease");
        assertThatThrownBy(() -> new QuantileMap(new double[] {0, Double.NaN}, new double[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not finite");
        assertThatThrownBy(() -> QuantileMap.fit(new double[] {1}, 0, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two knots");
    }

    @Test
    void everyValueMapsAsALinearScanOfTheKnotsWouldForEveryKnotCount() {
        SplittableRandom r = new SplittableRandom(8);
        for (int k = 1; k <= 40; k++) {
            double[] x = new double[k];
            double[] z = new double[k];
            for (int i = 0; i < k; i++) {
                x[i] = (i == 0 ? -3 : x[i - 1]) + 0.01 + r.nextDouble();
                z[i] = (i == 0 ? -2 : z[i - 1]) + r.nextDouble();
            }
            QuantileMap m = new QuantileMap(x, z);
            for (int t = 0; t < 400; t++) {
                double v = t % 4 == 0 ? x[r.nextInt(k)] : r.nextDouble(x[0] - 1, x[k - 1] + 1); // knots themselves too
                assertThat(m.apply(v)).as("%d knots, value %s", k, v).isCloseTo(scan(x, z, v), within(1e-12));
            }
        }
    }

    /** The reference: the last knot at or below v found by looking at every knot. */
    private static double scan(double[] x, double[] z, double v) {
        if (v <= x[0]) {
            return z[0];
        }
        if (v >= x[x.length - 1]) {
            return z[x.length - 1];
        }
        int i = 0;
        while (x[i + 1] <= v) {
            i++;
        }
        return z[i] + (v - x[i]) * (z[i + 1] - z[i]) / (x[i + 1] - x[i]);
    }

    @Test
    void mergedKnotsTakeTheMeanOfTheirNormalValues() {
        // 70 zeros then 1..30: of 11 knots (p = 0, 0.1, ..., 1) the first seven fall on 0
        double[] v = new double[100];
        for (int i = 70; i < 100; i++) {
            v[i] = i - 69;
        }
        QuantileMap m = QuantileMap.fit(v, 0, 1, 100, 11);
        var normal = org.apache.commons.statistics.distribution.NormalDistribution.of(0, 1);
        double sum = normal.inverseCumulativeProbability(QuantileMap.BOUND);
        for (int k = 1; k <= 6; k++) {
            sum += normal.inverseCumulativeProbability(k / 10.0);
        }
        assertThat(m.x()[0]).isEqualTo(0.0);
        assertThat(m.z()[0]).isCloseTo(sum / 7, within(1e-12));
        assertThat(m.x()[1]).isCloseTo(0.3, within(1e-12)); // p = 0.7: 30% of the way from the last 0 to 1
        assertThat(m.z()[1]).isCloseTo(normal.inverseCumulativeProbability(0.7), within(1e-12));
    }

    @Test
    void knotsTooCloseForTheirValuesAreRefusedAndOneKnotIsOneValue() {
        assertThatThrownBy(() -> new QuantileMap(new double[] {-1, 0, Double.MIN_VALUE}, new double[] {0, 1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too close");
        QuantileMap one = new QuantileMap(new double[] {2}, new double[] {0.5});
        assertThat(one.apply(Double.NaN)).isEqualTo(0.5);
        assertThat(one).isEqualTo(new QuantileMap(new double[] {2}, new double[] {0.5}))
                .isNotEqualTo(new QuantileMap(new double[] {2}, new double[] {0.6}));
    }
}
