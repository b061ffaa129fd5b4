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
 */
public final class Backfill {
    /** Marks a record as history. */
    public static final String HEADER = "fraud-backfill";
    /** The history payment's label (TX_FRAUD), read only on a record marked with {@link #HEADER}. */
    public static final String LABEL_HEADER = "fraud-backfill-label";
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
