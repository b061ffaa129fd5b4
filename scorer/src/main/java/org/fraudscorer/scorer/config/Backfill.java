package org.fraudscorer.scorer.config;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The mark of a past payment replayed to warm the card and terminal stores ({@code ./fraud backfill}): the Kafka
 * record header {@code fraud-backfill: 1} on an input-topic event, and its known label, if any, in
 * {@code fraud-backfill-label: 0|1} on the same record. Kafka Streams carries a record's headers through both
 * repartitions, so a marked event updates the stores through the same stages as a live one; the terminal stage then
 * applies its label, and the scoring step drops it: no decision is ever emitted for history. The label rides with
 * its payment because on the labels topic it could overtake the payment (which crosses one repartition more); a
 * label counts only for payments at least the label delay older than the event scored, so applying it early
 * changes no feature of a live event.
 *
 * <p>Each backfill run also writes its own run id ({@code fraud-backfill-run}, a random non-zero number in decimal) on
 * every record: the card stage remembers, per card, the span of history a run stored and which run stored it last, so
 * a second run over the same days (a backfill run twice, or resumed after a stop) stores each payment once
 * ({@code CustomerStage}). A history record without a run id (sent by an older {@code backfill}) is not checked.
 */
public final class Backfill {
    /** Marks a record as history. */
    public static final String HEADER = "fraud-backfill";
    /** The history payment's label (TX_FRAUD), read only on a record marked with {@link #HEADER}. */
    public static final String LABEL_HEADER = "fraud-backfill-label";
    /** The backfill run a history record belongs to, read only on a record marked with {@link #HEADER}. */
    public static final String RUN_HEADER = "fraud-backfill-run";
    private static final byte[] ONE = "1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZERO = "0".getBytes(StandardCharsets.US_ASCII);

    private Backfill() {
    }

    /** Marks a record as history, with no label. */
    public static Headers mark(Headers headers) {
        return headers.add(HEADER, ONE);
    }

    /** Marks a record as history of a payment whose label is known. */
    public static Headers mark(Headers headers, boolean fraud) {
        return mark(headers).add(LABEL_HEADER, fraud ? ONE : ZERO);
    }

    /** Marks a record as history sent by backfill run {@code run} ({@link #newRun}), its label known or not (−1). */
    public static Headers mark(Headers headers, long run, int label) {
        if (run == 0) {
            throw new IllegalArgumentException("a backfill run id is not 0");
        }
        Headers h = label < 0 ? mark(headers) : mark(headers, label == 1);
        return h.add(RUN_HEADER, Long.toString(run).getBytes(StandardCharsets.US_ASCII));
    }

    /** A new run id: random, never 0. */
    public static long newRun() {
        long run;
        do {
            run = new java.security.SecureRandom().nextLong();
        } while (run == 0);
        return run;
    }

    /** The run id of a history record; 0 for none (not history, no run header, or not a number). */
    public static long run(Headers headers) {
        if (!isMarked(headers)) {
            return 0;
        }
        Header h = headers.lastHeader(RUN_HEADER);
        if (h == null || h.value() == null || h.value().length == 0 || h.value().length > 20) {
            return 0;
        }
        try {
            return Long.parseLong(new String(h.value(), StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** True when the record carries {@code fraud-backfill: 1}. */
    public static boolean isMarked(Headers headers) {
        return is(headers, HEADER, ONE);
    }

    /** The label of a history record: 1 fraud, 0 genuine, −1 for none (or a record not marked as history). */
    public static int label(Headers headers) {
        if (!isMarked(headers)) {
            return -1;
        }
        return is(headers, LABEL_HEADER, ONE) ? 1 : is(headers, LABEL_HEADER, ZERO) ? 0 : -1;
    }

    private static boolean is(Headers headers, String name, byte[] value) {
        Header h = headers == null ? null : headers.lastHeader(name);
        return h != null && Arrays.equals(h.value(), value);
    }
}
