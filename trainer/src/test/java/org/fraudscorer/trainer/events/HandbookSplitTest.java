package org.fraudscorer.trainer.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.fraudscorer.trainer.data.RawEvents;
import org.junit.jupiter.api.Test;

class HandbookSplitTest {

    @Test
    void testDaysLeaveOutCardsWhoseFraudsAreKnownByThen() {
        LocalDate start = LocalDate.of(2018, 7, 25);
        long s = start.toEpochDay() * 86_400 + 12 * 3_600; // noon of each day
        long d = 86_400;
        // train days S, S+1; gap S+2 (delay 1); test days S+3..S+5
        long[] day = {-1, 0, 1, 2, 3, 3, 3, 4, 4, 5, 5, 6};
        long[] card = {9, 1, 2, 3, 2, 3, 4, 3, 4, 4, 9, 5};
        byte[] fraud = {1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0};
        long[] ids = new long[day.length];
        long[] times = new long[day.length];
        for (int i = 0; i < day.length; i++) {
            ids[i] = i;
            times[i] = s + day[i] * d;
        }
        RawEvents e = new RawEvents("hand-made", ids, times, card, new long[day.length], new double[day.length], fraud);

        HandbookSplit split = HandbookSplit.of(e, start, 2, 1, 3);

        assertThat(split.train()).containsExactly(1, 2);
        // 4: card 2 defrauded in training; 5: card 3's gap-day fraud becomes known only from test day 1 (7 left out);
        // 6, 8: card 4's fraud on test day 0 is known from test day 2 (9 left out); 10: card 9's fraud predates training
        assertThat(split.test()).containsExactly(5, 6, 8, 10);
    }
}
