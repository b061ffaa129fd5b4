package org.fraudscorer.scorer.topology;

import org.apache.kafka.common.header.Headers;
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

    CustomerStage(ScorerConfig config, ModelRegistry registry, ScorerMetrics metrics) {
        super(STORE, HORIZON, config, registry, metrics);
    }

    @Override
    Staged apply(long customer, Staged s, Headers headers) {
        byte[] stored = store.get(customer);
        CustomerHistory h = stored == null ? new CustomerHistory() : CustomerHistory.fromBytes(stored);
        double[] f = new double[HandbookFeatures.COUNT];
        FeatureEngine.customerStage(s.epochSeconds(), s.amount(), h, f);
        store.put(customer, h.toBytes());
        return new Staged(s.kind(), s.transactionId(), s.epochSeconds(), s.customerId(), s.terminalId(), s.amount(),
                false, s.sourcePartition(), s.sourceOffset(), s.raw(), f);
    }

    @Override
    long newestTime(byte[] history) {
        return CustomerHistory.fromBytes(history).newestTime();
    }
}
