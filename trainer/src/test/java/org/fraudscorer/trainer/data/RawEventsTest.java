package org.fraudscorer.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RawEventsTest {
    private static final RawEvents EVENTS = new RawEvents("five", new long[] {10, 11, 12, 13, 14},
            new long[] {100, 200, 300, 400, 500}, new long[] {1, 2, 1, 3, 2}, new long[] {7, 7, 8, 8, 9},
            new double[] {1.5, 2.5, 3.5, 4.5, 5.5}, new byte[] {0, 1, 0, 0, 1});

    @Test
    void betweenKeepsTheEventsOfAHalfOpenTimeRangeInFileOrderWithTheirLabels() {
        RawEvents mid = EVENTS.between(200, 500, "mid");
        assertThat(mid.size()).isEqualTo(3);
        assertThat(mid.source()).isEqualTo("mid");
        for (int k = 0; k < 3; k++) {
            assertThat(mid.id(k)).isEqualTo(11 + k);
            assertThat(mid.time(k)).isEqualTo(200 + 100L * k);
            assertThat(mid.customer(k)).isEqualTo(EVENTS.customer(k + 1));
            assertThat(mid.terminal(k)).isEqualTo(EVENTS.terminal(k + 1));
            assertThat(mid.amount(k)).isEqualTo(EVENTS.amount(k + 1));
            assertThat(mid.label(k)).isEqualTo(EVENTS.label(k + 1));
        }
        assertThat(EVENTS.between(600, Long.MAX_VALUE, "none").size()).isZero();
    }

    @Test
    void firstOfEachIdDropsTheRowsThatRepeatAnEarlierId() {
        RawEvents repeated = new RawEvents("repeats", new long[] {10, 11, 10, 12, 11, 10}, new long[] {1, 2, 3, 4, 5, 6},
                new long[] {1, 1, 2, 1, 1, 1}, new long[] {7, 7, 7, 7, 7, 7}, new double[] {1, 2, 3, 4, 5, 6},
                new byte[] {0, 1, 1, 0, 0, 0});
        RawEvents once = repeated.firstOfEachId("once");
        assertThat(once.size()).isEqualTo(3);
        assertThat(new long[] {once.id(0), once.id(1), once.id(2)}).containsExactly(10, 11, 12);
        assertThat(new double[] {once.amount(0), once.amount(1), once.amount(2)}).containsExactly(1, 2, 4);
        assertThat(new int[] {once.label(0), once.label(1), once.label(2)}).containsExactly(0, 1, 0);
        assertThat(EVENTS.firstOfEachId("same")).isSameAs(EVENTS);
    }

    @Test
    void withoutLabelsKeepsTheEventsAndDropsOnlyTheLabels() {
        RawEvents bare = EVENTS.withoutLabels();
        assertThat(bare.hasLabels()).isFalse();
        assertThat(bare.size()).isEqualTo(5);
        assertThat(bare.amount(4)).isEqualTo(5.5);
        assertThat(bare.withoutLabels()).isSameAs(bare);
        assertThat(EVENTS.hasLabels()).isTrue();
    }
}
