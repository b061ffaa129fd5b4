package org.fraudscorer.scorer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * One memory of decisions for both readers of a label: {@link ScorerMetrics#labelled} takes the payment's decision
 * once and gives it to the precision/recall window and, when a challenger scored the payment too, to shadow
 * scoring's live figures.
 */
class LabelledDecisionsTest {

    private static double count(MeterRegistry r, String name, String tag, String value) {
        return r.get(name).tag(tag, value).counter().count();
    }

    private static double shadowOutcome(MeterRegistry r, String model, String outcome) {
        return r.get("fraud.shadow.labelled").tag("model", model).tag("outcome", outcome).counter().count();
    }

    @Test
    void aLabelFeedsTheWindowAndTheShadowFiguresFromOneDecision() {
        MeterRegistry r = new SimpleMeterRegistry();
        ScorerMetrics metrics = new ScorerMetrics(r, new ModelMonitoring.Windows(10, 1, 10, 100));
        metrics.serving(ModelMonitoringTest.raw("champion"));
        ModelMonitoring mon = metrics.monitoring();

        // Given payment 1 decided by the champion alone (flagged), then a challenger held, and payments 2 and 3
        // shadow-scored: 2 flagged by the challenger only, 3 by both
        mon.decided(1, true);
        metrics.shadow().challenger(null, ModelMonitoringTest.raw("challenger"));
        mon.decided(2, false, ShadowMetrics.decisions(false, true));
        mon.decided(3, true, ShadowMetrics.decisions(true, true));

        // When their labels arrive (1 and 2 fraud, 3 genuine), and one for a payment never decided
        metrics.labelled(1, true);
        metrics.labelled(2, true);
        metrics.labelled(3, false);
        metrics.labelled(99, true);

        // Then the window counts all three: TP 1, FN 2, FP 3
        assertThat(r.get("fraud.monitor.precision").gauge().value()).isEqualTo(1.0 / 2);
        assertThat(r.get("fraud.monitor.recall").gauge().value()).isEqualTo(1.0 / 2);
        assertThat(count(r, "fraud.monitor.labels", "decision", "known")).isEqualTo(3);
        assertThat(count(r, "fraud.monitor.labels", "decision", "unknown")).isEqualTo(1);
        // and shadow scoring only the two shadow-scored payments, each model by its own decision
        assertThat(count(r, "fraud.shadow.labels", "matched", "true")).isEqualTo(2);
        assertThat(shadowOutcome(r, "champion", "false_negative")).isEqualTo(1); // 2
        assertThat(shadowOutcome(r, "champion", "false_positive")).isEqualTo(1); // 3
        assertThat(shadowOutcome(r, "champion", "true_positive")).isZero(); // 1 was not shadow-scored
        assertThat(shadowOutcome(r, "challenger", "true_positive")).isEqualTo(1); // 2
        assertThat(shadowOutcome(r, "challenger", "false_positive")).isEqualTo(1); // 3
        // and the unknown one, arriving while a challenger is held, as unmatched
        assertThat(count(r, "fraud.shadow.labels", "matched", "false")).isEqualTo(1);

        // When the challenger is demoted, a repeated label (its decision was used) is unknown to the window only
        metrics.shadow().challenger(ModelMonitoringTest.raw("challenger"), null);
        metrics.labelled(2, true);
        assertThat(count(r, "fraud.monitor.labels", "decision", "unknown")).isEqualTo(2);
        assertThat(count(r, "fraud.shadow.labels", "matched", "false")).isEqualTo(1);
    }

    @Test
    void theDecisionPairSurvivesTheMemoryForEveryCombination() {
        for (int pair = 0; pair < 4; pair++) {
            for (boolean flagged : new boolean[] {false, true}) {
                ModelMonitoring mon = new ModelMonitoring(new SimpleMeterRegistry(),
                        new ModelMonitoring.Windows(10, 1, 10, 10));
                mon.serving(ModelMonitoringTest.raw("v"));
                mon.decided(7, flagged, pair);
                mon.decided(8, flagged);
                assertThat(mon.labelled(7, true)).isEqualTo(pair);
                assertThat(mon.labelled(8, true)).isEqualTo(ModelMonitoring.NOT_SHADOWED);
                assertThat(mon.labelled(7, true)).isEqualTo(DecisionLog.UNKNOWN);
            }
        }
    }
}
