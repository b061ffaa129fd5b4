package org.fraudscorer.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CurveTest {

    @Test
    void isImmutableAndComparesByContent() {
        double[] x = {0, 1};
        Curve curve = new Curve(x, new double[] {0, 1}, new double[] {0.9, 0.1});
        x[0] = 42;
        curve.x()[1] = 42;
        assertThat(curve.x()).containsExactly(0, 1);
        assertThat(curve.size()).isEqualTo(2);
        assertThat(curve).isEqualTo(new Curve(new double[] {0, 1}, new double[] {0, 1}, new double[] {0.9, 0.1}))
                .hasSameHashCodeAs(new Curve(new double[] {0, 1}, new double[] {0, 1}, new double[] {0.9, 0.1}));
    }

    /**
     * A ROC curve of 71,000 rows thinned for drawing: the first and last points kept, every point left out within the
     * step of the point kept before it (in x and in y), each kept point with its own threshold, and a few thousand
     * points instead of tens of thousands. A curve already coarser than the step comes back unchanged.
     */
    @Test
    void thinningKeepsTheEndsAndEveryPointWithinTheStepOfAKeptOne() {
        java.util.Random rnd = new java.util.Random(3);
        int n = 71_000;
        double[] scores = new double[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextDouble() < 0.002 ? 1 : 0;
            scores[i] = labels[i] == 1 ? rnd.nextDouble() : rnd.nextDouble() * rnd.nextDouble();
        }
        for (Curve full : new Curve[] {RankingMetrics.rocCurve(scores, labels, null),
                RankingMetrics.precisionRecallCurve(scores, labels, null)}) {
            double step = 1e-3;
            Curve thin = full.thinned(step);
            double[] fx = full.x();
            double[] fy = full.y();
            double[] ft = full.thresholds();
            double[] tx = thin.x();
            double[] ty = thin.y();
            double[] tt = thin.thresholds();
            assertThat(full.size()).isGreaterThan(10_000);
            assertThat(thin.size()).isLessThan(full.size() / 5).isGreaterThan(100);
            assertThat(tx[0]).isEqualTo(fx[0]);
            assertThat(tx[thin.size() - 1]).isEqualTo(fx[full.size() - 1]);
            assertThat(ty[thin.size() - 1]).isEqualTo(fy[full.size() - 1]);
            int k = 0;
            for (int i = 0; i < full.size(); i++) {
                if (k + 1 < thin.size() && tt[k + 1] == ft[i] && tx[k + 1] == fx[i] && ty[k + 1] == fy[i]) {
                    k++; // the next kept point, in order
                    continue;
                }
                if (tt[k] == ft[i] && tx[k] == fx[i] && ty[k] == fy[i]) {
                    continue;
                }
                assertThat(Math.abs(fx[i] - tx[k])).as("point %d", i).isLessThan(step);
                assertThat(Math.abs(fy[i] - ty[k])).as("point %d", i).isLessThan(step);
            }
            assertThat(k).as("every kept point met in order").isEqualTo(thin.size() - 1);
        }
        Curve coarse = new Curve(new double[] {0, 0.5, 1}, new double[] {0, 0.7, 1}, new double[] {0.9, 0.5, 0.1});
        assertThat(coarse.thinned(1e-3)).isEqualTo(coarse);
        assertThatThrownBy(() -> coarse.thinned(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsMismatchedLengths() {
        assertThatThrownBy(() -> new Curve(new double[2], new double[3], new double[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2, 3, 2");
    }
}
