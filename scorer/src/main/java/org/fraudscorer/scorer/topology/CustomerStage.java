package org.fraudscorer.scorer.topology;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.fraudscorer.scorer.error.DeadLetter;
import org.fraudscorer.scorer.serde.RejectReason;
import org.fraudscorer.common.features.events.CustomerHistory;
import org.fraudscorer.common.features.events.FeatureEngine;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.scorer.config.Backfill;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.server.ScorerMetrics;

/**
 * On the customer-keyed partition: the event's card features from the card's stored history (then updated).
 *
 * <p>It also refuses a payment delivered twice. Each payment taken is remembered by its {@code TRANSACTION_ID}
 * ({@value #TAKEN_STORE}: its {@code TX_DATETIME} and the input partition and offset it came from). A payment whose id
 * is there with a time within the duplicate window of its own, from another input record, is a dead letter
 * ({@code DUPLICATE_EVENT}, naming where the first copy came from) and changes no history; the same input record
 * processed again (at-least-once, after a crash) is scored again as on its first pass and stored once. A copy of a
 * payment has its card, so it reaches this partition. History events of a backfill ({@link Backfill}) are neither
 * checked nor remembered: a backfill reads its history once. Entries leave with the stage's daily sweep, on the
 * sweep's clock (the window and a day's grace after their time), so one payment dated far ahead cannot expire them.
 */
final class CustomerStage extends HistoryStage {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CustomerStage.class);
    static final String STORE = "customer-histories";
    static final String TAKEN_STORE = "taken-payments";
    private static final long HORIZON = 30 * HandbookFeatures.DAY;
    /** A taken entry: {@code TX_DATETIME} (epoch seconds), input partition, input offset. */
    static final int TAKEN_BYTES = 8 + 4 + 8;

    /** Fixed for the scorer's life: a live swap keeps the schema, so the feature set never changes under a store. */
    private final HandbookFeatures.Version version;
    private final CustomerHistory.Scratch scratch = new CustomerHistory.Scratch();
    private KeyValueStore<Long, byte[]> store;
    private KeyValueStore<Long, byte[]> taken;
    /** The duplicate window in seconds; 0 = no check. */
    private final long windowSeconds;
    /** The most payments a stored history keeps ({@link StoreLimits#cardPayments()}). */
    private final int maxPayments;
    private long capped;

    CustomerStage(ScorerConfig config, ModelRegistry registry, ScorerMetrics metrics, int maxPayments) {
        super(STORE, HORIZON, config, registry, metrics);
        this.maxPayments = maxPayments;
        this.windowSeconds = config.duplicateWindowMs() / 1000;
        this.version = registry.current().schema().handbookVersion().orElseThrow(() -> new IllegalStateException(
                "the raw-event topology needs a raw-event model, got schema " + registry.current().schema().name()));
    }

    /** The store of payments taken, by transaction id. */
    static StoreBuilder<KeyValueStore<Long, byte[]>> takenStore() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TAKEN_STORE), Serdes.Long(),
                Serdes.ByteArray());
    }

    @Override
    public void init(FixedKeyProcessorContext<Long, Staged> context) {
        super.init(context);
        this.taken = context.getStateStore(TAKEN_STORE);
    }

    @Override
    @SuppressWarnings("unchecked")
    void useStore(StateStore store) {
        this.store = (KeyValueStore<Long, byte[]>) store;
    }

    /** What an event is to the payments already taken. */
    enum Copy {
        /** Not taken within the window: stored and scored. */
        NEW,
        /** Taken from another input record within the window: a dead letter. */
        DUPLICATE,
        /** This very input record, taken before (processed again after a crash): scored again, stored once. */
        AGAIN
    }

    /**
     * @param entry the taken entry of the event's id, or null
     * @param windowSeconds the duplicate window; an entry further from the event's time is an id used again
     */
    static Copy classify(byte[] entry, long epochSeconds, int partition, long offset, long windowSeconds) {
        if (entry == null || entry.length != TAKEN_BYTES) {
            return Copy.NEW;
        }
        ByteBuffer b = ByteBuffer.wrap(entry);
        long time = b.getLong();
        if (Math.abs(time - epochSeconds) > windowSeconds) {
            return Copy.NEW;
        }
        return b.getInt() == partition && b.getLong() == offset ? Copy.AGAIN : Copy.DUPLICATE;
    }

    @Override
    Staged apply(long customer, Staged s, Headers headers) {
        boolean check = windowSeconds > 0 && !Backfill.isMarked(headers);
        Copy copy = Copy.NEW;
        if (check) {
            byte[] entry = taken.get(s.transactionId());
            copy = classify(entry, s.epochSeconds(), s.sourcePartition(), s.sourceOffset(), windowSeconds);
            if (copy == Copy.DUPLICATE) {
                return duplicate(s, entry);
            }
        }
        byte[] stored = store.get(customer);
        CustomerHistory h = stored == null ? new CustomerHistory() : CustomerHistory.fromBytes(stored);
        if (copy == Copy.AGAIN) {
            h.removeOne(s.epochSeconds(), s.amount()); // held since its first pass: observed again below
        }
        double[] f = new double[version.count()];
        FeatureEngine.customerStage(version, s.epochSeconds(), s.amount(), h, f, scratch);
        if (h.keepNewest(maxPayments) > 0) {
            // Scored with its whole history, stored without the oldest payments: a card paying thousands of times a
            // day (card testing) is still scored, and its record stays one the producer may send.
            metrics.cardHistoryCapped();
            if (capped++ % 10_000 == 0) {
                LOG.warn("card {} made more than {} payments in 31 days, the most its history record holds: its "
                        + "oldest are dropped, so its 30-day features count fewer payments than offline (raise -p "
                        + "producer.max.request.size and the card changelog's max.message.bytes; "
                        + "fraud_card_history_capped_total counts these)", customer, maxPayments);
            }
        }
        store.put(customer, h.toBytes());
        if (check && copy == Copy.NEW) {
            taken.put(s.transactionId(), ByteBuffer.allocate(TAKEN_BYTES).putLong(s.epochSeconds())
                    .putInt(s.sourcePartition()).putLong(s.sourceOffset()).array());
        }
        return new Staged(s.kind(), s.transactionId(), s.epochSeconds(), s.customerId(), s.terminalId(), s.amount(),
                false, s.sourcePartition(), s.sourceOffset(), s.raw(), f);
    }

    private Staged duplicate(Staged s, byte[] entry) {
        ByteBuffer b = ByteBuffer.wrap(entry);
        long time = b.getLong();
        String where = config.topics().input() + "-" + b.getInt() + "@" + b.getLong();
        String detail = "TRANSACTION_ID " + s.transactionId() + " was already taken from " + where + " (TX_DATETIME "
                + java.time.LocalDateTime.ofEpochSecond(time, 0, java.time.ZoneOffset.UTC) + "), within the duplicate "
                + "window of " + Duration.ofSeconds(windowSeconds) + ": a payment delivered twice is stored and scored once";
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
                if (newestOrExpired(kv.value, v -> CustomerHistory.fromBytes(v).newestTime()) < cutoff) {
                    expired.add(kv.key);
                }
            }
        }
        for (Long k : expired) {
            store.delete(k);
        }
        sweepTaken(cutoff + HORIZON - windowSeconds);
    }

    /** Removes the taken entries of payments before {@code cutoff}: the sweep's clock less the window and a day. */
    private void sweepTaken(long cutoff) {
        List<Long> expired = new ArrayList<>();
        try (KeyValueIterator<Long, byte[]> it = taken.all()) {
            while (it.hasNext()) {
                KeyValue<Long, byte[]> kv = it.next();
                if (kv.value == null || kv.value.length != TAKEN_BYTES || ByteBuffer.wrap(kv.value).getLong() < cutoff) {
                    expired.add(kv.key);
                }
            }
        }
        for (Long k : expired) {
            taken.delete(k);
        }
    }
}
