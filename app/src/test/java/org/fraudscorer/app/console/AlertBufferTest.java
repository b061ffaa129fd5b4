package org.fraudscorer.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudscorer.app.console.FlaggedRecords.utf8;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertBufferTest {
    private static final long NOW = FlaggedRecords.SCORED_AT;

    @Test
    void shouldReadEveryFieldTheScorerWritesForARawEvent() {
        AlertBuffer buffer = new AlertBuffer(10);
        Alert a = buffer.add(FlaggedRecords.raw(77, 1_523_000_000L, 12, 345, 99.5, 0.93), NOW).orElseThrow();
        assertThat(a.seq()).isEqualTo(1);
        assertThat(a.id()).isEqualTo("77");
        assertThat(a.family()).isEqualTo(LabelFormat.RAW_EVENT);
        assertThat(a.card()).isEqualTo("12");
        assertThat(a.terminal()).isEqualTo("345");
        assertThat(a.eventTime()).isEqualTo("2018-04-06T07:33:20");
        assertThat(a.amount()).isEqualTo(99.5);
        assertThat(a.probability()).isEqualTo(0.93);
        assertThat(a.threshold()).isEqualTo(FlaggedRecords.MODEL.threshold().value());
        assertThat(a.modelVersion()).isEqualTo(FlaggedRecords.MODEL.modelVersion());
        assertThat(a.topFeatures()).extracting(Alert.Contribution::contribution).containsExactly(0.9, 0.5, -0.3);
    }

    @Test
    void shouldKeepOnlyTheLatestAlertsUpToItsCapacity() {
        AlertBuffer buffer = new AlertBuffer(3);
        for (int i = 1; i <= 5; i++) {
            buffer.add(FlaggedRecords.creditcard("tx-" + i, 0.6), NOW);
        }
        assertThat(buffer.snapshot()).extracting(Alert::id).containsExactly("tx-3", "tx-4", "tx-5");
        assertThat(buffer.snapshot()).extracting(Alert::seq).containsExactly(3L, 4L, 5L);
        assertThat(buffer.find("tx-1")).isEmpty();
        assertThat(buffer.find("tx-4")).isPresent();
        assertThat(buffer.stats(NOW).received()).isEqualTo(5);
        assertThat(buffer.stats(NOW).held()).isEqualTo(3);
    }

    /**
     * A restarted console reads the flagged topic partition by partition: alerts come out of time order. The buffer
     * keeps the newest by scoring time, oldest first, and an alert older than all it holds when full is not held.
     */
    @Test
    void shouldKeepTheNewestAlertsByScoringTimeWhateverOrderTheyArriveIn() {
        AlertBuffer buffer = new AlertBuffer(4);
        // partition 0's alerts (scored at 1, 4, 6 s), then partition 1's (2, 3, 5, 7 s)
        for (int[] p : new int[][] {{1, 4, 6}, {2, 3, 5, 7}}) {
            for (int t : p) {
                buffer.add(FlaggedRecords.creditcard("tx-" + t, 0.6, NOW - 60_000 + t * 1_000L), NOW);
            }
        }
        assertThat(buffer.snapshot()).extracting(Alert::id).containsExactly("tx-4", "tx-5", "tx-6", "tx-7");
        assertThat(buffer.add(FlaggedRecords.creditcard("tx-0", 0.6, NOW - 60_000), NOW)).as("older than all held")
                .isEmpty();
        assertThat(buffer.snapshot()).extracting(Alert::id).containsExactly("tx-4", "tx-5", "tx-6", "tx-7");
        assertThat(buffer.stats(NOW).received()).isEqualTo(8);
    }

    @Test
    void shouldNotCountAlertsScoredLongBeforeTheyWereReadAsArrivingInTheLastMinute() {
        AlertBuffer buffer = new AlertBuffer(10);
        buffer.add(FlaggedRecords.creditcard("read-again", 0.6, NOW - 3_600_000), NOW);
        buffer.add(FlaggedRecords.creditcard("fresh", 0.6, NOW - 2_000), NOW);
        assertThat(buffer.stats(NOW).lastMinute()).isEqualTo(1);
        assertThat(buffer.stats(NOW).held()).isEqualTo(2);
    }

    /** Verdicts read back at a restart count in precision again: with the probability their label carries, or once
     * their alert is read again. */
    @Test
    void shouldCountVerdictsReadBackAtStartInPrecision() {
        AlertBuffer buffer = new AlertBuffer(10);
        buffer.verdict(new Verdict("tx-1", Verdict.Action.CONFIRMED_FRAUD, "ana", 1), 0.9); // its label says 0.9
        buffer.verdict(new Verdict("tx-2", Verdict.Action.CONFIRMED_FRAUD, "ana", 2), Double.NaN); // an older label
        buffer.verdict(new Verdict("tx-2", Verdict.Action.FALSE_ALARM, "bob", 3), Double.NaN);
        assertThat(buffer.stats(NOW).reviewed()).isEqualTo(1);
        buffer.add(FlaggedRecords.creditcard("tx-2", 0.7), NOW);
        buffer.add(FlaggedRecords.creditcard("tx-3", 0.8), NOW);
        AlertBuffer.Stats s = buffer.stats(NOW);
        assertThat(s.reviewed()).isEqualTo(2);
        assertThat(s.confirmed()).as("tx-2's latest verdict: a false alarm").isEqualTo(1);
        assertThat(s.prCurve()).containsExactly(new double[] {0.9, 1.0, 1.0}, new double[] {0.7, 1.0, 0.5});
    }

    /** The scorer accepts creditcard events without an id: their alerts are named by their place in the topic. */
    @Test
    void shouldNameACreditcardAlertWithoutAnIdByItsPlaceInTheTopic() {
        AlertBuffer buffer = new AlertBuffer(5);
        com.fasterxml.jackson.databind.node.ObjectNode record;
        try {
            record = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(FlaggedRecords.creditcard("x", 0.9));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        record.putNull("id");
        ((com.fasterxml.jackson.databind.node.ObjectNode) record.get("event")).remove("id");
        byte[] withoutId = record.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(buffer.add(withoutId, NOW)).as("no place given: skipped").isEmpty();
        Alert a = buffer.add(withoutId, "transactions.flagged-2@17", NOW).orElseThrow();
        assertThat(a.id()).isEqualTo("transactions.flagged-2@17");
        assertThat(buffer.find("transactions.flagged-2@17")).contains(a);
        String label = new String(a.family().value(a, true), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(label).contains("\"id\":\"transactions.flagged-2@17\"").contains("\"Class\":1");
        assertThat(a.family().key(a)).isEqualTo("transactions.flagged-2@17");
    }

    /**
     * An alert scored far ahead of the console's clock is not held: kept, it sorted after every real alert and pushed
     * them out of a full buffer, so anyone able to write to the flagged topic could hide the scorer's alerts (found by
     * a helper session). Counted as malformed, with the reason; a scorer clock a little ahead is still taken.
     */
    @Test
    void anAlertScoredFarInTheFutureIsNotHeldAndCannotPushOutRealOnes() {
        AlertBuffer buffer = new AlertBuffer(3);
        for (int i = 0; i < 5; i++) {
            assertThat(buffer.add(FlaggedRecords.creditcard("forged-" + i, 0.99, 4_102_444_800_000L), NOW)).isEmpty();
        }
        assertThat(buffer.add(FlaggedRecords.creditcard("skewed", 0.7, NOW + 60_000), NOW)).isPresent();
        for (int i = 1; i <= 2; i++) {
            assertThat(buffer.add(FlaggedRecords.creditcard("real-" + i, 0.8, NOW - i), NOW)).isPresent();
        }
        assertThat(buffer.snapshot()).extracting(Alert::id).containsExactly("real-2", "real-1", "skewed");
        AlertBuffer.Stats s = buffer.stats(NOW);
        assertThat(s.malformed()).isEqualTo(5);
        assertThat(s.lastMalformedReason()).contains("2100-01-01T00:00:00Z is more than 5 min after this console's "
                + "clock");
        // nor is a record far larger than any scored event (each held alert goes to every page that opens)
        String big = new String(FlaggedRecords.creditcard("big", 0.9, NOW), java.nio.charset.StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"padding\":\"" + "x".repeat(70_000) + "\",");
        assertThat(buffer.add(big.getBytes(java.nio.charset.StandardCharsets.UTF_8), NOW)).isEmpty();
        assertThat(buffer.stats(NOW).lastMalformedReason()).contains("over the 65536 of any scored event");
        assertThat(buffer.add(FlaggedRecords.creditcard("normal", 0.9, NOW), NOW)).isPresent();
    }

    @Test
    void shouldSkipAndCountMalformedFlaggedRecordsWithoutThrowing() {
        AlertBuffer buffer = new AlertBuffer(5);
        List<byte[]> bad = List.of(utf8("not json"), utf8("[1,2]"), utf8("{}"), utf8("{\"event\":{},\"probability\":0.9}"),
                utf8("{\"event\":{},\"id\":\"x\",\"probability\":7,\"modelVersion\":\"v\"}"),
                utf8("{\"event\":{\"TRANSACTION_ID\":1,\"TERMINAL_ID\":2,\"TX_DATETIME\":\"yesterday\"},\"id\":\"1\","
                        + "\"probability\":0.9,\"modelVersion\":\"v\"}"),
                new byte[] {(byte) 0xff, 0x00, 0x7b}, new byte[0]);
        for (byte[] b : bad) {
            assertThat(buffer.add(b, NOW)).isEmpty();
        }
        assertThat(buffer.add(null, NOW)).isEmpty();
        assertThat(buffer.add(FlaggedRecords.creditcard("ok", 0.7), NOW)).isPresent();
        AlertBuffer.Stats s = buffer.stats(NOW);
        assertThat(s.malformed()).isEqualTo(bad.size() + 1);
        assertThat(s.received()).isEqualTo(1);
        assertThat(buffer.snapshot()).extracting(Alert::seq).containsExactly(1L);
    }

    /**
     * An id no scorer writes (it refuses such an event's id, EventIds) is skipped, with the reason: one with an
     * unpaired surrogate was shown with a '?' in its place (UTF-8 has none) and every click on it answered 404 "no
     * alert 10 with this id in the console's buffer", the page sending back the id it was shown; one with a
     * bidirectional override (U+202E, then "exe.live") showed as "tx-evil.exe" (a hunt of forged flagged records).
     */
    @Test
    void shouldSkipAFlaggedRecordWhoseIdAPageCannotShowOrSendBack() {
        AlertBuffer buffer = new AlertBuffer(5);
        String record = new String(FlaggedRecords.creditcard("tx-odd", 0.9), StandardCharsets.UTF_8);
        for (String[] odd : new String[][] {{"tx-\\ud800x", "unpaired surrogate U+D800"},
                {"tx-\\u202Eexe.live", "invisible format character U+202E"}}) {
            String forged = record.replace("tx-odd", odd[0]);
            assertThat(forged).isNotEqualTo(record);
            assertThat(buffer.add(utf8(forged), NOW)).as(odd[0]).isEmpty();
            assertThat(buffer.stats(NOW).lastMalformedReason()).contains("id ").contains(odd[1]);
        }
        assertThat(buffer.add(utf8(record.replace("tx-odd", "tx-カード-\\ud83d\\udcb3")), NOW)).as("paired")
                .isPresent().get().extracting(Alert::id).isEqualTo("tx-カード-\ud83d\udcb3");
        assertThat(buffer.stats(NOW).malformed()).isEqualTo(2);
    }

    /**
     * A raw event's label carries its transaction and terminal as 64-bit integers: a forged flagged record with ids
     * beyond them was labelled as another payment (transaction 2^64 + 5 as transaction 5). Skipped, as the scorer
     * refuses such an event.
     */
    @Test
    void shouldSkipARawEventWhoseIdsTheLabelCannotCarry() {
        AlertBuffer buffer = new AlertBuffer(5);
        String raw = new String(FlaggedRecords.raw(5, 1_523_000_000L, 12, 1, 10, 0.9), StandardCharsets.UTF_8);
        for (String forged : List.of(raw.replace("\"TRANSACTION_ID\":5", "\"TRANSACTION_ID\":18446744073709551621"),
                raw.replace("\"TERMINAL_ID\":1", "\"TERMINAL_ID\":18446744073709551617"),
                raw.replace("\"TERMINAL_ID\":1", "\"TERMINAL_ID\":-1"))) {
            assertThat(forged).isNotEqualTo(raw);
            assertThat(buffer.add(utf8(forged), NOW)).as(forged).isEmpty();
            assertThat(buffer.stats(NOW).lastMalformedReason()).contains("is outside 0..9223372036854775807");
        }
        assertThat(buffer.add(utf8(raw), NOW)).isPresent();
        assertThat(buffer.stats(NOW).malformed()).isEqualTo(3);
    }

    @Test
    void shouldCountAlertsOfTheLastMinuteOnly() {
        AlertBuffer buffer = new AlertBuffer(100);
        buffer.add(FlaggedRecords.creditcard("old", 0.6), NOW - 90_000);
        buffer.add(FlaggedRecords.creditcard("a", 0.6), NOW - 30_000);
        buffer.add(FlaggedRecords.creditcard("b", 0.6), NOW - 1_000);
        buffer.add(FlaggedRecords.creditcard("c", 0.6), NOW);
        assertThat(buffer.stats(NOW).lastMinute()).isEqualTo(3);
        assertThat(buffer.stats(NOW + 45_000).lastMinute()).isEqualTo(2);
    }

    @Test
    void shouldComputePrecisionAndThePrCurveFromTheLatestVerdictOfEachAlert() {
        AlertBuffer buffer = new AlertBuffer(10);
        buffer.verdict(new Verdict("a", Verdict.Action.CONFIRMED_FRAUD, "ana", 1), 0.9);
        buffer.verdict(new Verdict("b", Verdict.Action.CONFIRMED_FRAUD, "ana", 2), 0.8);
        buffer.verdict(new Verdict("c", Verdict.Action.CONFIRMED_FRAUD, "ana", 3), 0.7);
        buffer.verdict(new Verdict("c", Verdict.Action.FALSE_ALARM, "bob", 4), 0.7); // corrected
        buffer.verdict(new Verdict("d", Verdict.Action.FALSE_ALARM, "ana", 5), 0.6);
        AlertBuffer.Stats s = buffer.stats(NOW);
        assertThat(s.reviewed()).isEqualTo(4);
        assertThat(s.confirmed()).isEqualTo(2);
        assertThat(s.precision()).isEqualTo(0.5);
        assertThat(buffer.verdicts("c")).extracting(Verdict::reviewer).containsExactly("ana", "bob");
        // {threshold, recall, precision}
        assertThat(s.prCurve()).containsExactly(new double[] {0.9, 0.5, 1.0}, new double[] {0.8, 1.0, 1.0},
                new double[] {0.7, 1.0, 2.0 / 3}, new double[] {0.6, 1.0, 0.5});
    }

    @Test
    void shouldHaveNoPrecisionBeforeTheFirstVerdict() {
        assertThat(new AlertBuffer(1).stats(NOW).precision()).isNaN();
        assertThat(new AlertBuffer(1).stats(NOW).prCurve()).isEmpty();
    }
}
