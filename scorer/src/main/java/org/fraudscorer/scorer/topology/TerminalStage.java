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
 * <p>A label can reach this stage before its payment: it crosses one repartition fewer, so when both topics carry a
 * backlog (a scorer catching up on more than the label delay, a replay at full speed) labels overtake their payments.
 * A label whose payment the terminal's history could still take (not older than it keeps) is held
 * ({@link EarlyLabels}) and applied when the payment comes, so the terminal features are those of the replay
 * whatever the arrival order; the payment then carries it to the scoring step, which checks it against the decision
 * (live precision and recall). A held label whose payment comes too late for the history, or dated otherwise, is
 * counted unmatched then; one whose payment never comes, by the daily sweep once the payment would be older than the
 * history keeps. Why not count sooner a label whose terminal has moved on days past its payment: a catch-up with
 * partitions racing ahead of one another does that to labels whose payments are still coming (a secured-cluster test
 * lost 10 of 705 that way); the in-memory count keeps the wait cheap, and in live traffic such labels are rare (their
 * payments were dead-lettered before this stage). Beyond {@link EarlyLabels#DEFAULT_CAPACITY} held per task a label
 * is counted unmatched at once.
 *
 * <p>The store holds a terminal's history by day, in records of a bounded number of payments ({@link TerminalDays}):
 * a payment or a label rewrites the records of its own day from the one that holds it, so a busy terminal's write
 * per payment stays small, and no record outgrows Kafka's record limit whatever its traffic.
 */
final class TerminalStage extends HistoryStage {
    static final String STORE = "terminal-histories";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TerminalStage.class);
    private final int delayDays;
    private final int recordPayments;
    private TerminalDays days;
    private final int earlyCapacity;
    private EarlyLabels early;
    private long earlyRefused;

    /** @param recordPayments the most payments one store record holds ({@link TerminalDays#DEFAULT_RECORD_PAYMENTS}) */
    TerminalStage(int delayDays, int recordPayments, int earlyCapacity, ScorerConfig config, ModelRegistry registry,
                  ScorerMetrics metrics) {
        super(STORE, HandbookFeatures.terminalHorizon(delayDays), config, registry, metrics);
        this.delayDays = delayDays;
        this.recordPayments = recordPayments;
        this.earlyCapacity = earlyCapacity;
    }

    @Override
    @SuppressWarnings("unchecked")
    void useStore(StateStore store) {
        this.days = new TerminalDays(TerminalDays.of((KeyValueStore<Bytes, byte[]>) store), recordPayments);
        this.early = new EarlyLabels(context.getStateStore(EarlyLabels.STORE), earlyCapacity);
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
            } else if ((h == null || !h.tooLate(s.epochSeconds())) && holdEarly(terminal, s)) {
                metrics.earlyLabel(); // its payment may still come: counted, and checked, when it does
                return null;
            }
            metrics.label(matched);
            metrics.labelled(s.transactionId(), s.fraud()); // against the payment's decision (and shadow pair)
            return null; // a label ends here
        }
        if (h == null) {
            h = new TerminalHistory(delayDays);
        } else if (h.tooLate(s.epochSeconds())) {
            // the card stage took it (its card's history was recent enough); its terminal's no longer holds its windows
            settleUnmatched(early.take(terminal, s.transactionId()), s.transactionId());
            return late("terminal", terminal, s, h.newestTime(), h.keptSeconds());
        } else if (!Backfill.isMarked(headers)) { // history is stored, not scored
            noteIfLate("terminal", terminal, s, h.size(), h.newestTime());
        }
        FeatureEngine.terminalStage(s.transactionId(), s.epochSeconds(), h, s.features());
        int historyLabel = Backfill.label(headers);
        if (historyLabel >= 0) { // a backfilled payment with its label: held now, so it always matches
            metrics.label(h.label(s.epochSeconds(), s.transactionId(), historyLabel == 1));
        }
        Staged out = s;
        EarlyLabels.Held held = early.size() == 0 ? null : early.take(terminal, s.transactionId());
        if (held != null && held.time() == s.epochSeconds()) {
            // it came on the labels topic before its payment: later news than a backfilled payment's own label
            boolean matched = h.label(s.epochSeconds(), s.transactionId(), held.fraud());
            for (int r = 0; r < held.records(); r++) {
                metrics.label(matched);
            }
            out = s.withEarlyLabel(held.fraud()); // the scoring step checks it against the decision it takes
        } else {
            settleUnmatched(held, s.transactionId()); // a label naming another time: not this payment's
        }
        days.save(terminal, h, HandbookFeatures.day(s.epochSeconds()));
        return out;
    }

    @Override
    void forget(long terminal) {
        days.forget(terminal);
    }

    @Override
    void sweep(long cutoff) {
        days.sweep(cutoff);
        for (int r = early.expire(cutoff); r > 0; r--) {
            metrics.label(false); // held labels whose payments would now be too old for the history: not coming
        }
    }

    /** Counts a held label (if any) that found no payment of its time here. */
    private void settleUnmatched(EarlyLabels.Held held, long transactionId) {
        if (held == null) {
            return;
        }
        for (int r = 0; r < held.records(); r++) {
            metrics.label(false);
        }
        metrics.labelled(transactionId, held.fraud());
    }

    /** Holds a label whose payment has not come; false when the task holds as many as it may. */
    private boolean holdEarly(long terminal, Staged s) {
        if (early.hold(terminal, s.transactionId(), s.epochSeconds(), s.fraud())) {
            return true;
        }
        if (earlyRefused++ % 10_000 == 0) {
            LOG.warn("{} labels already wait for their payments in this task: the label of payment {} (terminal {}) "
                    + "is counted unmatched (labels for payments the scorer never sees?)", early.size(),
                    s.transactionId(), terminal);
        }
        return false;
    }
}
