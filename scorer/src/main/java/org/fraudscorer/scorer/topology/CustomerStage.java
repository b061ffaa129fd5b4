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
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.fraudscorer.scorer.error.DeadLetter;
import org.fraudscorer.scorer.serde.RejectReason;
import org.fraudscorer.common.features.events.CustomerHistory;
import org.fraudscorer.common.features.events.FeatureEngine;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.server.ScorerMetrics;

/**
 * On the customer-keyed partition: the event's card features from the card's stored history (then updated).
 *
 * <p>It also refuses a payment delivered twice. Each payment taken is remembered by its {@code TRANSACTION_ID} in a
 * window store ({@value #TAKEN_STORE}, at its event time, kept for the duplicate window); a payment whose id is
 * there within the window either side of its own time is a dead letter ({@code DUPLICATE_EVENT}, naming where the
 * first copy came from) and changes no history. A copy of a payment has its card, so it reaches this partition.
 */
final class CustomerStage extends HistoryStage {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CustomerStage.class);
    static final String STORE = "customer-histories";
    static final String TAKEN_STORE = "taken-payments";
    private static final long HORIZON = 30 * HandbookFeatures.DAY;

    /** Fixed for the scorer's life: a live swap keeps the schema, so the feature set never changes under a store. */
    private final HandbookFeatures.Version version;
    private final CustomerHistory.Scratch scratch = new CustomerHistory.Scratch();
    private KeyValueStore<Long, byte[]> store;
    private WindowStore<Long, byte[]> taken;
    private final long duplicateWindowMs;
    /** The most payments a stored history keeps ({@link StoreLimits#cardPayments()}). */
    private final int maxPayments;
    private long capped;

    CustomerStage(ScorerConfig config, ModelRegistry registry, ScorerMetrics metrics, int maxPayments) {
        super(STORE, HORIZON, config, registry, metrics);
        this.maxPayments = maxPayments;
        this.duplicateWindowMs = config.duplicateWindowMs();
        this.version = registry.current().schema().handbookVersion().orElseThrow(() -> new IllegalStateException(
                "the raw-event topology needs a raw-event model, got schema " + registry.current().schema().name()));
    }

    /**
     * The store of payments taken, by transaction id at their event time: kept for the duplicate window (at least a
     * minute, the store's lower bound, when the check is off and it stays empty).
     */
    static StoreBuilder<WindowStore<Long, byte[]>> takenStore(long duplicateWindowMs) {
        Duration window = Duration.ofMillis(Math.max(60_000, duplicateWindowMs));
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(TAKEN_STORE, window, Duration.ofMillis(1),
                false), Serdes.Long(), Serdes.ByteArray());
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

    @Override
    Staged apply(long customer, Staged s, Headers headers) {
        long eventMs = s.epochSeconds() * 1000;
        if (duplicateWindowMs > 0) {
            byte[] first = firstTaken(s.transactionId(), eventMs);
            if (first != null) {
                return duplicate(s, first);
            }
        }
        byte[] stored = store.get(customer);
        CustomerHistory h = stored == null ? new CustomerHistory() : CustomerHistory.fromBytes(stored);
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
        if (duplicateWindowMs > 0) {
            // where this copy came from: the input partition and offset (12 bytes)
            taken.put(s.transactionId(), ByteBuffer.allocate(12).putInt(s.sourcePartition())
                    .putLong(s.sourceOffset()).array(), eventMs);
        }
        return new Staged(s.kind(), s.transactionId(), s.epochSeconds(), s.customerId(), s.terminalId(), s.amount(),
                false, s.sourcePartition(), s.sourceOffset(), s.raw(), f);
    }

    /** Where the payment {@code id} taken within the window around {@code eventMs} came from, or null if none was. */
    private byte[] firstTaken(long id, long eventMs) {
        try (WindowStoreIterator<byte[]> it = taken.fetch(id, eventMs - duplicateWindowMs,
                eventMs + duplicateWindowMs)) {
            return it.hasNext() ? it.next().value : null;
        }
    }

    private Staged duplicate(Staged s, byte[] first) {
        ByteBuffer b = ByteBuffer.wrap(first);
        String where = config.topics().input() + "-" + b.getInt() + "@" + b.getLong();
        String detail = "TRANSACTION_ID " + s.transactionId() + " was already taken from " + where + " within the "
                + "duplicate window (" + Duration.ofMillis(duplicateWindowMs) + " either side of its TX_DATETIME); "
                + "a payment delivered twice is stored and scored once";
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
    }
}
