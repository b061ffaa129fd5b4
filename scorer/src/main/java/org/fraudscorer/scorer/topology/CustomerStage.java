package org.fraudscorer.scorer.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudscorer.common.features.events.CustomerHistory;
import org.fraudscorer.common.features.events.FeatureEngine;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.server.ScorerMetrics;

/** On the customer-keyed partition: the event's card features from the card's stored history (then updated). */
final class CustomerStage extends HistoryStage {
    static final String STORE = "customer-histories";
    private static final long HORIZON = 30 * HandbookFeatures.DAY;

    /** Fixed for the scorer's life: a live swap keeps the schema, so the feature set never changes under a store. */
    private final HandbookFeatures.Version version;
    private final CustomerHistory.Scratch scratch = new CustomerHistory.Scratch();
    private KeyValueStore<Long, byte[]> store;

    CustomerStage(ScorerConfig config, ModelRegistry registry, ScorerMetrics metrics) {
        super(STORE, HORIZON, config, registry, metrics);
        this.version = registry.current().schema().handbookVersion().orElseThrow(() -> new IllegalStateException(
                "the raw-event topology needs a raw-event model, got schema " + registry.current().schema().name()));
    }

    @Override
    @SuppressWarnings("unchecked")
    void useStore(StateStore store) {
        this.store = (KeyValueStore<Long, byte[]>) store;
    }

    @Override
    Staged apply(long customer, Staged s, Headers headers) {
        byte[] stored = store.get(customer);
        CustomerHistory h = stored == null ? new CustomerHistory() : CustomerHistory.fromBytes(stored);
        double[] f = new double[version.count()];
        FeatureEngine.customerStage(version, s.epochSeconds(), s.amount(), h, f, scratch);
        store.put(customer, h.toBytes());
        return new Staged(s.kind(), s.transactionId(), s.epochSeconds(), s.customerId(), s.terminalId(), s.amount(),
                false, s.sourcePartition(), s.sourceOffset(), s.raw(), f);
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
