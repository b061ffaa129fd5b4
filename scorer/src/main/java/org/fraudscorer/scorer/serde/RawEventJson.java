package org.fraudscorer.scorer.serde;

import org.fraudscorer.common.features.events.TxDateTime;

/**
 * Writes raw payment events and label feedback in the format {@link RawEventParser} reads (producers, the demo,
 * tests). {@code TX_DATETIME} is written as {@code "YYYY-MM-DDTHH:MM:SS"} (the handbook's form); amounts with
 * {@link Double#toString(double)}, which reads back to the identical double.
 */
public final class RawEventJson {
    private RawEventJson() {
    }

    public static String dateTime(long epochSeconds) {
        return TxDateTime.format(epochSeconds);
    }

    /** A live event: no label (a label is known only later). */
    public static byte[] event(long id, long epochSeconds, long customer, long terminal, double amount) {
        return ("{\"TRANSACTION_ID\":" + id + ",\"TX_DATETIME\":\"" + dateTime(epochSeconds) + "\",\"CUSTOMER_ID\":"
                + customer + ",\"TERMINAL_ID\":" + terminal + ",\"TX_AMOUNT\":" + amount + "}")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The label feedback of an earlier payment. */
    public static byte[] label(long id, long epochSeconds, long terminal, boolean fraud) {
        return ("{\"TRANSACTION_ID\":" + id + ",\"TERMINAL_ID\":" + terminal + ",\"TX_DATETIME\":\""
                + dateTime(epochSeconds) + "\",\"TX_FRAUD\":" + (fraud ? 1 : 0) + "}")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
