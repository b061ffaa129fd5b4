package org.fraudscorer.trainer.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CardPrecisionTest {
    private static final long A = 1, B = 2, C = 3, D = 4, E = 5;

    @Test
    void perDayTopKOfCardsByMaxScoreWithDetectedCardsRemovedLater() {
        long[] days = {1, 1, 1, 1, 1, 2, 2, 2, 3, 3};
        long[] cards = {A, A, B, C, D, A, C, B, C, E};
        double[] scores = {.9, .1, .8, .7, .95, .99, .5, .6, .9, .1};
        int[] labels = {1, 0, 0, 1, 0, 1, 1, 0, 1, 0};
        // day 1: cards by max score D .95 (0), A .9 (1), B, C → top 2 hold one fraud card: 1/2; A detected
        // day 2: A removed; B .6 (0), C .5 (1) → 1/2; C detected
        // day 3: C removed; E alone → 0/2 (precision divides by k, not by the cards left)
        assertThat(CardPrecision.meanTopK(days, cards, scores, labels, 2)).isCloseTo(1.0 / 3, within(1e-12));
        // k = 1: day 1 D (0) → 0; day 2 A .99 (1) → 1, A detected; day 3 C .9 (1) → 1
        assertThat(CardPrecision.meanTopK(days, cards, scores, labels, 1)).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void aCardCountsOnceWhateverItsNumberOfPayments() {
        long[] days = {0, 0, 0};
        long[] cards = {A, A, B};
        double[] scores = {.9, .8, .7};
        int[] labels = {1, 1, 1};
        assertThat(CardPrecision.meanTopK(days, cards, scores, labels, 2)).isEqualTo(1.0);
        assertThat(CardPrecision.meanTopK(days, cards, scores, labels, 4)).isEqualTo(0.5);
    }
}
