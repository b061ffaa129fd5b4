package org.fraudscorer.scorer.topology;

import org.fraudscorer.common.features.events.CustomerHistory;
import org.fraudscorer.scorer.config.ScorerConfig;

/**
 * How much one record of each raw-event store holds, so that no changelog record outgrows what the producer may send
 * (a send Kafka refuses would fail the stream thread on the same event after every restart). Tests set them low.
 *
 * @param terminalRecordPayments the most payments one terminal-store record holds ({@link TerminalDays})
 * @param cardPayments           the most payments one card's stored history holds: beyond it the oldest are dropped
 *                               ({@link CustomerStage})
 * @param cardTaken              the most payments a card's record remembers against duplicates ({@link CardRecord}):
 *                               beyond it the oldest are forgotten
 * @param earlyLabels            the most labels a terminal-stage task holds for payments not come yet
 *                               ({@link EarlyLabels})
 */
record StoreLimits(int terminalRecordPayments, int cardPayments, int cardTaken, int earlyLabels) {
    StoreLimits {
        if (terminalRecordPayments < 1 || cardPayments < 1 || cardTaken < 1 || earlyLabels < 1) {
            throw new IllegalArgumentException("store limits must be ≥ 1, got " + terminalRecordPayments + ", "
                    + cardPayments + ", " + cardTaken + " and " + earlyLabels);
        }
    }

    /**
     * 1,024 payments per terminal record; a card record (a backfilled card's, format 17, the larger) as large as the
     * largest record the scorer sends ({@link ScorerConfig#maxOutputBytes()}, about 1 MiB with Kafka's default): a
     * quarter of it for the payments
     * remembered against duplicates (about 7,200), the rest for the history (about 64,000 payments in its 31 days).
     */
    static StoreLimits of(ScorerConfig config) {
        int bytes = config.maxOutputBytes();
        int taken = Math.max(1, bytes / 4 / CardRecord.TAKEN_BYTES);
        return new StoreLimits(TerminalDays.DEFAULT_RECORD_PAYMENTS,
                CustomerHistory.entriesFitting(bytes - CardRecord.HEADER_BYTES - CardRecord.BACKFILL_BYTES
                        - taken * CardRecord.TAKEN_BYTES), taken, EarlyLabels.DEFAULT_CAPACITY);
    }

    StoreLimits withTerminalRecordPayments(int n) {
        return new StoreLimits(n, cardPayments, cardTaken, earlyLabels);
    }

    StoreLimits withCardPayments(int n) {
        return new StoreLimits(terminalRecordPayments, n, cardTaken, earlyLabels);
    }

    StoreLimits withEarlyLabels(int n) {
        return new StoreLimits(terminalRecordPayments, cardPayments, cardTaken, n);
    }
}
