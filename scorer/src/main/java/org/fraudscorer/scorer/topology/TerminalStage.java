package org.fraudscorer.scorer.topology;

import org.apache.kafka.common.header.Headers;
import org.fraudscorer.common.features.events.FeatureEngine;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.common.features.events.TerminalHistory;
import org.fraudscorer.scorer.config.Backfill;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.server.ScorerMetrics;

/**
 * On the terminal-keyed partition, where events and label feedback meet in arrival order: a label marks its
 * payment in the terminal's history and is checked against the payment's remembered decision (live precision and
 * recall, the champion's and a challenger's: {@link ScorerMetrics#labelled}), and ends here; an event gets its
 * terminal features, then joins it. A
 * backfilled event ({@link Backfill}) brings its own label, applied as soon as it has joined.
 */
final class TerminalStage extends HistoryStage {
    static final String STORE = "terminal-histories";
    private final int delayDays;

    TerminalStage(int delayDays, ScorerConfig config, ModelRegistry registry, ScorerMetrics metrics) {
        super(STORE, (delayDays + 30L) * HandbookFeatures.DAY, config, registry, metrics);
        this.delayDays = delayDays;
    }

    @Override
    Staged apply(long terminal, Staged s, Headers headers) {
        byte[] stored = store.get(terminal);
        if (s.kind() == Staged.LABEL) {
            TerminalHistory h = stored == null ? null : TerminalHistory.fromBytes(stored);
            boolean matched = h != null && h.label(s.epochSeconds(), s.transactionId(), s.fraud());
            if (matched) {
                store.put(terminal, h.toBytes());
            }
            metrics.label(matched);
            metrics.labelled(s.transactionId(), s.fraud()); // against the payment's decision (and shadow pair)
            return null; // a label ends here
        }
        TerminalHistory h = stored == null ? new TerminalHistory(delayDays) : TerminalHistory.fromBytes(stored);
        if (h.delayDays() != delayDays) {
            throw new IncompatibleStateException("terminal " + terminal + "'s history was built for models with a "
                    + h.delayDays() + "-day label delay, but the serving model's is " + delayDays + " days: its terminal "
                    + "features would mix both; run this model under a new --application-id and warm it with "
                    + "'./fraud backfill'");
        }
        FeatureEngine.terminalStage(s.transactionId(), s.epochSeconds(), h, s.features());
        int historyLabel = Backfill.label(headers);
        if (historyLabel >= 0) { // a backfilled payment with its label: held now, so it always matches
            metrics.label(h.label(s.epochSeconds(), s.transactionId(), historyLabel == 1));
        }
        store.put(terminal, h.toBytes());
        return s;
    }

    @Override
    long newestTime(byte[] history) {
        return TerminalHistory.fromBytes(history).newestTime();
    }
}
