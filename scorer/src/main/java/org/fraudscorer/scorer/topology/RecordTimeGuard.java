package org.fraudscorer.scorer.topology;

import java.time.Duration;
import java.time.Instant;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.serde.RejectReason;

/**
 * Refuses records whose times cannot be right: a Kafka timestamp from the future beyond the allowed clock skew, or
 * (when configured) older than the maximum event age, which would skew the latency figures; and a raw event whose
 * {@code TX_DATETIME} lies after its own record's timestamp ({@link #checkEventTime}), which would move the card and
 * terminal histories' clock (their windows and expiry run on {@code TX_DATETIME}) into the future. Each goes to the
 * dead-letter topic like any other bad input.
 */
public final class RecordTimeGuard {
    private final long maxFutureSkewMs;
    private final long maxEventAgeMs;

    RecordTimeGuard(ScorerConfig config) {
        this.maxFutureSkewMs = config.maxFutureSkewMs();
        this.maxEventAgeMs = config.maxEventAgeMs();
    }

    /** @return null when the timestamp is plausible, else why not */
    RejectReason check(long recordTimestampMs, long nowMs) {
        if (maxFutureSkewMs > 0 && recordTimestampMs > nowMs + maxFutureSkewMs) {
            return RejectReason.FUTURE_TIMESTAMP;
        }
        if (maxEventAgeMs > 0 && recordTimestampMs >= 0 && recordTimestampMs < nowMs - maxEventAgeMs) {
            return RejectReason.STALE_TIMESTAMP;
        }
        return null;
    }

    /**
     * The widest time-zone offset (UTC+14): {@code TX_DATETIME} carries no zone and is read as UTC, so a payment
     * stamped in local time may look up to this much later than its record's timestamp without being wrong.
     */
    static final long MAX_ZONE_OFFSET_MS = 14 * 3_600_000L;

    /**
     * @return null when the payment time is not after its record's timestamp (allowing the clock skew and a time-zone
     *         offset), else {@link RejectReason#FUTURE_EVENT_TIME}; a record without a timestamp (negative) passes
     */
    RejectReason checkEventTime(long eventEpochSeconds, long recordTimestampMs) {
        return datedAfterRecord(eventEpochSeconds, recordTimestampMs, maxFutureSkewMs)
                ? RejectReason.FUTURE_EVENT_TIME : null;
    }

    /**
     * The {@link RejectReason#FUTURE_EVENT_TIME} rule, for the scorer and for the commands that read its input topic
     * back ({@code retrain}, {@code backfill --events-from}): the payment is dated after its record's timestamp by more
     * than the clock skew and the widest time-zone offset; a record without a timestamp (negative) is not.
     */
    public static boolean datedAfterRecord(long eventEpochSeconds, long recordTimestampMs, long maxFutureSkewMs) {
        return recordTimestampMs >= 0
                && eventEpochSeconds * 1000 > recordTimestampMs + maxFutureSkewMs + MAX_ZONE_OFFSET_MS;
    }

    String eventTimeDetail(long eventEpochSeconds, long recordTimestampMs) {
        // TX_DATETIME is a wall-clock time without a zone: written as it is written, not as an instant ("...Z")
        return "TX_DATETIME " + org.fraudscorer.common.features.events.TxDateTime.format(eventEpochSeconds)
                + " is after the record's timestamp "
                + Instant.ofEpochMilli(recordTimestampMs) + " by " + Duration.ofMillis(eventEpochSeconds * 1000
                - recordTimestampMs) + " (allowed: the clock skew " + Duration.ofMillis(maxFutureSkewMs)
                + " and a time-zone offset of at most 14 h)";
    }

    String detail(RejectReason reason, long recordTimestampMs, long nowMs) {
        String at = recordTimestampMs >= 0 ? Instant.ofEpochMilli(recordTimestampMs).toString() : String.valueOf(recordTimestampMs);
        return reason == RejectReason.FUTURE_TIMESTAMP
                ? "record timestamp " + at + " is " + Duration.ofMillis(recordTimestampMs - nowMs)
                        + " ahead of the scorer's clock (allowed skew " + Duration.ofMillis(maxFutureSkewMs) + ")"
                : "record timestamp " + at + " is " + Duration.ofMillis(nowMs - recordTimestampMs)
                        + " old (maximum age " + Duration.ofMillis(maxEventAgeMs) + ")";
    }
}
