package org.fraudscorer.scorer.topology;

import java.nio.ByteBuffer;
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
 * Such a label is held in a second store ({@value #EARLY_LABELS}, keyed by terminal and payment) and applied when its
 * payment comes, so the terminal features are those of the replay whatever the arrival order. One that never finds its
 * payment is dropped by the daily sweep once its payment would be older than the history keeps, and counted unmatched
 * then; beyond {@value #MAX_EARLY_LABELS} held in a task, a label is counted unmatched at once (a flood of labels for
 * unknown payments cannot grow the store without bound).
 *
 * <p>The store holds a terminal's history by day, in records of a bounded number of payments ({@link TerminalDays}):
 * a payment or a label rewrites the records of its own day from the one that holds it, so a busy terminal's write
 * per payment stays small, and no record outgrows Kafka's record limit whatever its traffic.
 */
final class TerminalStage extends HistoryStage {
    static final String STORE = "terminal-histories";
    /** Labels that came before their payment: terminal (8 bytes) and transaction id (8) → payment time (8), fraud (1). */
    static final String EARLY_LABELS = "terminal-early-labels";
    static final int MAX_EARLY_LABELS = 100_000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TerminalStage.class);
    private final int delayDays;
    private final int recordPayments;
    private TerminalDays days;
    private KeyValueStore<Bytes, byte[]> earlyLabels;
    /** How many labels {@link #earlyLabels} holds: no store read per payment while it is 0, the usual case. */
    private long early;
    private long earlyRefused;

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
        this.earlyLabels = context.getStateStore(EARLY_LABELS);
        early = 0;
        try (var all = earlyLabels.all()) { // restored from its changelog after a restart: a handful, usually none
            for (; all.hasNext(); all.next()) {
                early++;
            }
        }
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
                metrics.label(true);
            } else if ((h == null || !h.tooLate(s.epochSeconds())) && holdEarly(terminal, s)) {
                metrics.earlyLabel(); // its payment may still come: matched (or expired) then
            } else {
                metrics.label(false);
            }
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
        if (early > 0) { // a label on the labels topic came first: it is later news than the history's own
            Bytes key = earlyKey(terminal, s.transactionId());
            byte[] held = earlyLabels.get(key);
            if (held != null && ByteBuffer.wrap(held).getLong() == s.epochSeconds()) {
                metrics.label(h.label(s.epochSeconds(), s.transactionId(), held[8] == 1));
                earlyLabels.delete(key);
                early--;
            }
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
        if (early == 0) {
            return;
        }
        java.util.List<Bytes> expired = new java.util.ArrayList<>();
        try (var all = earlyLabels.all()) {
            while (all.hasNext()) {
                var e = all.next();
                if (e.value == null || e.value.length != 9 || ByteBuffer.wrap(e.value).getLong() < cutoff) {
                    expired.add(e.key); // its payment would be too old for the history now: it is not coming
                }
            }
        }
        for (Bytes key : expired) {
            earlyLabels.delete(key);
            metrics.label(false);
        }
        early -= expired.size();
    }

    /** Holds a label whose payment has not come; false when {@value #MAX_EARLY_LABELS} are held already. */
    private boolean holdEarly(long terminal, Staged s) {
        Bytes key = earlyKey(terminal, s.transactionId());
        boolean replaces = earlyLabels.get(key) != null; // a corrected label: the later one wins
        if (!replaces && early >= MAX_EARLY_LABELS) {
            if (earlyRefused++ % 10_000 == 0) {
                LOG.warn("{} labels already wait for their payments in this task: the label of payment {} (terminal "
                        + "{}) is counted unmatched (labels for payments the scorer never sees?)", early,
                        s.transactionId(), terminal);
            }
            return false;
        }
        earlyLabels.put(key, ByteBuffer.allocate(9).putLong(s.epochSeconds()).put((byte) (s.fraud() ? 1 : 0))
                .array());
        early += replaces ? 0 : 1;
        return true;
    }

    private static Bytes earlyKey(long terminal, long transactionId) {
        return Bytes.wrap(ByteBuffer.allocate(16).putLong(terminal).putLong(transactionId).array());
    }
}
