package org.fraudscorer.trainer.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.trainer.data.RawEvents;
import org.junit.jupiter.api.Test;

class FeatureReplayTest {
    private static final long D = 86_400;
    private static final long T0 = 1_522_540_800L; // 2018-04-01T00:00, a Sunday

    private static double[] row(double[] x, int i) {
        return Arrays.copyOfRange(x, i * 15, i * 15 + 15);
    }

    private static double[] v2Row(double[] x, int i) {
        return Arrays.copyOfRange(x, i * 17, i * 17 + 17);
    }

    @Test
    void labelsArriveExactlyDelayDaysAfterTheirPayment() {
        // terminal 5: a fraud on day 0 at 10:00; card 2 pays there on day 7 at 09:59:59, 10:00:00 and day 8 at 10:00
        RawEvents e = new RawEvents("hand-made",
                new long[] {1, 2, 3, 4},
                new long[] {T0 + 10 * 3600, T0 + 7 * D + 10 * 3600 - 1, T0 + 7 * D + 10 * 3600, T0 + 8 * D + 10 * 3600},
                new long[] {1, 2, 2, 2},
                new long[] {5, 5, 5, 5},
                new double[] {300, 10, 20, 60},
                new byte[] {1, 0, 0, 0});
        double[] x = FeatureReplay.replay(e, 7, HandbookFeatures.Version.V1);
        // day 0, Sunday 10:00: no history
        assertThat(row(x, 0)).containsExactly(300, 1, 0, 1, 300, 1, 300, 1, 300, 0, 0, 0, 0, 0, 0);
        // one second before the fraud is 7 days old: not yet usable
        assertThat(row(x, 1)).containsExactly(10, 1, 0, 1, 10, 1, 10, 1, 10, 0, 0, 0, 0, 0, 0);
        // exactly 7 days: the fraud is in (t − 8 d, t − 7 d]
        assertThat(row(x, 2)).containsExactly(20, 1, 0, 2, 15, 2, 15, 2, 15, 1, 1, 1, 1, 1, 1);
        // day 8, Monday 10:00: the fraud is exactly 8 days old, so out of the 1-day window (day 0 10:00, day 1 10:00]
        // but in the 7- and 30-day ones; the two day-7 payments are only a day old: not in any terminal window
        assertThat(row(x, 3)).containsExactly(60, 0, 0, 1, 60, 3, 30, 3, 30, 0, 0, 1, 1, 1, 1);
    }

    @Test
    void aLabelNotKnownCountsAsGenuineAsWhenItNeverArrivesInTheScorer() {
        long[] ids = {1, 2, 3};
        long[] times = {T0 + 10 * 3600, T0 + 7 * D + 10 * 3600, T0 + 8 * D + 10 * 3600};
        long[] cards = {1, 2, 2};
        long[] terminals = {5, 5, 5};
        double[] amounts = {300, 10, 20};
        double[] unknown = FeatureReplay.replay(new RawEvents("u", ids, times, cards, terminals, amounts,
                new byte[] {RawEvents.UNKNOWN, 0, 0}), 7, HandbookFeatures.Version.V1);
        double[] genuine = FeatureReplay.replay(new RawEvents("g", ids, times, cards, terminals, amounts,
                new byte[] {0, 0, 0}), 7, HandbookFeatures.Version.V1);
        double[] fraud = FeatureReplay.replay(new RawEvents("f", ids, times, cards, terminals, amounts,
                new byte[] {1, 0, 0}), 7, HandbookFeatures.Version.V1);
        double[] none = FeatureReplay.replay(new RawEvents("n", ids, times, cards, terminals, amounts, null), 7,
                HandbookFeatures.Version.V1);
        assertThat(unknown).containsExactly(genuine).containsExactly(none);
        assertThat(row(unknown, 1)).as("counted, not a fraud").containsExactly(10, 1, 0, 1, 10, 1, 10, 1, 10,
                1, 0, 1, 0, 1, 0);
        assertThat(row(fraud, 1)[10]).isEqualTo(1);
    }

    @Test
    void replayInFileOrderEqualsTheSlowDefinitionOnRandomEvents() {
        RawEvents e = randomEvents(600, 20, 6, 40, 7);
        double[] x = FeatureReplay.replay(e, 7, HandbookFeatures.Version.V1);
        for (int i = 0; i < e.size(); i++) {
            assertThat(row(x, i)).as("row %d", i).containsExactly(ReferenceFeatures.row(e, i, 7), within(1e-9));
        }
        double[] v2 = FeatureReplay.replay(e, 7);
        for (int i = 0; i < e.size(); i++) {
            double[] r = v2Row(v2, i);
            assertThat(Arrays.copyOf(r, 15)).as("v2 row %d: the 15", i).containsExactly(row(x, i));
            assertThat(Arrays.copyOfRange(r, 15, 17)).as("v2 row %d: the profile", i)
                    .containsExactly(ReferenceFeatures.profile(e, i), within(1e-9));
        }
        double[] zeroDelay = FeatureReplay.replay(e, 0, HandbookFeatures.Version.V1);
        for (int i = 0; i < e.size(); i += 7) {
            assertThat(row(zeroDelay, i)).as("row %d", i).containsExactly(ReferenceFeatures.row(e, i, 0), within(1e-9));
        }
    }

    @Test
    void unorderedFileGivesEachRowTheFeaturesOfItsTimeOrderedReplay() throws IOException {
        RawEvents sorted = randomEvents(200, 10, 4, 20, 11);
        int n = sorted.size();
        long[] ids = new long[n];
        long[] times = new long[n];
        long[] cust = new long[n];
        long[] term = new long[n];
        double[] amt = new double[n];
        byte[] lab = new byte[n];
        for (int k = 0; k < n; k++) { // reverse file order; no ties in randomEvents, so time order is unique
            int i = n - 1 - k;
            ids[k] = sorted.id(i);
            times[k] = sorted.time(i);
            cust[k] = sorted.customer(i);
            term[k] = sorted.terminal(i);
            amt[k] = sorted.amount(i);
            lab[k] = (byte) sorted.label(i);
        }
        double[] a = FeatureReplay.replay(sorted, 7);
        double[] b = FeatureReplay.replay(new RawEvents("reversed", ids, times, cust, term, amt, lab), 7);
        for (int k = 0; k < n; k++) {
            assertThat(v2Row(b, k)).containsExactly(v2Row(a, n - 1 - k));
        }
    }

    /** Events over {@code days} days with distinct, increasing times; about 10% frauds. */
    static RawEvents randomEvents(int n, int customers, int terminals, int days, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = T0 + r.nextLong(days * D);
        }
        Arrays.sort(times);
        long[] ids = new long[n];
        long[] cust = new long[n];
        long[] term = new long[n];
        double[] amt = new double[n];
        byte[] lab = new byte[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
            if (i > 0 && times[i] <= times[i - 1]) {
                times[i] = times[i - 1] + 1;
            }
            // some payments land exactly on window edges of earlier ones
            if (i > 5 && r.nextInt(10) == 0) {
                times[i] = Math.max(times[i - 1] + 1, times[r.nextInt(i)] + (r.nextBoolean() ? 7 : 8) * D);
            }
            cust[i] = r.nextInt(customers);
            term[i] = r.nextInt(terminals);
            amt[i] = Math.round(r.nextDouble(0, 200) * 100) / 100.0;
            lab[i] = (byte) (r.nextInt(10) == 0 ? 1 : 0);
        }
        for (int i = 1; i < n; i++) { // the edge shifts above may break the order: restore it
            if (times[i] <= times[i - 1]) {
                times[i] = times[i - 1] + 1;
            }
        }
        return new RawEvents("random", ids, times, cust, term, amt, lab);
    }
}
