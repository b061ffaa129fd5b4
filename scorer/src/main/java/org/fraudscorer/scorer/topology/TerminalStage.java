package org.fraudscorer.scorer.topology;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;
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
 * terminal features, then joins it. A backfilled event ({@link Backfill}) brings its own label, applied as soon as
 * it has joined.
 *
 * <p>The store holds a terminal's history by day, in records of a bounded number of payments ({@link TerminalDays}):
 * a payment or a label rewrites the records of its own day from the one that holds it, so a busy terminal's write
 * per payment stays small, and no record outgrows Kafka's record limit whatever its traffic.
 */
final class TerminalStage extends HistoryStage {
    static final String STORE = "terminal-histories";
    private final int delayDays;
    private final int recordPayments;
    private TerminalDays days;

    /** @param recordPayments the most payments one store record holds ({@link TerminalDays#DEFAULT_RECORD_PAYMENTS}) */
    TerminalStage(int delayDays, int recordPayments, ScorerConfig config, ModelRegistry registry,
                  ScorerMetrics metrics) {
        super(STORE, (delayDays + 30L) * HandbookFeatures.DAY, config, registry, metrics);
        this.delayDays = delayDays;
        this.recordPayments = recordPayments;
    }

    @Override
    @SuppressWarnings("unchecked")
    void useStore(StateStore store) {
        this.days = new TerminalDays(TerminalDays.of((KeyValueStore<Bytes, byte[]>) store), recordPayments);
    }

    @Override
    Staged apply(long terminal, Staged s, Headers headers) {
        TerminalHistory h = days.load(terminal, delayDays);
        if (h != null && h.delayDays() != delayDays) {
            throw new IncompatibleStateException("terminal " + terminal + "'s history was built for models with a "
                    + h.delayDays() + "-day label delay, but the serving model's is " + delayDays + " days: its terminal "
                    + "features would mix both; run this model under a new --application-id and --model-topic, and warm "
                    + "it with './fraud backfill'");
        }
        if (s.kind() == Staged.LABEL) {
            boolean matched = h != null && h.label(s.epochSeconds(), s.transactionId(), s.fraud());
            if (matched) {
                days.save(terminal, h, HandbookFeatures.day(s.epochSeconds()));
            }
            metrics.label(matched);
            metrics.labelled(s.transactionId(), s.fraud()); // against the payment's decision (and shadow pair)
            return null; // a label ends here
        }
        if (h == null) {
            h = new TerminalHistory(delayDays);
        } else if (h.tooLate(s.epochSeconds())) {
            // the card stage took it (its card's history was recent enough); its terminal's no longer holds its windows
            return late("terminal", terminal, s, h.newestTime(), h.keptSeconds());
        } else if (!Backfill.isMarked(headers)) { // history is stored, not scored
            noteIfLate("terminal", terminal, s, h.size(), h.newestTime());
        }
        FeatureEngine.terminalStage(s.transactionId(), s.epochSeconds(), h, s.features());
        int historyLabel = Backfill.label(headers);
        if (historyLabel >= 0) { // a backfilled payment with its label: held now, so it always matches
            metrics.label(h.label(s.epochSeconds(), s.transactionId(), historyLabel == 1));
        }
        days.save(terminal, h, HandbookFeatures.day(s.epochSeconds()));
        return s;
    }

    @Override
    void forget(long terminal) {
        days.forget(terminal);
    }

    @Override
    void sweep(long cutoff) {
        days.sweep(cutoff);
    }
}
