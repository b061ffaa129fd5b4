package org.fraudscorer.scorer.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelScorer;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.error.DeadLetterRecord;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.server.ScorerMetrics;

/**
 * Scores a raw event whose 15 features are complete, with {@link ModelScorer} as the creditcard path does, and
 * writes the same output record (input event, probability, threshold, decision, model version and checksum, top
 * features) plus the engineered {@code features}. Dead letters from earlier stages pass through. Output records are
 * keyed by the transaction id (decimal text), as the creditcard producers key theirs, not by the terminal the last
 * repartition used.
 */
final class RawScoringProcessor implements Processor<Long, Staged, byte[], Routed> {
    private final ModelRegistry registry;
    private final ScorerConfig config;
    private final ScorerMetrics metrics;
    private final ScoredRecordWriter writer = new ScoredRecordWriter();
    private ProcessorContext<byte[], Routed> context;
    private ModelBundle model;
    private ModelScorer scorer;
    private double[] contributions;
    private int[] top;

    RawScoringProcessor(ModelRegistry registry, ScorerConfig config, ScorerMetrics metrics) {
        this.registry = registry;
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], Routed> context) {
        this.context = context;
        this.contributions = new double[registry.current().schema().featureCount()];
        this.top = new int[Math.max(1, config.topKFeatures())];
    }

    @Override
    public void process(Record<Long, Staged> record) {
        Staged s = record.value();
        byte[] key = Long.toString(s.transactionId()).getBytes(StandardCharsets.US_ASCII);
        if (s.kind() == Staged.DEAD_LETTER) {
            context.forward(record.withKey(key).withValue(new Routed(Routed.Route.DEAD_LETTER, s.raw())));
            return;
        }
        long start = System.nanoTime();
        ModelBundle serving = registry.current(); // once per record: a live swap never splits a record
        if (serving != model) {
            model = serving;
            scorer = serving.newScorer();
        }
        Routed out;
        try {
            double p = scorer.probability(s.features());
            boolean flagged = scorer.flagged(p);
            int topCount = 0;
            if (flagged && config.topKFeatures() > 0) {
                scorer.contributions(contributions);
                topCount = ScoredRecordWriter.topK(contributions, contributions.length, config.topKFeatures(), top);
            }
            long now = System.currentTimeMillis();
            byte[] payload = writer.write(s.raw(), Long.toString(s.transactionId()), p, flagged, model, now,
                    record.timestamp(), model.schema().featureNames(), scorer.lastFeatures(), contributions, top,
                    topCount, s.features());
            out = new Routed(flagged ? Routed.Route.FLAGGED : Routed.Route.CLEAN, payload);
            if (flagged) {
                metrics.flagged();
            } else {
                metrics.clean();
            }
            metrics.scored(System.nanoTime() - start, p, record.timestamp(), now);
        } catch (RuntimeException e) {
            metrics.deadLetter(ScoringProcessor.PROCESSING_ERROR);
            out = new Routed(Routed.Route.DEAD_LETTER, DeadLetterRecord.toJson(ScoringProcessor.PROCESSING_ERROR,
                    e.getClass().getSimpleName() + ": " + e.getMessage(), config.topics().input(), s.sourcePartition(),
                    s.sourceOffset(), record.timestamp(), System.currentTimeMillis(), s.raw(), model.modelVersion()));
        }
        context.forward(record.withKey(key).withValue(out));
    }
}
