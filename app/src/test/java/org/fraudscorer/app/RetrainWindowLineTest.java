package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.fraudscorer.trainer.retrain.WindowMetrics;
import org.junit.jupiter.api.Test;

/** The window line {@code retrain} prints for each model (operations.md, "The gate"). */
class RetrainWindowLineTest {
    @Test
    void shouldGiveTheRecallAtTheChampionsPrecisionWhenThereIsOne() {
        WindowMetrics m = new WindowMetrics("v1", 1569, 221, 0.934, 0.9715, Double.NaN, 0.36, 0.989, 0.828, 0.86,
                0.1179);
        assertThat(RetrainCommand.line(m)).isEqualTo("v1: 1,569 events, 221 frauds; AP 0.9340, AUC 0.9715, "
                + "precision 0.989, recall 0.828, flags 11.79% at its threshold, recall 0.860 at the champion's "
                + "precision");
    }

    @Test
    void shouldLeaveItOutWithoutAChampionInsteadOfPrintingNaN() {
        // Given no champion on the topic (a first retrain): no champion's precision to take the recall at
        WindowMetrics m = new WindowMetrics("v1", 63643, 416, 0.1953, 0.6107, 0.1486, 0.3, 0.22, 0.375,
                Double.NaN, 0.0111);
        assertThat(RetrainCommand.line(m)).isEqualTo("v1: 63,643 events, 416 frauds; AP 0.1953, AUC 0.6107, "
                + "CP@100 0.1486, precision 0.220, recall 0.375, flags 1.11% at its threshold");
    }
}
