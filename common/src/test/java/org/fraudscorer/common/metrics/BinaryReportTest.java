package org.fraudscorer.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BinaryReportTest {

    @Test
    void collectsThresholdAndRankingMetrics() {
        // The 8-row case of ConfusionMatrixTest at threshold 0.35.
        // ROC-AUC: fraud@0.9 and @0.8 beat all 4 legit, fraud@0.6 beats 0.4/0.2/0.1 (3),
        //   fraud@0.3 beats 0.2/0.1 (2): 13 of 16 pairs.
        // AP: new fraud at t=0.9 (R 1/4, P 1), 0.8 (2/4, 1), 0.6 (3/4, 3/4), 0.3 (4/4, 4/6):
        //   AP = 1/4 * (1 + 1 + 3/4 + 2/3) = 41/48.
        BinaryReport report = BinaryReport.of(ConfusionMatrixTest.SCORES, ConfusionMatrixTest.LABELS, null, 0.35);

        assertThat(report.matrix()).isEqualTo(new ConfusionMatrix(3, 2, 2, 1));
        assertThat(report.threshold()).isEqualTo(0.35);
        assertThat(report.accuracy()).isEqualTo(5.0 / 8);
        assertThat(report.precision()).isEqualTo(3.0 / 5);
        assertThat(report.recall()).isEqualTo(3.0 / 4);
        assertThat(report.f1()).isCloseTo(2.0 / 3, within(1e-15));
        assertThat(report.rocAuc()).isEqualTo(13.0 / 16);
        assertThat(report.prAuc()).isCloseTo(41.0 / 48, within(1e-15));
    }
}
