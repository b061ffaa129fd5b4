package org.fraudscorer.scorer.config;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The mark of a past payment (or its label) replayed to warm the card and terminal stores: the Kafka record header
 * {@code fraud-backfill: 1}, set by {@code ./fraud backfill} on the input and labels topics. Kafka Streams carries a
 * record's headers through both repartitions, so a marked event updates the stores through the same stages as a live
 * one, and the scoring step then drops it: no decision is ever emitted for history.
 */
public final class Backfill {
    /** The header's name. */
    public static final String HEADER = "fraud-backfill";
    private static final byte[] VALUE = "1".getBytes(StandardCharsets.US_ASCII);

    private Backfill() {
    }

    /** Marks a record as history (adds the header). */
    public static Headers mark(Headers headers) {
        return headers.add(HEADER, VALUE);
    }

    /** True when the record carries {@code fraud-backfill: 1}. */
    public static boolean isMarked(Headers headers) {
        Header h = headers == null ? null : headers.lastHeader(HEADER);
        return h != null && Arrays.equals(h.value(), VALUE);
    }
}
