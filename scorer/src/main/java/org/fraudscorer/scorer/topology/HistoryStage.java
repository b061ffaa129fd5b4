package org.fraudscorer.scorer.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.scorer.config.Backfill;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.error.DeadLetter;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.server.ScorerMetrics;

/**
 * What the customer and terminal stages share: a store of serialised histories keyed by id, dead letters for
 * events that fail (with the source partition and offset carried from intake; {@link DeadLetterRoute#exit} takes
 * them out of the stream right after the stage), and the sweep that keeps the store bounded. Histories drop expired payments whenever they are updated; the sweep removes the histories of ids that
 * stopped paying, once a day of event time, when their newest payment is older than the horizon (plus a day's
 * margin for slightly late events), i.e. when they could no longer change any feature.
 */
abstract class HistoryStage implements FixedKeyProcessor<Long, Staged, Staged> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HistoryStage.class);
    private final String storeName;
    private final long horizonSeconds;
    final ScorerConfig config;
    final ModelRegistry registry;
    final ScorerMetrics metrics;
    FixedKeyProcessorContext<Long, Staged> context;
    KeyValueStore<Long, byte[]> store;
    private long newestEventTime = Long.MIN_VALUE;
    private long lastSweepDay = Long.MIN_VALUE;

    HistoryStage(String storeName, long horizonSeconds, ScorerConfig config, ModelRegistry registry,
                 ScorerMetrics metrics) {
        this.storeName = storeName;
        this.horizonSeconds = horizonSeconds;
        this.config = config;
        this.registry = registry;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<Long, Staged> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    /** Newest time of a stored history, for the sweep. */
    abstract long newestTime(byte[] history);

    @Override
    public final void process(FixedKeyRecord<Long, Staged> record) {
        Staged s = record.value();
        Staged out;
        try {
            out = apply(record.key(), s, record.headers());
        } catch (IncompatibleStateException e) {
            throw e; // not this record's fault nor this history's: the scorer must stop, saying why
        } catch (RuntimeException e) {
            // A corrupt stored history would refuse every later event of this id: drop it, start afresh.
            store.delete(record.key());
            LOG.warn("{}: the history of {} is dropped: the {} of payment {} failed on it ({})", storeName,
                    record.key(), s.isEvent() ? "event" : "label", s.transactionId(), e.toString());
            out = s.isEvent() ? Staged.deadLetter(s.transactionId(), DeadLetterRoute.emit(DeadLetter.processingError(e,
                    DeadLetterRoute.origin(config.topics(), s, record.timestamp()), s.raw(),
                    registry.current().modelVersion()), metrics)) : null;
        }
        // Outside the try: what the stages downstream throw is theirs, not a sign that this history is corrupt.
        if (out != null) {
            context.forward(record.withValue(out));
        }
        if (s.isEvent()) {
            sweepIfNewDay(s.epochSeconds());
        }
    }

    /**
     * Updates the history of {@code key} with the record; returns what to forward, or null for nothing.
     *
     * @param headers the record's Kafka headers (a history event's label rides in them: {@link Backfill})
     */
    abstract Staged apply(long key, Staged s, Headers headers);

    private void sweepIfNewDay(long eventTime) {
        newestEventTime = Math.max(newestEventTime, eventTime);
        long day = Math.floorDiv(newestEventTime, HandbookFeatures.DAY);
        if (lastSweepDay == Long.MIN_VALUE) {
            lastSweepDay = day; // no sweep on the first record: a restart should not scan the store at once
            return;
        }
        if (day <= lastSweepDay) {
            return;
        }
        lastSweepDay = day;
        long cutoff = newestEventTime - horizonSeconds - HandbookFeatures.DAY;
        List<Long> expired = new ArrayList<>();
        try (KeyValueIterator<Long, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Long, byte[]> kv = it.next();
                if (newestTime(kv.value) < cutoff) {
                    expired.add(kv.key);
                }
            }
        }
        for (Long k : expired) {
            store.delete(k);
        }
    }
}
