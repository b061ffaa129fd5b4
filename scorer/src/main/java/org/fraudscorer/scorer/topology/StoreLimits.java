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
 */
record StoreLimits(int terminalRecordPayments, int cardPayments) {
    StoreLimits {
        if (terminalRecordPayments < 1 || cardPayments < 1) {
            throw new IllegalArgumentException("store limits must be ≥ 1, got " + terminalRecordPayments + " and "
                    + cardPayments);
        }
    }

    /**
     * 1,024 payments per terminal record; a card history as large as the largest record the scorer sends
     * ({@link ScorerConfig#maxOutputBytes()}: about 86,000 payments in its 31 days with Kafka's default 1 MiB).
     */
    static StoreLimits of(ScorerConfig config) {
        return new StoreLimits(TerminalDays.DEFAULT_RECORD_PAYMENTS,
                CustomerHistory.entriesFitting(config.maxOutputBytes()));
    }

    StoreLimits withTerminalRecordPayments(int n) {
        return new StoreLimits(n, cardPayments);
    }

    StoreLimits withCardPayments(int n) {
        return new StoreLimits(terminalRecordPayments, n);
    }
}
