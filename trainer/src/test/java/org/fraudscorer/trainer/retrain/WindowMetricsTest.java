package org.fraudscorer.trainer.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WindowMetricsTest {
    /** A challenger's recall at the champion's precision, from {@link WindowMetrics#of}. */
    private static double recallAt(double[] p, int[] y, double championPrecision) {
        return WindowMetrics.of("challenger", p, y, 0.5, Double.NaN, championPrecision).recallAtChampionPrecision();
    }

    @Test
    void recallAtPrecisionIsTheBestRecallOverThresholdsThatKeepThePrecision() {
        double[] p = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
        int[] y = {1, 0, 1, 1, 0, 1};
        // top 1: P 1, R .25; top 3: P .67, R .5; top 4: P .75, R .75; top 6: P .67, R 1
        assertThat(recallAt(p, y, 0.75)).isEqualTo(0.75);
        assertThat(recallAt(p, y, 0.6)).isEqualTo(1.0);
        assertThat(recallAt(p, y, 1.0)).isEqualTo(0.25);
        assertThat(recallAt(p, y, Double.NaN)).isNaN();
    }

    @Test
    void tiedScoresAreFlaggedTogether() {
        double[] p = {0.9, 0.9, 0.1};
        int[] y = {1, 0, 1};
        // a threshold cannot flag only the first 0.9: precision 1 is out of reach
        assertThat(recallAt(p, y, 1.0)).isEqualTo(0.0);
        assertThat(recallAt(p, y, 0.7)).isEqualTo(0.0);
        assertThat(recallAt(p, y, 0.5)).isEqualTo(1.0); // all three: P 2/3
    }

    @Test
    void theChampionsRecallAtItsOwnPrecisionIsAtLeastItsRecallAtItsThreshold() {
        double[] p = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
        int[] y = {1, 0, 1, 1, 0, 1};
        WindowMetrics m = WindowMetrics.ofChampion("c", p, y, 0.85, Double.NaN);
        assertThat(m.precision()).isEqualTo(1.0);
        assertThat(m.recall()).isEqualTo(0.25);
        assertThat(m.recallAtChampionPrecision()).isEqualTo(0.25);
        assertThat(m.frauds()).isEqualTo(4);
    }
}
