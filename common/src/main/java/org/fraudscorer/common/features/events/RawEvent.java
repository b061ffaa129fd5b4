package org.fraudscorer.common.features.events;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * One payment as it happens: no label (a label arrives later, as feedback).
 *
 * @param epochSeconds the payment's local wall-clock time as seconds since 1970-01-01T00:00 read as UTC; the
 *                     handbook's {@code TX_DATETIME} carries no zone, and the weekend and night flags are about
 *                     the wall clock, so no zone conversion ever happens
 * @param amount       in currency units, finite and not negative
 */
public record RawEvent(long transactionId, long epochSeconds, long customerId, long terminalId, double amount) {

    public RawEvent {
        if (!(amount >= 0) || Double.isInfinite(amount)) {
            throw new IllegalArgumentException("transaction " + transactionId + ": amount must be finite and ≥ 0, got "
                    + amount);
        }
    }

    public static RawEvent of(long transactionId, LocalDateTime time, long customerId, long terminalId, double amount) {
        return new RawEvent(transactionId, time.toEpochSecond(ZoneOffset.UTC), customerId, terminalId, amount);
    }

    public LocalDateTime dateTime() {
        return LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
    }
}
