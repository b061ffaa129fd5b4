package org.fraudscorer.scorer.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.error.DeadLetter;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.serde.RejectReason;
import org.fraudscorer.scorer.serde.TransactionParser;
import org.fraudscorer.scorer.server.ScorerMetrics;

/**
 * validate → preprocess → network → decide, for one record at a time. Every record leaves as exactly one
 * {@link Routed}: flagged, clean or dead letter — a parse failure or any exception while scoring becomes a dead
 * letter, never a stopped stream. The model is read once per record from the registry, so a live swap never
 * splits a record between two versions. While a challenger is held, a scored record is followed by its shadow
 * record (both decisions), which the challenger never routes.
 */
final class ScoringProcessor implements Processor<byte[], byte[], byte[], Routed> {
    private final ModelRegistry registry;
    private final ScorerConfig config;
    private final ScorerMetrics metrics;
    private final RecordTimeGuard timeGuard;
    private ProcessorContext<byte[], Routed> context;
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
    public void init(ProcessorContext<byte[], Routed> context) {
        this.context = context;
        ModelBundle first = registry.current();
        this.parser = new TransactionParser(first.schema(), config.maxEventBytes());
        this.inputs = new double[first.schema().inputCount()];
        this.scoring = new RecordScoring(registry, config, metrics);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        long start = System.nanoTime();
        byte[] raw = record.value();
        model = scoring.serving();
        Routed out;
        String envelope = Envelope.refusal(record.key(), record.headers(), config.maxEnvelopeBytes());
        if (envelope != null) { // its outputs would carry the key and headers on: refused, and written without them
            out = deadLetter(DeadLetter.of(RejectReason.OVERSIZE, envelope, origin(record), new byte[0],
                    model.modelVersion()));
            // the key is kept unless it alone is over the limit: the dead letter must be writable
            byte[] key = record.key() != null && record.key().length > config.maxEnvelopeBytes() ? null : record.key();
            context.forward(record.withKey(key).withValue(out)
                    .withHeaders(new org.apache.kafka.common.header.internals.RecordHeaders()));
            return;
        }
        try {
            long now = System.currentTimeMillis();
            var stale = timeGuard.check(record.timestamp(), now);
            var result = stale == null ? parser.parse(raw, inputs) : null;
            if (stale != null) {
                out = deadLetter(record, stale, timeGuard.detail(stale, record.timestamp(), now));
            } else if (!result.isOk()) {
                out = deadLetter(record, result.reason(), result.detail());
            } else {
                out = scoring.score(raw, result.id(), inputs, null, record.timestamp(), start);
            }
        } catch (RuntimeException e) {
            out = deadLetter(DeadLetter.processingError(e, origin(record), raw, model.modelVersion()));
        }
        context.forward(record.withValue(out));
        Routed shadow = scoring.takeShadow();
        if (shadow != null) {
            context.forward(record.withValue(shadow)); // after the routed record, in the same transaction
        }
    }

    private DeadLetter.Origin origin(Record<byte[], byte[]> record) {
        return DeadLetterRoute.origin(context, config.topics().input(), record.timestamp());
    }

    private Routed deadLetter(Record<byte[], byte[]> record, RejectReason reason, String detail) {
        return deadLetter(DeadLetter.of(reason, detail, origin(record), record.value(), model.modelVersion()));
    }

    private Routed deadLetter(DeadLetter d) {
        return new Routed(Routed.Route.DEAD_LETTER, DeadLetterRoute.emit(d, metrics));
    }
}
