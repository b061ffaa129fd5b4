package org.fraudscorer.scorer.topology;

import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.scorer.error.OutputTooLargeException;
import org.fraudscorer.common.model.ModelScorer;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.server.ScorerMetrics;
import org.fraudscorer.scorer.server.ShadowMetrics;

/**
 * The scoring step both topologies share: take the serving model once per record, run {@link ModelScorer}, decide,
 * explain flagged records, write the output record and count it. One instance per processor (it holds buffers).
 *
 * <p>While the registry holds a challenger, the same input vector is then scored by the challenger too (its own
 * preallocated {@link ModelScorer}), after the champion's output record is complete, so the champion's record and
 * route never depend on it: the challenger's decision only goes into a shadow record ({@link #takeShadow()}) and the
 * {@link ShadowMetrics}. A challenger that fails on a record is counted and leaves no shadow record; the champion's
 * record stands.
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
    private final ShadowMetrics shadowMetrics;
    private final ShadowRecordWriter shadowWriter = new ShadowRecordWriter();
    private ModelBundle model;
    private ModelScorer scorer;
    private java.util.List<String> featureNames;
    private ModelBundle challenger;
    /** The registry's challenger at the last change seen (what {@link #challenger} was derived from). */
    private ModelBundle offered;
    private ModelScorer challengerScorer;
    private Routed shadow;
    private int shadowDecisions;

    RecordScoring(ModelRegistry registry, ScorerConfig config, ScorerMetrics metrics) {
        this.registry = registry;
        this.config = config;
        this.metrics = metrics;
        this.contributions = new double[registry.current().schema().featureCount()];
        this.top = new int[Math.max(1, config.topKFeatures())];
        this.maxOutputBytes = config.maxOutputBytes();
        this.shadowMetrics = metrics.shadow();
    }

    /** Reads the serving model: call once per record, so a live swap never splits a record between versions. */
    ModelBundle serving() {
        ModelBundle serving = registry.current();
        ModelBundle shadowing = registry.challenger();
        boolean swapped = serving != model;
        if (swapped) {
            model = serving;
            scorer = serving.newScorer();
            featureNames = serving.schema().featureNames(); // built per call: once per model, not per record
        }
        if (swapped || shadowing != offered) { // reference checks only, per record; the rest once per change
            offered = shadowing;
            // A promotion is applied as two changes (champion, then the challenger's removal): in between, the
            // challenger is the champion itself, and comparing a model with itself would skew the agreement figures.
            ModelBundle shadow = shadowing != null && shadowing.sha256() != null
                    && shadowing.sha256().equals(serving.sha256()) ? null : shadowing;
            if (shadow != challenger) {
                challenger = shadow;
                challengerScorer = shadow == null ? null : shadow.newScorer(); // once per challenger
            }
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
        shadow = null;
        double p = scorer.probability(inputs);
        Decision decision = Decision.of(scorer.flagged(p));
        boolean flagged = decision == Decision.FLAGGED;
        int topCount = 0;
        if (decision.alert && config.topKFeatures() > 0) {
            scorer.contributions(contributions);
            topCount = ModelScorer.topK(contributions, contributions.length, config.topKFeatures(), top);
        }
        long now = System.currentTimeMillis();
        byte[] payload = writer.write(scored.event(raw, decision.alert || !config.compactClean())
                .decision(id, p, decision, model).times(now, recordTimestamp)
                .explanation(featureNames, scorer.lastFeatures(), contributions, top, topCount)
                .inputFeatures(inputFeatures));
        if (payload.length > maxOutputBytes) {
            throw new OutputTooLargeException(payload.length, maxOutputBytes);
        }
        metrics.count(decision.outcome);
        metrics.scored(System.nanoTime() - startNanos, p, recordTimestamp, now);
        metrics.monitoring().scored(model, inputs, p, flagged);
        if (challengerScorer != null) {
            shadow(id, inputs, p, flagged, recordTimestamp, now);
        }
        return new Routed(decision.route, payload);
    }

    /** Scores the record with the challenger into a shadow record; the champion's is already written. */
    private void shadow(String id, double[] inputs, double p, boolean flagged, long recordTimestamp, long now) {
        try {
            double q = challengerScorer.probability(inputs);
            boolean challengerFlagged = challengerScorer.flagged(q);
            byte[] payload = shadowWriter.write(id, recordTimestamp, now, model, p, flagged, challenger, q,
                    challengerFlagged);
            if (payload.length > maxOutputBytes) { // sent, it would fail the transaction of the champion's record
                throw new OutputTooLargeException(payload.length, maxOutputBytes);
            }
            shadow = new Routed(Routed.Route.SHADOW, payload);
            shadowDecisions = ShadowMetrics.decisions(flagged, challengerFlagged);
            shadowMetrics.scored(flagged, challengerFlagged);
        } catch (RuntimeException e) {
            shadow = null;
            shadowMetrics.error();
        }
    }

    /**
     * The shadow record of the last {@link #score} call, once (null without a challenger, or if that call failed):
     * the processor forwards it after the routed record.
     */
    Routed takeShadow() {
        Routed r = shadow;
        shadow = null;
        return r;
    }

    /** The decision pair ({@link ShadowMetrics#decisions}) of the last shadow record taken. */
    int shadowDecisions() {
        return shadowDecisions;
    }
}
