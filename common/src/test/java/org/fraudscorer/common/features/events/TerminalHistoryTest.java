package org.fraudscorer.common.features.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TerminalHistoryTest {
    private static final long D = 86_400;
    private static final long T0 = 1_522_627_200L;

    private static double[] observe(TerminalHistory h, long t, long id) {
        double[] out = new double[6];
        h.observe(t, id, out, 0);
        return out;
    }

    /** p1 fraud at day 0, p2 genuine at day 1, p3 fraud at day 2, labels delivered. */
    private static TerminalHistory threePayments() {
        TerminalHistory h = new TerminalHistory(7);
        assertThat(observe(h, T0, 1)).containsExactly(0, 0, 0, 0, 0, 0);
        observe(h, T0 + D, 2);
        observe(h, T0 + 2 * D, 3);
        assertThat(h.label(T0, 1, true)).isTrue();
        assertThat(h.label(T0 + D, 2, false)).isTrue();
        assertThat(h.label(T0 + 2 * D, 3, true)).isTrue();
        return h;
    }

    @Test
    void windowsEndDelayDaysBeforeThePaymentClosedOnTheRight() {
        TerminalHistory h = threePayments();
        // t = day 8: 1-day window (day 0, day 1] holds p2 only; 7 and 30 days hold p1 and p2; p3 is too recent
        assertThat(observe(h, T0 + 8 * D, 10)).containsExactly(1, 0, 2, 0.5, 2, 0.5);
        // t = day 9: (day 1, day 2] holds p3
        assertThat(observe(h, T0 + 9 * D, 11)).containsExactly(new double[] {1, 1, 3, 2.0 / 3, 3, 2.0 / 3},
                within(1e-15));
    }

    @Test
    void aPaymentOneSecondYoungerThanTheDelayIsNotCounted() {
        TerminalHistory h = threePayments();
        assertThat(observe(h, T0 + 7 * D - 1, 10)).containsExactly(0, 0, 0, 0, 0, 0);
        assertThat(observe(h, T0 + 7 * D, 11)).containsExactly(1, 1, 1, 1, 1, 1);
    }

    @Test
    void thirtyDayWindowDropsPaymentsExactlyThirtySevenDaysOld() {
        TerminalHistory h = threePayments();
        assertThat(observe(h, T0 + 37 * D - 1, 10)).containsExactly(0, 0, 0, 0, 3, 2.0 / 3);
        assertThat(observe(h, T0 + 37 * D, 11)).containsExactly(0, 0, 0, 0, 2, 0.5);
        assertThat(h.label(T0, 1, true)).as("out of every window, still held a day").isTrue();
        observe(h, T0 + 38 * D, 12);
        assertThat(h.label(T0, 1, false)).as("pruned past the grace").isFalse();
    }

    /**
     * A payment that reaches the terminal up to a day after a later one (another card's partition, a clock ahead)
     * still finds every earlier payment its windows cover: the later one did not prune them at its own edge.
     */
    @Test
    void aPaymentArrivingAfterALaterOneGetsTheFeaturesOfTimeOrder() {
        TerminalHistory inOrder = threePayments();
        TerminalHistory late = threePayments();
        long b = T0 + 37 * D - 2; // its 30-day window (t − 37 days, t − 7 days] holds p1 at T0
        observe(late, T0 + 37 * D + 5, 20); // a later payment arrives first
        assertThat(observe(late, b, 21)).containsExactly(observe(inOrder, b, 21)).containsExactly(0, 0, 0, 0, 3,
                2.0 / 3);
    }

    @Test
    void aMissingLabelCountsAsGenuine() {
        TerminalHistory h = new TerminalHistory(7);
        observe(h, T0, 1);
        observe(h, T0, 2);
        assertThat(h.label(T0, 2, true)).isTrue();
        assertThat(h.label(T0, 3, true)).as("unknown id").isFalse();
        assertThat(observe(h, T0 + 7 * D, 3)).containsExactly(2, 0.5, 2, 0.5, 2, 0.5);
    }

    @Test
    void zeroDelayUsesEarlierPaymentsOfTheSameSecond() {
        TerminalHistory h = new TerminalHistory(0);
        observe(h, T0, 1);
        h.label(T0, 1, true);
        assertThat(observe(h, T0, 2)).containsExactly(1, 1, 1, 1, 1, 1);
    }

    @Test
    void bytesRoundTripKeepsLabelsAndWindows() {
        TerminalHistory a = threePayments();
        observe(a, T0 + 3 * D, 4); // label unknown
        TerminalHistory b = TerminalHistory.fromBytes(a.toBytes());
        assertThat(b.delayDays()).isEqualTo(7);
        assertThat(b.toBytes()).isEqualTo(a.toBytes()).hasSize(17 + 13 * 4);
        assertThat(observe(b, T0 + 10 * D, 5)).containsExactly(observe(a, T0 + 10 * D, 5));
        assertThat(observe(b, T0 + 10 * D, 6)).containsExactly(1, 0, 4, 0.5, 4, 0.5);
        byte[] bad = a.toBytes();
        bad[bad.length - 1] = 5;
        assertThatThrownBy(() -> TerminalHistory.fromBytes(bad)).hasMessageContaining("label");
        assertThatThrownBy(() -> TerminalHistory.fromBytes(new byte[3])).isInstanceOf(IllegalArgumentException.class);
    }

    /** The history as a store keeps it: one record per day. */
    private static java.util.List<byte[]> byDay(TerminalHistory h) {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        for (long d : h.days()) {
            out.add(h.dayBytes(d));
        }
        return out;
    }

    @Test
    void dayRecordsHoldEachDaysPaymentsAndPutTheHistoryBackTogether() {
        TerminalHistory a = threePayments();
        observe(a, T0 + D + 5, 4); // a second payment on day 1, label unknown
        assertThat(a.days()).containsExactly(T0 / D, T0 / D + 1, T0 / D + 2);
        java.util.List<byte[]> days = byDay(a);
        assertThat(days).extracting(r -> r.length).containsExactly(17 + 13, 17 + 2 * 13, 17 + 13);
        TerminalHistory b = TerminalHistory.fromDays(days);
        assertThat(b.toBytes()).isEqualTo(a.toBytes());
        assertThat(observe(b, T0 + 9 * D, 5)).containsExactly(observe(a, T0 + 9 * D, 5));
        assertThat(TerminalHistory.fromDays(java.util.List.of())).isNull();
        assertThat(a.dayBytes(T0 / D + 20)).as("a day without payments").hasSize(17);
    }

    @Test
    void dayRecordsStillHoldingPaymentsTheHistoryDroppedSinceAreReadWithoutThem() {
        TerminalHistory a = threePayments();
        java.util.List<byte[]> stale = byDay(a); // days 0, 1 and 2 as written then
        observe(a, T0 + 38 * D, 9); // drops day 0 (and the day-1 payment) from the history: 37 days + 1
        java.util.List<byte[]> now = new java.util.ArrayList<>(stale); // the store rewrote only day 38
        now.add(a.dayBytes(T0 / D + 38));
        TerminalHistory b = TerminalHistory.fromDays(now);
        assertThat(b.toBytes()).isEqualTo(a.toBytes());
        assertThat(b.label(T0, 1, false)).as("dropped: no longer labelled").isFalse();
    }

    @Test
    void aDayCanBeHeldInSeveralRecordsOfConsecutivePaymentsAndChangesAreReportedAsARange() {
        TerminalHistory a = new TerminalHistory(7);
        for (int i = 0; i < 5; i++) {
            observe(a, T0 + 10 * i, i + 1);
        }
        assertThat(a.changedFrom()).isZero();
        assertThat(a.changedTo()).isEqualTo(5);
        a.clearChanged();
        long day = T0 / D;
        assertThat(a.firstOf(day)).isZero();
        assertThat(a.endOf(day)).isEqualTo(5);
        java.util.List<byte[]> split = java.util.List.of(a.dayRecord(day, 0, 2), a.dayRecord(day, 2, 5));
        assertThat(TerminalHistory.fromDays(split).toBytes()).isEqualTo(a.toBytes());
        assertThatThrownBy(() -> TerminalHistory.fromDays(java.util.List.of(split.get(1), split.get(0))))
                .as("one day's records in the wrong order").hasMessageContaining("out of order");
        assertThatThrownBy(() -> a.dayRecord(day + 1, 0, 2)).hasMessageContaining("not all of day");

        assertThat(a.label(T0 + 30, 4, true)).isTrue(); // a label changes its payment only
        assertThat(a.changedFrom()).isEqualTo(3);
        assertThat(a.changedTo()).isEqualTo(4);
        observe(a, T0 + 15, 6); // an insert moves every later payment
        assertThat(a.changedFrom()).isEqualTo(2);
        assertThat(a.changedTo()).isEqualTo(6);
        assertThat(a.dropped(day)).isFalse();
        observe(a, T0 + 37 * D + 12, 7); // the window starts after the second payment, but a day's grace keeps them
        assertThat(a.dropped(day)).isFalse();
        observe(a, T0 + 38 * D + 12, 8); // past the grace too: two dropped
        assertThat(a.dropped(day)).isTrue();
        assertThat(a.dropped(day + 1)).isFalse();
        assertThat(a.changedFrom()).isZero();
        assertThat(a.changedTo()).isEqualTo(6);
    }

    @Test
    void aDamagedOrInconsistentDayRecordIsRefused() {
        TerminalHistory a = threePayments();
        java.util.List<byte[]> days = byDay(a);
        assertThatThrownBy(() -> TerminalHistory.fromDays(java.util.List.of(days.get(1), days.get(0))))
                .hasMessageContaining("out of order");
        assertThatThrownBy(() -> TerminalHistory.fromDays(java.util.List.of(days.get(0), new TerminalHistory(3)
                .dayBytes(T0 / D + 1)))).hasMessageContaining("disagree on the label delay");
        byte[] label = days.get(0).clone();
        label[label.length - 1] = 4;
        assertThatThrownBy(() -> TerminalHistory.fromDays(java.util.List.of(label))).hasMessageContaining("label 4");
        byte[] shortened = java.util.Arrays.copyOf(days.get(0), 20);
        assertThatThrownBy(() -> TerminalHistory.fromDays(java.util.List.of(shortened))).hasMessageContaining("bytes");
        assertThatThrownBy(() -> TerminalHistory.fromDays(java.util.List.of(a.toBytes())))
                .hasMessageContaining("not a terminal day record");
        byte[] outside = days.get(0).clone();
        java.nio.ByteBuffer.wrap(outside).putInt(17, (int) D); // one second past its day
        assertThatThrownBy(() -> TerminalHistory.fromDays(java.util.List.of(outside))).hasMessageContaining("outside");
    }

    /** A terminal's history keeps the label delay plus 30 days and a day before its newest payment. */
    @org.junit.jupiter.api.Test
    void aPaymentIsTooLateForATerminalOnceItsWindowsAreNoLongerHeld() {
        TerminalHistory h = new TerminalHistory(7);
        long day = HandbookFeatures.DAY;
        org.assertj.core.api.Assertions.assertThat(h.keptSeconds()).isEqualTo(38 * day);
        org.assertj.core.api.Assertions.assertThat(h.tooLate(0)).isFalse();
        h.observe(100 * day, 1, new double[6], 0);
        org.assertj.core.api.Assertions.assertThat(h.tooLate(62 * day)).isTrue();
        org.assertj.core.api.Assertions.assertThat(h.tooLate(62 * day + 1)).isFalse();
    }
}
