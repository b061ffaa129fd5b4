package org.fraudscorer.scorer.topology;

import java.time.Duration;
import java.time.Instant;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.serde.RejectReason;

/**
 * Refuses records whose Kafka timestamp cannot be right: from the future beyond the allowed clock skew, or (when
 * configured) older than the maximum event age. Such a record would skew latency figures and, for raw events,
 * windows; it goes to the dead-letter topic like any other bad input.
 */
final class RecordTimeGuard {
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

    String detail(RejectReason reason, long recordTimestampMs, long nowMs) {
        String at = recordTimestampMs >= 0 ? Instant.ofEpochMilli(recordTimestampMs).toString() : String.valueOf(recordTimestampMs);
        return reason == RejectReason.FUTURE_TIMESTAMP
                ? "record timestamp " + at + " is " + Duration.ofMillis(recordTimestampMs - nowMs)
                        + " ahead of the scorer's clock (allowed skew " + Duration.ofMillis(maxFutureSkewMs) + ")"
                : "record timestamp " + at + " is " + Duration.ofMillis(nowMs - recordTimestampMs)
                        + " old (maximum age " + Duration.ofMillis(maxEventAgeMs) + ")";
    }
}
