package org.fraudscorer.common.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PreprocessingTest {
    private static final FeatureSchema S = FeatureSchema.CREDITCARD;

    private static double[] rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n * S.inputCount()];
        for (int i = 0; i < n; i++) {
            x[i * 30] = r.nextDouble(0, 172_800);
            for (int v = 1; v <= 28; v++) {
                x[i * 30 + v] = r.nextGaussian() * v;
            }
            x[i * 30 + 29] = r.nextDouble(0, 2_000);
        }
        return x;
    }

    @Test
    void schemaDropsAbsoluteTimeAndLogsAmount() {
        assertThat(S.inputFields()).hasSize(30).startsWith("Time", "V1").endsWith("Amount");
        assertThat(S.featureNames()).hasSize(29).doesNotContain("Time").endsWith("log1p(Amount)");
    }

    @Test
    void fittedFeaturesHaveZeroMeanAndUnitVarianceOnTrainingRows() {
        int n = 5_000;
        double[] x = rows(n, 1);
        Preprocessing p = Preprocessing.fit(S, x, n);
        double[] f = p.applyBatch(x, n);
        for (int j = 0; j < 29; j++) {
            double mean = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                mean += f[i * 29 + j];
                sq += f[i * 29 + j] * f[i * 29 + j];
            }
            assertThat(mean / n).isCloseTo(0, within(1e-9));
            assertThat(sq / n).isCloseTo(1, within(1e-9));
        }
    }

    @Test
    void singleRecordPathEqualsBatchPathAndHandComputedValue() {
        double[] x = rows(10, 2);
        Preprocessing p = Preprocessing.fit(S, x, 10);
        double[] batch = p.applyBatch(x, 10);
        double[] one = new double[29];
        double[] row = new double[30];
        for (int i = 0; i < 10; i++) {
            System.arraycopy(x, i * 30, row, 0, 30);
            p.apply(row, one);
            for (int j = 0; j < 29; j++) {
                assertThat(one[j]).isEqualTo(batch[i * 29 + j]);
            }
        }
        // log1p(Amount) standardised by hand for row 0
        double mean = 0;
        for (int i = 0; i < 10; i++) {
            mean += Math.log1p(x[i * 30 + 29]);
        }
        mean /= 10;
        double var = 0;
        for (int i = 0; i < 10; i++) {
            var += Math.pow(Math.log1p(x[i * 30 + 29]) - mean, 2);
        }
        double expected = (Math.log1p(x[29]) - mean) / Math.sqrt(var / 10);
        assertThat(batch[28]).isCloseTo(expected, within(1e-12));
    }

    @Test
    void aClipCapsEveryStandardisedValueAndBothPathsAgree() {
        double[] x = rows(200, 4);
        Preprocessing plain = Preprocessing.fit(S, x, 200);
        Preprocessing clipped = plain.withClip(1.5);
        assertThat(clipped.clip()).isEqualTo(1.5);
        assertThat(clipped).isNotEqualTo(plain);
        double[] free = plain.applyBatch(x, 200);
        double[] batch = clipped.applyBatch(x, 200);
        double[] one = new double[29];
        double[] row = new double[30];
        int capped = 0;
        for (int i = 0; i < 200; i++) {
            System.arraycopy(x, i * 30, row, 0, 30);
            clipped.apply(row, one);
            for (int j = 0; j < 29; j++) {
                double z = free[i * 29 + j];
                double expected = Math.max(-1.5, Math.min(1.5, z));
                assertThat(batch[i * 29 + j]).isEqualTo(expected);
                assertThat(one[j]).isEqualTo(expected);
                capped += Math.abs(z) > 1.5 ? 1 : 0;
            }
        }
        assertThat(capped).as("values beyond 1.5 sd that the clip had to cap").isGreaterThan(200);
        assertThatThrownBy(() -> plain.withClip(-1)).hasMessageContaining("input clip");
    }

    @Test
    void constantColumnIsNotDividedByZero() {
        double[] x = rows(20, 3);
        for (int i = 0; i < 20; i++) {
            x[i * 30 + 5] = 7.0;
        }
        Preprocessing p = Preprocessing.fit(S, x, 20);
        assertThat(p.stds()[4]).isEqualTo(1.0);
        assertThat(p.applyBatch(x, 20)[4]).isEqualTo(0.0);
    }

    @Test
    void refusesBadParameters() {
        double[] ones = new double[29];
        java.util.Arrays.fill(ones, 1);
        assertThatThrownBy(() -> new Preprocessing(S, new double[28], ones))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("29");
        double[] bad = ones.clone();
        bad[3] = 0;
        assertThatThrownBy(() -> new Preprocessing(S, new double[29], bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("V4");
    }

    @Test
    void validateNamesTheOffendingField() {
        double[] row = rows(1, 4);
        assertThat(S.validate(row)).isNull();
        row[29] = -1;
        assertThat(S.validate(row)).contains("Amount").contains("below");
        row[29] = 10;
        row[3] = Double.NaN;
        assertThat(S.validate(row)).isEqualTo("V3 is NaN");
        row[3] = 5_000;
        assertThat(S.validate(row)).contains("V3").contains("above");
    }

    @Test
    void quantileMapsComeBeforeStandardisingOnBothPathsWithTheSameBits() {
        int n = 2_000;
        double[] x = rows(n, 6);
        Preprocessing q = Preprocessing.fit(S, x, n, true);
        assertThat(q.quantiles()).hasSize(29);
        assertThat(Preprocessing.fit(S, x, n).quantiles()).isNull();
        assertThat(q).isNotEqualTo(Preprocessing.fit(S, x, n));
        Preprocessing clipped = q.withClip(2.0);
        assertThat(clipped.quantiles()).isEqualTo(q.quantiles());
        double[] batch = q.applyBatch(x, n);
        double[] clippedBatch = clipped.applyBatch(x, n);
        double[] one = new double[29];
        double[] clippedOne = new double[29];
        double[] row = new double[30];
        int capped = 0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * 30, row, 0, 30);
            q.apply(row, one);
            clipped.apply(row, clippedOne);
            for (int j = 0; j < 29; j++) {
                double expected = Math.max(-2.0, Math.min(2.0, batch[i * 29 + j]));
                assertThat(one[j]).isEqualTo(batch[i * 29 + j]);
                assertThat(clippedBatch[i * 29 + j]).isEqualTo(expected);
                assertThat(clippedOne[j]).isEqualTo(expected);
                capped += Math.abs(batch[i * 29 + j]) > 2 ? 1 : 0;
            }
        }
        assertThat(capped).as("mapped values the clip had to cap").isPositive();
        // other maps, same means and deviations: not the same preprocessing
        java.util.List<QuantileMap> shifted = new java.util.ArrayList<>(q.quantiles());
        double[] x0 = shifted.get(0).x();
        x0[0] -= 1;
        shifted.set(0, new QuantileMap(x0, shifted.get(0).z()));
        assertThat(new Preprocessing(S, shifted, q.means(), q.stds(), 0)).isNotEqualTo(q);
        assertThat(new Preprocessing(S, q.quantiles(), q.means(), q.stds(), 0)).isEqualTo(q).hasSameHashCodeAs(q);
        // by hand for row 0's amount: log1p, its map, then the mapped values' mean and deviation
        QuantileMap amount = q.quantiles().get(28);
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += amount.apply(Math.log1p(x[i * 30 + 29]));
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            var += Math.pow(amount.apply(Math.log1p(x[i * 30 + 29])) - mean, 2);
        }
        assertThat(batch[28]).isCloseTo((amount.apply(Math.log1p(x[29])) - mean) / Math.sqrt(var / n), within(1e-12));
        // the map fitted on the rows: V1's values land near the normal quantile of their rank
        double[] v1 = new double[n];
        for (int i = 0; i < n; i++) {
            v1[i] = x[i * 30 + 1];
        }
        assertThat(q.quantiles().get(0)).isEqualTo(QuantileMap.fit(v1, 0, 1, n, QuantileMap.KNOTS));
        assertThatThrownBy(() -> new Preprocessing(S, q.quantiles().subList(0, 28), q.means(), q.stds(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("29 quantile maps, got 28");
        java.util.List<QuantileMap> withGap = new java.util.ArrayList<>(q.quantiles());
        withGap.set(5, null);
        assertThatThrownBy(() -> new Preprocessing(S, withGap, q.means(), q.stds(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("29 quantile maps, got 28");
    }
}
