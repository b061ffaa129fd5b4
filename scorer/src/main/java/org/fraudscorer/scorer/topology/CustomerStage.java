package org.fraudscorer.scorer.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudscorer.common.features.events.CustomerHistory;
import org.fraudscorer.common.features.events.FeatureEngine;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.scorer.config.Backfill;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.error.DeadLetter;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.serde.RejectReason;
import org.fraudscorer.scorer.server.ScorerMetrics;

/**
 * On the customer-keyed partition: the event's card features from the card's stored history (then updated).
 *
 * <p>It also refuses a payment delivered twice. The card's record ({@link CardRecord}) keeps, beside its history, the
 * payments it took lately: transaction id, {@code TX_DATETIME} and the input partition and offset it came from, for
 * the duplicate window and a day's grace before the card's newest payment. A payment whose id is there with a time
 * within the window of its own, from another input record, is a dead letter ({@code DUPLICATE_EVENT}, naming where the
 * first copy came from) and changes nothing; the same input record processed again (at-least-once, after a crash) is
 * scored again with its first pass's payment taken out of the history first, and stored once. A copy of a payment has
 * its card, so it reaches this partition and this record. History events of a backfill ({@link Backfill}) are not
 * checked against these; a backfill is checked per run instead: the record keeps the spans of history backfill runs
 * stored for the card ({@link CardRecord#storedSpan}), and a history payment within the span other runs stored (the
 * same days backfilled again, or a stopped backfill run again from its start) is a dead letter ({@code
 * DUPLICATE_EVENT}) and changes nothing, so each history payment is stored once.
 */
final class CustomerStage extends HistoryStage {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CustomerStage.class);
    static final String STORE = "customer-histories";

    /** Fixed for the scorer's life: a live swap keeps the schema, so the feature set never changes under a store. */
    private final HandbookFeatures.Version version;
    private final org.fraudscorer.common.features.events.CustomerHistory.Scratch scratch =
            new org.fraudscorer.common.features.events.CustomerHistory.Scratch();
    private KeyValueStore<Long, byte[]> store;
    /** The duplicate window in seconds; 0 = no check. */
    private final long windowSeconds;
    private final StoreLimits limits;
    private long capped;
    private long takenCapped;

    CustomerStage(ScorerConfig config, ModelRegistry registry, ScorerMetrics metrics, StoreLimits limits) {
        super(STORE, HandbookFeatures.CARD_HORIZON, config, registry, metrics);
        this.limits = limits;
        this.windowSeconds = (config.duplicateWindowMs() + 999) / 1000; // a part of a second counts as one
        this.version = registry.current().schema().handbookVersion().orElseThrow(() -> new IllegalStateException(
                "the raw-event topology needs a raw-event model, got schema " + registry.current().schema().name()));
    }

    @Override
    @SuppressWarnings("unchecked")
    void useStore(StateStore store) {
        this.store = (KeyValueStore<Long, byte[]>) store;
    }

    /** What an event is to the payments its card already took. */
    enum Copy {
        /** Not taken within the window: stored and scored. */
        NEW,
        /** Taken from another input record within the window: a dead letter. */
        DUPLICATE,
        /** This very input record, taken before (processed again after a crash): scored again, stored once. */
        AGAIN
    }

    /** What the event is, given the card's taken payment {@code i} it matches ({@link CardRecord#match}; −1: none). */
    static Copy classify(CardRecord card, int i, int partition, long offset) {
        if (i < 0) {
            return Copy.NEW;
        }
        return card.takenPartition(i) == partition && card.takenOffset(i) == offset ? Copy.AGAIN : Copy.DUPLICATE;
    }

    @Override
    Staged apply(long customer, Staged s, Headers headers) {
        byte[] stored = store.get(customer);
        CardRecord card = stored == null ? new CardRecord() : CardRecord.read(stored);
        long run = Backfill.run(headers);
        if (run != 0 && card.storedByAnotherRun(run, s.epochSeconds())) {
            return storedBefore(customer, s, card.storedSpan(run));
        }
        if (card.history.tooLate(s.epochSeconds())) {
            return late("card", customer, s, card.history.newestTime(), CustomerHistory.KEPT_SECONDS);
        }
        boolean check = windowSeconds > 0 && !Backfill.isMarked(headers);
        Copy copy = Copy.NEW;
        if (check) {
            int i = card.match(s.transactionId(), s.epochSeconds(), s.sourcePartition(), s.sourceOffset(),
                    windowSeconds);
            copy = classify(card, i, s.sourcePartition(), s.sourceOffset());
            if (copy == Copy.DUPLICATE) {
                return duplicate(s, card, i);
            }
            if (copy == Copy.AGAIN) {
                // Its first pass is in the history (one record holds both): taken out, it is observed again below.
                card.history.removeOne(s.epochSeconds(), s.amount());
            } else {
                card.take(s.transactionId(), s.epochSeconds(), card.history.newestTime(), s.sourcePartition(),
                        s.sourceOffset());
            }
        }
        if (!Backfill.isMarked(headers)) { // history is stored, not scored
            noteIfLate("card", customer, s, card.history.size(), card.history.newestTime());
        }
        if (run != 0) {
            card.storedByRun(run, s.epochSeconds());
        }
        double[] f = new double[version.count()];
        FeatureEngine.customerStage(version, s.epochSeconds(), s.amount(), card.history, f, scratch);
        if (card.pruneTaken(windowSeconds == 0 ? Long.MAX_VALUE
                : card.history.newestTime() - windowSeconds - HandbookFeatures.LATE_GRACE, limits.cardTaken()) > 0) {
            // A card taking more payments in a window than its record remembers: a copy of the oldest would pass.
            metrics.cardTakenCapped();
            if (takenCapped++ % 10_000 == 0) {
                LOG.warn("card {} took more than {} payments within the duplicate window, the most its record "
                        + "remembers: a copy of its oldest would no longer be found (fraud_card_taken_capped_total "
                        + "counts these)", customer, limits.cardTaken());
            }
        }
        if (card.history.keepNewest(limits.cardPayments()) > 0) {
            // Scored with its whole history, stored without the oldest payments: a card paying thousands of times a
            // day (card testing) is still scored, and its record stays one the producer may send.
            metrics.cardHistoryCapped();
            if (capped++ % 10_000 == 0) {
                LOG.warn("card {} made more than {} payments in 31 days, the most its record holds: its oldest are "
                        + "dropped, so its 30-day features count fewer payments than offline (raise -p "
                        + "producer.max.request.size and the card changelog's max.message.bytes; "
                        + "fraud_card_history_capped_total counts these)", customer, limits.cardPayments());
            }
        }
        store.put(customer, card.toBytes());
        return new Staged(s.kind(), s.transactionId(), s.epochSeconds(), s.customerId(), s.terminalId(), s.amount(),
                false, s.sourcePartition(), s.sourceOffset(), s.raw(), f);
    }

    private Staged duplicate(Staged s, CardRecord card, int i) {
        String where = config.topics().input() + "-" + card.takenPartition(i) + "@" + card.takenOffset(i);
        String detail = "TRANSACTION_ID " + s.transactionId() + " was already taken from " + where + " (TX_DATETIME "
                + org.fraudscorer.common.features.events.TxDateTime.format(card.takenTime(i))
                + "), within the duplicate window of " + Duration.ofSeconds(windowSeconds)
                + ": a payment delivered twice is stored and scored once";
        return Staged.deadLetter(s.transactionId(), DeadLetterRoute.emit(DeadLetter.of(RejectReason.DUPLICATE_EVENT,
                detail, DeadLetterRoute.origin(config.topics(), s, recordTimestamp), s.raw(),
                registry.current().modelVersion()), metrics));
    }

    private Staged storedBefore(long customer, Staged s, long[] span) {
        String detail = "TRANSACTION_ID " + s.transactionId() + " is history (" + Backfill.HEADER + ") dated "
                + org.fraudscorer.common.features.events.TxDateTime.format(s.epochSeconds()) + ", within the history "
                + "an earlier backfill run stored for card " + customer + " ("
                + org.fraudscorer.common.features.events.TxDateTime.format(span[0]) + " .. "
                + org.fraudscorer.common.features.events.TxDateTime.format(span[1])
                + "): a backfill repeated over the same days stores each payment once";
        return Staged.deadLetter(s.transactionId(), DeadLetterRoute.emit(DeadLetter.of(RejectReason.DUPLICATE_EVENT,
                detail, DeadLetterRoute.origin(config.topics(), s, recordTimestamp), s.raw(),
                registry.current().modelVersion()), metrics));
    }

    @Override
    void forget(long customer) {
        store.delete(customer);
    }

    @Override
    void sweep(long cutoff) {
        List<Long> expired = new ArrayList<>();
        try (KeyValueIterator<Long, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Long, byte[]> kv = it.next();
                if (newestOrExpired(kv.value, CardRecord::newestTime) < cutoff) {
                    expired.add(kv.key);
                }
            }
        }
        for (Long k : expired) {
            store.delete(k);
        }
    }
}
