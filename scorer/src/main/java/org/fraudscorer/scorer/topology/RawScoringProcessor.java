package org.fraudscorer.scorer.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelScorer;
import org.fraudscorer.scorer.config.Backfill;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.error.DeadLetter;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.server.ScorerMetrics;

/**
 * Scores a raw event whose features are complete, with {@link ModelScorer} as the creditcard path does, and
 * writes the same output record (input event, probability, threshold, decision, model version and checksum, top
 * features) plus the engineered {@code features}; an exception while scoring makes a dead letter, sent with the
 * scored records (earlier stages' dead letters never reach it: they leave at their stage). Output records are
 * keyed by the transaction id (decimal text), as the creditcard producers key theirs, not by the terminal the last
 * repartition used. A history event marked by {@link Backfill} has done its work in the stages before (the
 * stores hold it) and is dropped here, counted as {@code fraud_events_total{outcome="backfilled"}}.
 */
final class RawScoringProcessor implements Processor<Long, Staged, byte[], Routed> {
    private final ModelRegistry registry;
    private final ScorerConfig config;
    private final ScorerMetrics metrics;
    private ProcessorContext<byte[], Routed> context;
    private RecordScoring scoring;

    RawScoringProcessor(ModelRegistry registry, ScorerConfig config, ScorerMetrics metrics) {
        this.registry = registry;
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], Routed> context) {
        this.context = context;
        this.scoring = new RecordScoring(registry, config, metrics);
    }

    @Override
    public void process(Record<Long, Staged> record) {
        Staged s = record.value();
        if (Backfill.isMarked(record.headers())) {
            metrics.backfilled(); // history: the stages before have stored it; no decision for the past
            if (s.kind() == Staged.EVENT_LABELLED) {
                metrics.labelled(s.transactionId(), s.fraud()); // a label with no decision to check
            }
            return;
        }
        byte[] key = DeadLetterRoute.transactionKey(s.transactionId());
        long start = System.nanoTime();
        ModelBundle model = scoring.serving(); // once per record: a live swap never splits a record
        Routed out;
        boolean scored = false;
        try {
            out = scoring.score(s.raw(), Long.toString(s.transactionId()), s.features(), s.features(),
                    record.timestamp(), start);
            scored = true;
        } catch (RuntimeException e) {
            out = new Routed(Routed.Route.DEAD_LETTER, DeadLetterRoute.emit(DeadLetter.processingError(e,
                    DeadLetterRoute.origin(config.topics(), s, record.timestamp()), s.raw(), model.modelVersion()),
                    metrics));
        }
        context.forward(record.withKey(key).withValue(out));
        Routed shadow = scoring.takeShadow();
        if (scored) { // remembered for the payment's label: the decision, and the shadow pair if a challenger scored it
            metrics.monitoring().decided(s.transactionId(), out.route() == Routed.Route.FLAGGED,
                    shadow == null ? -1 : scoring.shadowDecisions());
        }
        if (s.kind() == Staged.EVENT_LABELLED) { // its label came first: checked now that its decision is taken
            metrics.labelled(s.transactionId(), s.fraud());
        }
        if (shadow != null) {
            context.forward(record.withKey(key).withValue(shadow));
        }
    }
}
