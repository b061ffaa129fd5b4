package org.fraudscorer.scorer.serde;

/**
 * The fields of one parsed raw payment event or label, filled in place by {@link RawEventParser}: one instance per
 * processor, reused for every record, so parsing boxes nothing. Meaningful only after an accepted parse.
 */
public final class RawEventFields {
    public long transactionId;
    /** Wall-clock seconds since 1970-01-01T00:00, read as UTC (as {@code RawEvent.epochSeconds}). */
    public long epochSeconds;
    /** Events only. */
    public long customerId;
    public long terminalId;
    /** Events only. */
    public double amount;
    /** Labels only. */
    public boolean fraud;
}
