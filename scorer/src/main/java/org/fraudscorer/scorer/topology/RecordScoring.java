package org.fraudscorer.scorer.topology;

import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.scorer.error.OutputTooLargeException;
import org.fraudscorer.common.model.ModelScorer;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.server.ScorerMetrics;

/**
 * The scoring step both topologies share: take the serving model once per record, run {@link ModelScorer}, decide,
 * explain flagged records, write the output record and count it. One instance per processor (it holds buffers).
 */
final class RecordScoring {
    private final ModelRegistry registry;
    private final ScorerConfig config;
    private final ScorerMetrics metrics;
    private final ScoredRecordWriter writer = new ScoredRecordWriter();
    private final ScoredRecordWriter.Scored scored = new ScoredRecordWriter.Scored();
    private final double[] contributions;
    private final int[] top;
    private final int maxOutputBytes;
    private ModelBundle model;
    private ModelScorer scorer;
    private java.util.List<String> featureNames;

    RecordScoring(ModelRegistry registry, ScorerConfig config, ScorerMetrics metrics) {
        this.registry = registry;
        this.config = config;
        this.metrics = metrics;
        this.contributions = new double[registry.current().schema().featureCount()];
        this.top = new int[Math.max(1, config.topKFeatures())];
        this.maxOutputBytes = config.maxOutputBytes();
    }

    /** Reads the serving model: call once per record, so a live swap never splits a record between versions. */
    ModelBundle serving() {
        ModelBundle serving = registry.current();
        if (serving != model) {
            model = serving;
            scorer = serving.newScorer();
            featureNames = serving.schema().featureNames(); // built per call: once per model, not per record
        }
        return model;
    }

    /**
     * Scores one record with the model of the last {@link #serving()} call.
     *
     * @param inputs         the model's input vector
     * @param inputFeatures  engineered features to include in the output record, or null
     */
    Routed score(byte[] raw, String id, double[] inputs, double[] inputFeatures, long recordTimestamp, long startNanos) {
        double p = scorer.probability(inputs);
        boolean flagged = scorer.flagged(p);
        int topCount = 0;
        if (flagged && config.topKFeatures() > 0) {
            scorer.contributions(contributions);
            topCount = ScoredRecordWriter.topK(contributions, contributions.length, config.topKFeatures(), top);
        }
        long now = System.currentTimeMillis();
        byte[] payload = writer.write(scored.event(raw, flagged || !config.compactClean())
                .decision(id, p, flagged, model).times(now, recordTimestamp)
                .explanation(featureNames, scorer.lastFeatures(), contributions, top, topCount)
                .inputFeatures(inputFeatures));
        if (payload.length > maxOutputBytes) {
            throw new OutputTooLargeException(payload.length, maxOutputBytes);
        }
        if (flagged) {
            metrics.flagged();
        } else {
            metrics.clean();
        }
        metrics.scored(System.nanoTime() - startNanos, p, recordTimestamp, now);
        metrics.monitoring().scored(model, inputs, p, flagged);
        return new Routed(flagged ? Routed.Route.FLAGGED : Routed.Route.CLEAN, payload);
    }
}
