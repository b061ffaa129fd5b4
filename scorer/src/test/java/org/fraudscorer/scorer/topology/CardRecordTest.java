package org.fraudscorer.scorer.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.fraudscorer.common.features.events.CustomerHistory;
import org.junit.jupiter.api.Test;

/** The sweep's reading of a card record's newest payment time, against decoding the whole record. */
class CardRecordTest {
    private static final long T0 = 1_522_627_200L; // 2018-04-02T00:00

    private static CardRecord card(Random rnd) {
        CardRecord r = new CardRecord();
        int n = rnd.nextInt(60);
        long t = T0;
        double[] out = new double[6];
        for (int i = 0; i < n; i++) {
            t += rnd.nextInt(86_400);
            r.history.observe(t, 1 + rnd.nextInt(900), out, 0);
            if (rnd.nextBoolean()) {
                r.take(1_000_000L + i, t, t, rnd.nextInt(3), rnd.nextInt(100_000));
            }
        }
        return r;
    }

    /** A card with these payments, one a minute from {@link #T0}, and nothing taken. */
    private static CardRecord minuteApart(double... amounts) {
        CardRecord r = new CardRecord();
        double[] out = new double[6];
        for (int i = 0; i < amounts.length; i++) {
            r.history.observe(T0 + 60L * i, amounts[i], out, 0);
        }
        return r;
    }

    @Test
    void newestTimeOfTheBytesIsTheDecodedRecordsForBothFormats() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            CardRecord r = card(rnd);
            byte[] record = r.toBytes();
            assertThat(record[0]).isEqualTo(CardRecord.FORMAT);
            assertThat(CardRecord.newestTime(record)).isEqualTo(CardRecord.read(record).history.newestTime())
                    .isEqualTo(r.history.newestTime());
            byte[] legacy = r.history.toBytes(); // a record written before the duplicate check: the history alone
            assertThat(CardRecord.newestTime(legacy)).isEqualTo(r.history.newestTime());
        }
        assertThat(CardRecord.newestTime(new CardRecord().toBytes())).isEqualTo(Long.MIN_VALUE);
    }

    /**
     * The stored format, pinned byte for byte: card records live in the card store and its changelog across
     * upgrades, so a change of layout must be a new format byte, never a silent one (round trips alone would not
     * notice a change made on both sides). Format 16: the history's length, the history (format 1: count, base time,
     * then seconds after the base and amount per payment), the taken payments' count, then per taken payment its
     * id, time, the time it leaves by, source partition and offset; big-endian.
     */
    @Test
    void theStoredBytesAreFormat16ByteForByte() {
        CardRecord r = minuteApart(10.5, 20.25);
        r.take(7, T0 + 60, T0 + 60, 2, 99);
        String history = "01" + "00000002" + "000000005ac17280" + "00000000" + "4025000000000000" + "0000003c"
                + "4034400000000000";
        String taken = "0000000000000007" + "000000005ac172bc" + "000000005ac172bc" + "00000002" + "0000000000000063";
        assertThat(java.util.HexFormat.of().formatHex(r.history.toBytes())).isEqualTo(history);
        assertThat(java.util.HexFormat.of().formatHex(r.toBytes()))
                .isEqualTo("10" + "00000025" + history + "00000001" + taken);
        CardRecord back = CardRecord.read(r.toBytes());
        assertThat(back.history.newestTime()).isEqualTo(T0 + 60);
        assertThat(back.match(7, T0 + 60, 2, 99, 3600)).isZero();
    }

    /**
     * Format 17: a card a backfill stored history of keeps the last run, the earlier runs' span and its own, byte for
     * byte before format 16's fields, and reads back with them. A run's own payments pass; another run's within any
     * stored span are refused; once a new run stores one, the span before it is the earlier runs' only.
     */
    @Test
    void aBackfilledCardIsFormat17WithItsRunsAndSpans() {
        CardRecord r = minuteApart(10.5, 20.25);
        r.storedByRun(5, T0);
        r.storedByRun(5, T0 + 60);
        r.take(7, T0 + 60, T0 + 60, 2, 99);
        CardRecord unmarked = minuteApart(10.5, 20.25);
        unmarked.take(7, T0 + 60, T0 + 60, 2, 99);
        String format16 = java.util.HexFormat.of().formatHex(unmarked.toBytes());
        assertThat(java.util.HexFormat.of().formatHex(r.toBytes())).isEqualTo("11" + "0000000000000005"
                + "7fffffffffffffff" + "8000000000000000" + "000000005ac17280" + "000000005ac172bc"
                + format16.substring(2));
        CardRecord back = CardRecord.read(r.toBytes());
        assertThat(back.toBytes()).isEqualTo(r.toBytes());
        assertThat(CardRecord.newestTime(r.toBytes())).isEqualTo(T0 + 60);
        assertThat(back.match(7, T0 + 60, 2, 99, 3600)).isZero();
        assertThat(back.storedByAnotherRun(5, T0 + 30)).as("its own run").isFalse();
        assertThat(back.storedByAnotherRun(6, T0)).isTrue();
        assertThat(back.storedByAnotherRun(6, T0 + 60)).isTrue();
        assertThat(back.storedByAnotherRun(6, T0 - 1)).as("before the span").isFalse();
        assertThat(back.storedByAnotherRun(6, T0 + 61)).as("after the span").isFalse();
        back.storedByRun(6, T0 - 600); // run 6 reaches further back: its later payments in run 5's span are refused
        assertThat(back.storedByAnotherRun(6, T0 + 30)).isTrue();
        assertThat(back.storedByAnotherRun(6, T0 - 300)).isFalse();
        assertThat(back.storedSpan(6)).containsExactly(T0, T0 + 60);
        back.storedByRun(6, T0 + 120);
        assertThat(back.storedByAnotherRun(7, T0 - 600)).as("a third run, in run 6's span").isTrue();
        assertThat(back.storedSpan(7)).containsExactly(T0 - 600, T0 + 120);
        assertThat(new CardRecord().storedByAnotherRun(6, T0)).as("no backfill reached it").isFalse();
        assertThat(CardRecord.read(back.toBytes()).storedSpan(7)).containsExactly(T0 - 600, T0 + 120);
        byte[] truncated = java.util.Arrays.copyOf(r.toBytes(), 20);
        assertThatThrownBy(() -> CardRecord.read(truncated)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("card record truncated");
    }

    @Test
    void aRecordWhoseHistoryDoesNotFitIsRefused() {
        CardRecord r = new CardRecord();
        r.history.observe(T0, 10, new double[6], 0);
        r.take(1, T0, T0, 0, 5);
        byte[] good = r.toBytes();
        byte[] truncated = java.util.Arrays.copyOf(good, 7);
        assertThatThrownBy(() -> CardRecord.newestTime(truncated)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("card record truncated");
        byte[] longHistory = good.clone();
        longHistory[4] = (byte) 0xFF; // history length now beyond the record
        assertThatThrownBy(() -> CardRecord.newestTime(longHistory)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bytes in a record of " + good.length);
        byte[] notAHistory = good.clone();
        notAHistory[5] = 9; // the history's own format byte
        assertThatThrownBy(() -> CardRecord.newestTime(notAHistory)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a customer history");
        assertThatThrownBy(() -> CardRecord.newestTime(new byte[] {7, 1, 2})).isInstanceOf(IllegalArgumentException.class);
        assertThat(HistoryStage.newestOrExpired(longHistory, CardRecord::newestTime))
                .as("a sweep takes an unreadable record for expired").isEqualTo(Long.MIN_VALUE);
        assertThat(CustomerHistory.fromBytes(r.history.toBytes()).newestTime()).isEqualTo(T0);
    }

    /**
     * What the sweep's shortcut does not read: a damaged entry inside an intact layout. The record is kept until its
     * newest payment expires (the card's next event finds the damage, drops the history and dead-letters itself).
     */
    @Test
    void aDamagedEntryInsideAnIntactLayoutIsLeftToTheCardsNextEvent() {
        CardRecord r = minuteApart(10, 20, 30);
        byte[] record = r.toBytes();
        // the first entry's amount (history at byte 5; its header 13 bytes, then int offset, double amount) → NaN
        java.nio.ByteBuffer.wrap(record).putDouble(5 + 13 + 4, Double.NaN);
        assertThatThrownBy(() -> CardRecord.read(record)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amount NaN");
        assertThat(HistoryStage.newestOrExpired(record, CardRecord::newestTime)).isEqualTo(T0 + 120);
    }
}
