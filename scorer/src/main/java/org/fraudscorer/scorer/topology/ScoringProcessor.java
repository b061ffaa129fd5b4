package org.fraudscorer.scorer.topology;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.error.DeadLetterRecord;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.serde.TransactionParser;
import org.fraudscorer.scorer.server.ScorerMetrics;

/**
 * validate → preprocess → network → decide, for one record at a time. Every record leaves as exactly one
 * {@link Routed}: flagged, clean or dead letter — a parse failure or any exception while scoring becomes a dead
 * letter, never a stopped stream. The model is read once per record from the registry, so a live swap never
 * splits a record between two versions.
 */
final class ScoringProcessor implements FixedKeyProcessor<byte[], byte[], Routed> {
    static final String PROCESSING_ERROR = "PROCESSING_ERROR";

    private final ModelRegistry registry;
    private final ScorerConfig config;
    private final ScorerMetrics metrics;
    private final RecordTimeGuard timeGuard;
    private FixedKeyProcessorContext<byte[], Routed> context;
    private TransactionParser parser;
    private RecordScoring scoring;
    private ModelBundle model;
    private double[] inputs;

    ScoringProcessor(ModelRegistry registry, ScorerConfig config, ScorerMetrics metrics) {
        this.registry = registry;
        this.config = config;
        this.metrics = metrics;
        this.timeGuard = new RecordTimeGuard(config);
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Routed> context) {
        this.context = context;
        ModelBundle first = registry.current();
        this.parser = new TransactionParser(first.schema(), config.maxEventBytes());
        this.inputs = new double[first.schema().inputCount()];
        this.scoring = new RecordScoring(registry, config, metrics);
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        long start = System.nanoTime();
        byte[] raw = record.value();
        model = scoring.serving();
        Routed out;
        try {
            long now = System.currentTimeMillis();
            var stale = timeGuard.check(record.timestamp(), now);
            var result = stale == null ? parser.parse(raw, inputs) : null;
            if (stale != null) {
                out = deadLetter(record, stale.code(), timeGuard.detail(stale, record.timestamp(), now));
            } else if (!result.isOk()) {
                out = deadLetter(record, result.reason().name(), result.detail());
            } else {
                out = scoring.score(raw, result.id(), inputs, null, record.timestamp(), start);
            }
        } catch (RuntimeException e) {
            out = deadLetter(record, PROCESSING_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        context.forward(record.withValue(out));
    }

    private Routed deadLetter(FixedKeyRecord<byte[], byte[]> record, String code, String detail) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        metrics.deadLetter(code);
        return new Routed(Routed.Route.DEAD_LETTER, DeadLetterRecord.toJson(code, detail,
                meta == null ? config.topics().input() : meta.topic(), meta == null ? -1 : meta.partition(),
                meta == null ? -1 : meta.offset(), record.timestamp(), System.currentTimeMillis(), record.value(),
                model.modelVersion()));
    }
}
