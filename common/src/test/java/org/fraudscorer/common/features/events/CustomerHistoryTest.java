package org.fraudscorer.common.features.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CustomerHistoryTest {
    private static final long D = 86_400;
    private static final long H = 3_600;
    private static final long T0 = 1_522_627_200L; // 2018-04-02T00:00 (a Monday)

    private static double[] observe(CustomerHistory h, long t, double amount) {
        double[] out = new double[6];
        h.observe(t, amount, out, 0);
        return out;
    }

    @Test
    void windowsIncludeTheCurrentPaymentAndExcludeExactlyWDaysAgo() {
        CustomerHistory h = new CustomerHistory();
        assertThat(observe(h, T0, 10)).containsExactly(1, 10, 1, 10, 1, 10);
        assertThat(observe(h, T0 + 12 * H, 20)).containsExactly(2, 15, 2, 15, 2, 15);
        // exactly 24 h after the first: (t − 1 day, t] leaves it out
        assertThat(observe(h, T0 + D, 30)).containsExactly(2, 25, 3, 20, 3, 20);
        // 7 days after the second: (t − 7 days, t] leaves the second out too
        assertThat(observe(h, T0 + 7 * D + 12 * H, 40)).containsExactly(1, 40, 2, 35, 4, 25);
        // 30 days after the second: only the third, the fourth and this one are within 30 days
        assertThat(observe(h, T0 + 30 * D + 12 * H, 50)).containsExactly(1, 50, 1, 50, 3, 40);
        assertThat(h.size()).as("kept a day past the window (a late payment may still need them)").isEqualTo(5);
        assertThat(observe(h, T0 + 31 * D + 12 * H, 60)).containsExactly(1, 60, 2, 55, 3, 50);
        assertThat(h.size()).as("the first two are pruned: more than 30 days and a day's grace old").isEqualTo(4);
        // same second as the fifth (now out of order): both count, and the sixth, a day later, does not
        assertThat(observe(h, T0 + 30 * D + 12 * H, 10)).containsExactly(2, 30, 2, 30, 4, 32.5);
    }

    @Test
    void oneSecondInsideTheWindowCounts() {
        CustomerHistory h = new CustomerHistory();
        observe(h, T0, 100);
        assertThat(observe(h, T0 + D - 1, 50)).containsExactly(2, 75, 2, 75, 2, 75);
        assertThat(observe(h, T0 + 30 * D - 1, 0)[4]).isEqualTo(3);
        assertThat(observe(h, T0 + 30 * D, 0)[4]).as("the first is exactly 30 days old").isEqualTo(3);
    }

    @Test
    void outOfOrderPaymentCountsOnlyEarlierOnes() {
        CustomerHistory h = new CustomerHistory();
        observe(h, T0, 10);
        observe(h, T0 + 2 * D, 30);
        assertThat(observe(h, T0 + D, 20)).containsExactly(1, 20, 2, 15, 2, 15);
        assertThat(observe(h, T0 + 2 * D + 1, 40)).containsExactly(2, 35, 4, 25, 4, 25);
    }

    @Test
    void bytesRoundTripKeepsTheWindows() {
        CustomerHistory a = new CustomerHistory();
        for (int i = 0; i < 50; i++) {
            observe(a, T0 + i * 13 * H, i * 1.25);
        }
        CustomerHistory b = CustomerHistory.fromBytes(a.toBytes());
        assertThat(b.size()).isEqualTo(a.size());
        assertThat(b.toBytes()).isEqualTo(a.toBytes());
        assertThat(a.toBytes()).hasSize(13 + 12 * a.size());
        long t = T0 + 50 * 13 * H;
        assertThat(observe(b, t, 7)).containsExactly(observe(a, t, 7), within(0.0));
        assertThat(CustomerHistory.fromBytes(new CustomerHistory().toBytes()).size()).isZero();
    }

    /** The sweep's shortcut reads the newest time from the header and the last entry, wherever the bytes sit. */
    @Test
    void newestTimeFromBytesIsTheDecodedHistorysAtAnyOffset() {
        java.util.Random rnd = new java.util.Random(7);
        for (int trial = 0; trial < 200; trial++) {
            CustomerHistory h = new CustomerHistory();
            int n = rnd.nextInt(40);
            long t = T0;
            for (int i = 0; i < n; i++) {
                t += rnd.nextInt((int) D);
                observe(h, rnd.nextInt(5) == 0 ? t - rnd.nextInt((int) H) : t, 1 + rnd.nextInt(500));
            }
            byte[] bytes = h.toBytes();
            int pad = rnd.nextInt(9);
            byte[] inside = new byte[pad + bytes.length + rnd.nextInt(9)];
            System.arraycopy(bytes, 0, inside, pad, bytes.length);
            long expected = CustomerHistory.fromBytes(bytes).newestTime();
            assertThat(CustomerHistory.newestTime(bytes, 0, bytes.length)).isEqualTo(expected);
            assertThat(CustomerHistory.newestTime(inside, pad, bytes.length)).isEqualTo(expected);
            assertThat(CustomerHistory.fromBytes(inside, pad, bytes.length).toBytes()).isEqualTo(bytes);
        }
        assertThat(CustomerHistory.newestTime(new CustomerHistory().toBytes(), 0, 5)).isEqualTo(Long.MIN_VALUE);
        CustomerHistory one = new CustomerHistory();
        observe(one, T0, 1);
        byte[] b = one.toBytes();
        assertThatThrownBy(() -> CustomerHistory.newestTime(b, 0, b.length - 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 25 bytes, got 24");
        assertThatThrownBy(() -> CustomerHistory.newestTime(b, 1, b.length))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a customer history");
        assertThatThrownBy(() -> CustomerHistory.newestTime(new byte[] {1, 0, 0}, 0, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a customer history");
    }

    @Test
    void corruptBytesAreRefused() {
        CustomerHistory a = new CustomerHistory();
        observe(a, T0, 1);
        observe(a, T0 + 1, 2);
        byte[] bytes = a.toBytes();
        assertThatThrownBy(() -> CustomerHistory.fromBytes(java.util.Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs");
        byte[] wrongFormat = bytes.clone();
        wrongFormat[0] = 9;
        assertThatThrownBy(() -> CustomerHistory.fromBytes(wrongFormat)).isInstanceOf(IllegalArgumentException.class);
        byte[] negativeAmount = bytes.clone();
        negativeAmount[17] = (byte) 0xBF; // sign bit of the first amount
        assertThatThrownBy(() -> CustomerHistory.fromBytes(negativeAmount)).hasMessageContaining("amount");
    }

    /** A payment is too late for a card's history once observe would drop it at once: 31 days before its newest. */
    @org.junit.jupiter.api.Test
    void aPaymentIsTooLateExactlyWhenObserveWouldDropItAtOnce() {
        CustomerHistory h = new CustomerHistory();
        long day = HandbookFeatures.DAY;
        org.assertj.core.api.Assertions.assertThat(h.tooLate(0)).as("an empty history takes anything").isFalse();
        double[] out = new double[6];
        h.observe(100 * day, 10, out, 0);
        org.assertj.core.api.Assertions.assertThat(h.tooLate(100 * day - CustomerHistory.KEPT_SECONDS)).isTrue();
        long justKept = 100 * day - CustomerHistory.KEPT_SECONDS + 1;
        org.assertj.core.api.Assertions.assertThat(h.tooLate(justKept)).isFalse();
        h.observe(justKept, 5, out, 0);
        org.assertj.core.api.Assertions.assertThat(out[0]).as("held, so it counts itself").isEqualTo(1);
    }
}
