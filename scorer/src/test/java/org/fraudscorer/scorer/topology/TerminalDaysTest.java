package org.fraudscorer.scorer.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.common.features.events.TerminalHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The terminal store's layout against the definition: a terminal's history kept whole in memory
 * ({@link TerminalHistory}) and the same history loaded from the store, changed and saved back for every payment and
 * label, must give the same features and hold the same payments and labels, through payments out of time order,
 * labels of old and unknown payments, days that partly leave the window, and quiet spells that expire everything;
 * and no record may hold more payments than the layout allows.
 */
class TerminalDaysTest {
    private static final long D = HandbookFeatures.DAY;
    private static final long T0 = 1_522_540_800L; // 2018-04-01T00:00:00Z
    private static final int DELAY = 7;
    private static final long TERMINAL = 42;

    /** A sorted map as the store: the same unsigned byte order as RocksDB's. */
    static final class MapStore implements TerminalDays.Store {
        final TreeMap<Bytes, byte[]> map = new TreeMap<>();
        int puts;

        @Override
        public void put(Bytes key, byte[] value) {
            map.put(key, value.clone());
            puts++;
        }

        @Override
        public void delete(Bytes key) {
            map.remove(key);
        }

        @Override
        public void range(Bytes from, Bytes to, BiConsumer<Bytes, byte[]> each) {
            map.subMap(from, true, to, true).forEach(each);
        }

        @Override
        public void all(BiConsumer<Bytes, byte[]> each) {
            new TreeMap<>(map).forEach(each);
        }
    }

    private static double[] observe(TerminalHistory h, long time, long id) {
        double[] out = new double[6];
        h.observe(time, id, out, 0);
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 1024})
    void theStoredHistoryGivesTheSameFeaturesAsTheWholeOneThroughDisorderLabelsAndExpiry(int recordPayments) {
        MapStore store = new MapStore();
        TerminalDays days = new TerminalDays(store, recordPayments);
        long[] terminals = {TERMINAL, -7L}; // two terminals in one store; a negative id sorts after a positive one
        Map<Long, TerminalHistory> whole = new TreeMap<>();
        Map<Long, List<long[]>> paid = new TreeMap<>(); // (time, id) by terminal
        for (long t : terminals) {
            whole.put(t, new TerminalHistory(DELAY));
            paid.put(t, new ArrayList<>());
        }
        Random random = new Random(recordPayments);
        long clock = T0;
        long nextId = 1;
        int labelled = 0;
        int multiRecordDays = 0;
        int partlyDroppedDays = 0;
        int tooOld = 0;
        for (int step = 0; step < 12_000; step++) {
            int kind = random.nextInt(100);
            if (random.nextInt(1_000) < 3) {
                clock += (10 + random.nextInt(30)) * D; // a quiet spell: most or all of the window expires
            } else {
                clock += random.nextInt(1_200);
            }
            long terminal = terminals[random.nextInt(5) == 0 ? 1 : 0];
            TerminalHistory reference = whole.get(terminal);
            List<long[]> itsPayments = paid.get(terminal);
            TerminalHistory stored = days.load(terminal, DELAY);
            if (stored == null) {
                stored = new TerminalHistory(DELAY);
            }
            assertThat(stored.toBytes()).as("step %d: stored = whole", step).isEqualTo(reference.toBytes());
            long day;
            if (kind < 70 || itsPayments.isEmpty()) {
                // a payment: one in five out of time order (up to a day and a half late: the day before, too), one in
                // a hundred older than the window (dropped as it arrives)
                int late = random.nextInt(100);
                long time = late == 0 ? clock - (40 + random.nextInt(20)) * D
                        : late < 20 ? clock - random.nextInt((int) (1.5 * D)) : clock;
                long id = nextId++;
                assertThat(observe(stored, time, id)).as("step %d: features", step)
                        .containsExactly(observe(reference, time, id));
                tooOld += reference.size() > 0 && time < reference.oldestTime() ? 1 : 0;
                itsPayments.add(new long[] {time, id});
                day = HandbookFeatures.day(time);
            } else {
                // a label of a payment: mostly a recent one, some from the whole window (its oldest, partly dropped
                // day too) or before it, some of a payment never seen
                int pick = random.nextInt(10);
                long[] p = pick == 0 ? new long[] {clock - random.nextInt((int) (40 * D)), -nextId} // never paid
                        : itsPayments.get(itsPayments.size() - 1
                                - random.nextInt(Math.min(itsPayments.size(), pick < 4 ? 4_500 : 500)));
                boolean fraud = random.nextInt(4) == 0;
                boolean matched = reference.label(p[0], p[1], fraud);
                assertThat(stored.label(p[0], p[1], fraud)).as("step %d: label matched", step).isEqualTo(matched);
                labelled += matched ? 1 : 0;
                if (!matched) {
                    continue;
                }
                day = HandbookFeatures.day(p[0]);
            }
            partlyDroppedDays += stored.dropped(day) && stored.firstOf(day) < stored.endOf(day) ? 1 : 0;
            days.save(terminal, stored, day);
            Map<String, Integer> records = new TreeMap<>();
            store.map.forEach((key, value) -> {
                long t = java.nio.ByteBuffer.wrap(key.get()).getLong();
                assertThat(t).isIn(terminals[0], terminals[1]);
                int payments = (value.length - 17) / 13;
                assertThat(payments).as("payments in one record").isBetween(1, recordPayments);
                TerminalHistory w = whole.get(t);
                assertThat(TerminalDays.dayOf(key)).as("no record of a day before the window").isGreaterThanOrEqualTo(
                        w.size() == 0 ? Long.MIN_VALUE : HandbookFeatures.day(w.oldestTime()));
                records.merge(t + "/" + TerminalDays.dayOf(key), 1, Integer::sum);
            });
            multiRecordDays += (int) records.values().stream().filter(n -> n > 1).count();
        }
        for (long t : terminals) {
            TerminalHistory stored = days.load(t, DELAY);
            assertThat(stored == null ? new TerminalHistory(DELAY).toBytes() : stored.toBytes())
                    .isEqualTo(whole.get(t).toBytes());
        }
        assertThat(labelled).isGreaterThan(500);
        assertThat(tooOld).as("payments older than the window").isGreaterThan(20);
        assertThat(partlyDroppedDays).as("changes to a day the window has partly left").isPositive();
        if (recordPayments < 100) {
            assertThat(multiRecordDays).as("days split over several records").isGreaterThan(1_000);
        }
    }

    @Test
    void theSweepDeletesEveryRecordOfAnExpiredDayAndNoneOfALaterOne() {
        MapStore store = new MapStore();
        TerminalDays days = new TerminalDays(store, 2);
        for (int i = 0; i < 5; i++) { // day 0 in records 0, 1, 2; day 1 likewise; another terminal's day 1
            pay(days, T0 + 100 * i, i + 1);
            pay(days, T0 + D + 100 * i, i + 11);
        }
        TerminalHistory other = new TerminalHistory(DELAY);
        observe(other, T0 + D, 99);
        TerminalDays otherDays = new TerminalDays(store, 2);
        otherDays.load(-5L, DELAY);
        otherDays.save(-5L, other, T0 / D + 1);
        assertThat(store.map).hasSize(7);
        days.sweep(T0 + D); // days before day 1 have expired
        assertThat(store.map.keySet()).extracting(TerminalDays::dayOf).containsOnly(T0 / D + 1);
        assertThat(store.map).hasSize(4);
        assertThat(days.load(TERMINAL, DELAY).size()).isEqualTo(5);
    }

    @Test
    void aPaymentRewritesOnlyTheRecordsOfItsDayFromTheOneThatHoldsIt() {
        MapStore store = new MapStore();
        TerminalDays days = new TerminalDays(store, 4);
        for (int i = 0; i < 10; i++) { // 10 payments of one day: records of 4, 4 and 2
            pay(days, T0 + 100 * i, i + 1);
        }
        assertThat(store.map).hasSize(3);
        store.puts = 0;
        pay(days, T0 + 950, 11); // in the last record
        assertThat(store.puts).isEqualTo(1);
        store.puts = 0;
        pay(days, T0 + 50, 12); // second of the day: every record from the first on moves
        assertThat(store.puts).isEqualTo(3);
        store.puts = 0;
        TerminalHistory h = days.load(TERMINAL, DELAY);
        assertThat(h.label(T0 + 500, 6, true)).isTrue(); // the 7th payment held: the second record
        days.save(TERMINAL, h, HandbookFeatures.day(T0));
        assertThat(store.puts).isEqualTo(1);
        assertThat(store.map.get(TerminalDays.key(TERMINAL, T0 / D, 1))[17 + 13 * 2 + 12]).isEqualTo((byte) 1);
    }

    @Test
    void aLabelOnADayWhoseFirstPaymentsLeftTheWindowRewritesTheWholeDay() {
        MapStore store = new MapStore();
        TerminalDays days = new TerminalDays(store, 4);
        TerminalHistory whole = new TerminalHistory(DELAY);
        for (int i = 0; i < 10; i++) { // day 0: records of 4, 4 and 2 payments, one an hour
            pay(days, T0 + 3_600 * i, i + 1);
            observe(whole, T0 + 3_600 * i, i + 1);
        }
        // the window (37 days) and a day's grace now start after day 0's 5th payment
        long later = T0 + (DELAY + 30) * D + HandbookFeatures.LATE_GRACE + 4 * 3_600;
        pay(days, later, 11);
        observe(whole, later, 11);
        assertThat(store.map).as("day 0's records still hold the 5 dropped payments").hasSize(4);
        TerminalHistory h = days.load(TERMINAL, DELAY);
        assertThat(h.dropped(T0 / D)).isTrue();
        assertThat(h.label(T0 + 3_600 * 8, 9, true)).isTrue(); // the 9th payment: the 4th held of day 0
        assertThat(whole.label(T0 + 3_600 * 8, 9, true)).isTrue();
        days.save(TERMINAL, h, T0 / D);
        assertThat(days.load(TERMINAL, DELAY).toBytes()).isEqualTo(whole.toBytes());
        assertThat(store.map).as("day 0 as 5 payments in records of 4 and 1, and the later day").hasSize(3);
    }

    @Test
    void aDayWrittenAsOneLargeRecordByAnEarlierVersionIsRewrittenInBoundedRecordsOnItsNextChange() {
        TerminalHistory old = new TerminalHistory(DELAY);
        for (int i = 0; i < 50; i++) {
            observe(old, T0 + 60 * i, i + 1);
        }
        MapStore store = new MapStore();
        store.put(TerminalDays.dayKey(TERMINAL, T0 / D), old.dayBytes(T0 / D)); // one record of 50 payments
        TerminalDays days = new TerminalDays(store, 8);
        TerminalHistory h = days.load(TERMINAL, DELAY);
        assertThat(h.toBytes()).isEqualTo(old.toBytes());
        observe(h, T0 + 60 * 50, 51);
        observe(old, T0 + 60 * 50, 51);
        days.save(TERMINAL, h, T0 / D);
        assertThat(store.map).hasSize(7); // 51 payments: 6 × 8 + 3
        assertThat(store.map.values()).allSatisfy(v -> assertThat((v.length - 17) / 13).isBetween(1, 8));
        assertThat(days.load(TERMINAL, DELAY).toBytes()).isEqualTo(old.toBytes());
    }

    /**
     * A rewrite of an earlier version's single value, interrupted after some day records (at-least-once, a crash
     * before the single value's deletion): the next load rewrites it again from the single value, which still holds
     * everything, instead of refusing the terminal and dropping its history.
     */
    @Test
    void anInterruptedRewriteOfASingleValueIsDoneAgainFromIt() {
        TerminalHistory old = new TerminalHistory(DELAY);
        for (int i = 0; i < 30; i++) {
            observe(old, T0 + 5_000 * i, i + 1); // about two days
        }
        MapStore store = new MapStore();
        TerminalDays first = new TerminalDays(store, 4);
        store.put(TerminalDays.legacyKey(TERMINAL), old.toBytes());
        first.load(TERMINAL, DELAY); // rewritten by day; now put the single value back as if its deletion was lost
        java.util.List<Bytes> written = new java.util.ArrayList<>(store.map.keySet());
        for (int i = written.size() / 2; i < written.size(); i++) {
            store.delete(written.get(i)); // and only the first records of the rewrite reached the changelog
        }
        store.put(TerminalDays.legacyKey(TERMINAL), old.toBytes());

        TerminalHistory h = new TerminalDays(store, 4).load(TERMINAL, DELAY);
        assertThat(h.toBytes()).isEqualTo(old.toBytes());
        assertThat(store.map).doesNotContainKey(TerminalDays.legacyKey(TERMINAL));
        assertThat(new TerminalDays(store, 4).load(TERMINAL, DELAY).toBytes()).isEqualTo(old.toBytes());
        assertThat(store.map).hasSize(written.size());
    }

    @Test
    void aDayWithAMissingRecordIsRefusedAsDamaged() {
        MapStore store = new MapStore();
        TerminalDays days = new TerminalDays(store, 2);
        for (int i = 0; i < 6; i++) {
            pay(days, T0 + 100 * i, i + 1);
        }
        store.delete(TerminalDays.key(TERMINAL, T0 / D, 1));
        assertThatThrownBy(() -> days.load(TERMINAL, DELAY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record 2 where record 1 was expected");
        days.forget(TERMINAL);
        assertThat(store.map).isEmpty();
    }

    @Test
    void aRecordMustHoldAtLeastOnePayment() {
        assertThatThrownBy(() -> new TerminalDays(new MapStore(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void pay(TerminalDays days, long time, long id) {
        TerminalHistory h = days.load(TERMINAL, DELAY);
        if (h == null) {
            h = new TerminalHistory(DELAY);
        }
        observe(h, time, id);
        days.save(TERMINAL, h, HandbookFeatures.day(time));
    }
}
