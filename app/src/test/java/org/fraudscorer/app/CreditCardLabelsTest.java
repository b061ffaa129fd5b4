package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fraudscorer.trainer.data.Dataset;
import org.junit.jupiter.api.Test;

/**
 * A creditcard retrain from the topics learns from the labelled events only; labels that are all frauds (the console's
 * verdicts on reviewed alerts) are refused before training with where genuine labels come from.
 */
class CreditCardLabelsTest {

    private static Dataset rows(int frauds, int genuine) {
        int n = frauds + genuine;
        double[] inputs = new double[n * Dataset.INPUT_COUNT];
        int[] labels = new int[n];
        for (int i = 0; i < frauds; i++) {
            labels[i] = 1;
        }
        return Dataset.of("topics", inputs, labels);
    }

    @Test
    void labelsThatAreNearlyAllFraudsAreRefusedSayingWhereGenuineOnesComeFrom() {
        assertThatThrownBy(() -> CreditCardApp.requireGenuineLabels(rows(118, 1), "transactions.labels"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the labelled events hold 118 frauds and 1 genuine payment: a model learns "
                        + "from both, and is judged on at least 5 of each.")
                .hasMessageContaining("send transactions.labels genuine labels too")
                .hasMessageContaining("'./fraud produce --data FILE --with-labels --input-topic transactions.labels'")
                .hasMessageEndingWith("or retrain from an archive (--data)");
        assertThatThrownBy(() -> CreditCardApp.requireGenuineLabels(rows(71, 0), "ops.labels"))
                .hasMessageStartingWith("the labelled events hold 71 frauds and 0 genuine payments");
    }

    @Test
    void enoughGenuineLabelsPass() {
        assertThatCode(() -> CreditCardApp.requireGenuineLabels(rows(118, 5), "transactions.labels"))
                .doesNotThrowAnyException();
        assertThat(rows(118, 5).positives()).isEqualTo(118);
    }
}
