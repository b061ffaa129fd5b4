package org.fraudscorer.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ResamplingTest {

    /** Made-up rows: feature 0 holds the row index (to recognise rows), the rest are random. */
    private static TrainingSet rows(int rows, int positives, int features, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[rows * features];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            x[r * features] = r;
            for (int j = 1; j < features; j++) {
                x[r * features + j] = rng.nextGaussian();
            }
        }
        for (int i = 0; i < positives; i++) {
            y[(i * rows) / positives + 1] = 1;
        }
        return new TrainingSet(x, y, features);
    }

    /** Positives scattered in general position (no three collinear in practice), negatives elsewhere. */
    private static TrainingSet scattered(int negatives, int positives, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int f = 3;
        int rows = negatives + positives;
        double[] x = new double[rows * f];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            boolean positive = r % (rows / positives) == 0 && Arrays.stream(y).sum() < positives;
            y[r] = positive ? 1 : 0;
            for (int j = 0; j < f; j++) {
                x[r * f + j] = (positive ? 5 : 0) + rng.nextDouble() * 10;
            }
        }
        return new TrainingSet(x, y, f);
    }

    @Test
    void undersampleKeepsEveryPositiveAndRoundedRatioOfNegatives() {
        TrainingSet s = rows(500, 10, 3, 1L);
        double[] xBefore = s.x().clone();
        int[] yBefore = s.y().clone();

        TrainingSet u = Resampling.undersample(s, 2.55, 7L);

        // round(10 · 2.55) = round(25.5) = 26 negatives
        assertThat(u.positives()).isEqualTo(10);
        assertThat(u.rows()).isEqualTo(36);
        assertThat(u.features()).isEqualTo(3);
        List<Integer> kept = new ArrayList<>();
        for (int r = 0; r < u.rows(); r++) {
            int source = (int) u.x()[r * 3];
            kept.add(source);
            assertThat(u.y()[r]).isEqualTo(s.y()[source]);
            assertThat(Arrays.copyOfRange(u.x(), r * 3, r * 3 + 3))
                    .isEqualTo(Arrays.copyOfRange(s.x(), source * 3, source * 3 + 3));
        }
        assertThat(kept).isSorted().doesNotHaveDuplicates();
        for (int r = 0; r < s.rows(); r++) {
            if (s.y()[r] == 1) {
                assertThat(kept).contains(r);
            }
        }
        assertThat(s.x()).isEqualTo(xBefore);
        assertThat(s.y()).isEqualTo(yBefore);
    }

    @Test
    void undersampleKeepsAllNegativesWhenTheRatioAsksForMoreThanExist() {
        TrainingSet s = rows(50, 5, 2, 2L);
        TrainingSet u = Resampling.undersample(s, 100, 1L);
        assertThat(u.x()).isEqualTo(s.x());
        assertThat(u.y()).isEqualTo(s.y());
    }

    @Test
    void undersampleIsDeterministicPerSeedAndDrawsDifferentNegativesForAnotherSeed() {
        TrainingSet s = rows(1000, 10, 2, 3L);
        TrainingSet a = Resampling.undersample(s, 3, 1L);
        TrainingSet b = Resampling.undersample(s, 3, 1L);
        TrainingSet c = Resampling.undersample(s, 3, 2L);
        assertThat(a.x()).isEqualTo(b.x());
        assertThat(a.rows()).isEqualTo(c.rows()).isEqualTo(40);
        assertThat(a.x()).isNotEqualTo(c.x());
    }

    @Test
    void undersampleRejectsNonPositiveRatios() {
        TrainingSet s = rows(50, 5, 2, 2L);
        assertThatThrownBy(() -> Resampling.undersample(s, 0, 1L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("undersampling ratio (negatives per positive) must be > 0, got 0.0");
    }

    @Test
    void smoteAddsPositivesUntilTheTargetRatioIsReached() {
        TrainingSet s = scattered(200, 8, 4L);
        assertThat(s.positives()).isEqualTo(8);
        double[] xBefore = s.x().clone();
        int[] yBefore = s.y().clone();

        TrainingSet o = Resampling.smote(s, 0.25, 3, 5L);

        // round(200 · 0.25) − 8 = 42 synthetic positives appended after the untouched originals
        assertThat(o.rows()).isEqualTo(208 + 42);
        assertThat(o.positives()).isEqualTo(50);
        assertThat(Arrays.copyOfRange(o.x(), 0, s.x().length)).isEqualTo(s.x());
        assertThat(Arrays.copyOfRange(o.y(), 0, s.rows())).isEqualTo(s.y());
        assertThat(Arrays.copyOfRange(o.y(), s.rows(), o.rows())).containsOnly(1);
        assertThat(s.x()).isEqualTo(xBefore);
        assertThat(s.y()).isEqualTo(yBefore);
    }

    @Test
    void everySyntheticPointLiesBetweenAnOriginalPositiveAndOneOfItsNearestPositives() {
        for (int k : new int[] {1, 3}) {
            TrainingSet s = scattered(300, 10, 6L);
            TrainingSet o = Resampling.smote(s, 0.2, k, 8L);
            assertThat(o.rows() - s.rows()).isEqualTo(50);

            double[][] pos = originalPositives(s);
            for (int r = s.rows(); r < o.rows(); r++) {
                double[] q = Arrays.copyOfRange(o.x(), r * 3, r * 3 + 3);
                assertThat(onSegmentToANeighbour(q, pos, k)).as("synthetic row %d with k=%d: %s", r, k,
                        Arrays.toString(q)).isTrue();
            }
        }
    }

    @Test
    void smoteLeavesDataAloneWhenTheRatioIsAlreadyMetOrThereAreTooFewPositives() {
        TrainingSet s = scattered(100, 10, 1L);
        assertThat(Resampling.smote(s, 0.1, 5, 1L)).isSameAs(s); // round(100·0.1) − 10 = 0 wanted
        TrainingSet single = rows(100, 1, 2, 1L);
        assertThat(Resampling.smote(single, 0.5, 5, 1L)).isSameAs(single);
    }

    @Test
    void smoteRejectsInvalidArguments() {
        TrainingSet s = scattered(100, 10, 1L);
        assertThatThrownBy(() -> Resampling.smote(s, -1, 5, 1L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SMOTE ratio (positives per negative) must be > 0, got -1.0");
        assertThatThrownBy(() -> Resampling.smote(s, 0.5, 0, 1L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k ≥ 1");
        // a ratio asking for more rows than an array holds: the count overflowed an int, so SMOTE was silently
        // skipped (2e9, 1e12, 1e300) or failed with 'error: -461767553' (1e15; bad-input hunt)
        for (double huge : new double[] {2e9, 1e12, 1e15, 1e300}) {
            assertThatThrownBy(() -> Resampling.smote(s, huge, 5, 1L)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("SMOTE ratio " + huge + " (positives per negative) asks for ")
                    .hasMessageEndingWith(" synthetic positives, more rows than a training set holds: give a ratio "
                            + "of positives per negative such as 0.1");
        }
    }

    private static double[][] originalPositives(TrainingSet s) {
        List<double[]> out = new ArrayList<>();
        for (int r = 0; r < s.rows(); r++) {
            if (s.y()[r] == 1) {
                out.add(Arrays.copyOfRange(s.x(), r * s.features(), (r + 1) * s.features()));
            }
        }
        return out.toArray(new double[0][]);
    }

    /** Brute force: is q = a + t·(b − a), t in [0, 1), for a positive a and one of its k nearest positives b? */
    private static boolean onSegmentToANeighbour(double[] q, double[][] pos, int k) {
        for (int a = 0; a < pos.length; a++) {
            for (int b : nearest(pos, a, k)) {
                double[] d = new double[q.length];
                double dd = 0;
                double dq = 0;
                for (int j = 0; j < q.length; j++) {
                    d[j] = pos[b][j] - pos[a][j];
                    dd += d[j] * d[j];
                    dq += d[j] * (q[j] - pos[a][j]);
                }
                double t = dq / dd;
                double residual = 0;
                for (int j = 0; j < q.length; j++) {
                    double e = pos[a][j] + t * d[j] - q[j];
                    residual += e * e;
                }
                if (t >= -1e-12 && t < 1 + 1e-12 && Math.sqrt(residual) < 1e-9) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int[] nearest(double[][] pos, int a, int k) {
        Integer[] idx = new Integer[pos.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (i, j) -> Double.compare(dist(pos[a], pos[i]), dist(pos[a], pos[j])));
        // idx[0] is a itself (distance 0)
        return Arrays.stream(idx, 1, 1 + k).mapToInt(Integer::intValue).toArray();
    }

    private static double dist(double[] u, double[] v) {
        double s = 0;
        for (int j = 0; j < u.length; j++) {
            s += (u[j] - v[j]) * (u[j] - v[j]);
        }
        return s;
    }
}
