package org.fraudscorer.trainer.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.common.metrics.BinaryReport;
import org.fraudscorer.common.metrics.RankingMetrics;
import org.fraudscorer.common.metrics.ThresholdChoice;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelScorer;
import org.fraudscorer.common.model.ThresholdInfo;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.ThresholdPolicy;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.TrainingListener;

/**
 * Models of the handbook schema from raw events: train on a period, score and measure a period. Features always
 * come from a replay of the whole file ({@link FeatureReplay}), so payments before a period serve as its history,
 * exactly as the live scorer's stores would hold them.
 */
public final class HandbookModels {
    /** Provenance key of the label delay the model's terminal features were computed with. */
    public static final String DELAY_KEY = HandbookFeatures.DELAY_PROVENANCE_KEY;

    private HandbookModels() {
    }

    /** A trained model and what the training measured. */
    public record Trained(ModelBundle bundle, HandbookProtocol.Fitted fitted, int[] trainRows, int[] validationRows,
                          int trainFrauds, ThresholdChoice threshold, BinaryReport validation) {
    }

    /**
     * Fits the scaler on the period's payments, trains on a stratified 80% of them, keeps the best epoch and
     * chooses the threshold on the other 20% (the validation slice).
     */
    public static Trained train(RawEvents events, double[] features, EventPeriod period, int delayDays,
                                TrainerConfig config, ThresholdPolicy policy, TrainingListener listener) {
        int[] rows = period.rows(events, "training");
        int frauds = 0;
        for (int i : rows) {
            frauds += events.label(i);
        }
        if (frauds == 0) {
            throw new IllegalArgumentException("no fraud among the " + rows.length + " training events of "
                    + period + ": a model cannot learn fraud from them");
        }
        HandbookProtocol protocol = new HandbookProtocol(events, features, delayDays, config);
        HandbookProtocol.Fitted fitted = protocol.fit(rows, listener);
        int[] validation = protocol.stratifiedHoldOut(rows, HandbookProtocol.VALIDATION_SHARE, config.seed())[1];
        double[] scores = fitted.scores(validation);
        int[] y = labels(events, validation);
        double[] amounts = new double[validation.length];
        for (int r = 0; r < validation.length; r++) {
            amounts[r] = events.amount(validation[r]);
        }
        ThresholdChoice choice = policy.choose(scores, y, null, amounts);
        double threshold = Math.min(1.0, Math.max(0.0, choice.threshold()));
        BinaryReport report = BinaryReport.of(scores, y, null, threshold);

        Instant now = Instant.now();
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        metrics.put("validation", FraudModelTrainer.metricMap(report));
        Map<String, Object> hyper = FraudModelTrainer.configParameters(config);
        hyper.put("validationShare", HandbookProtocol.VALIDATION_SHARE);
        hyper.put("thresholdPolicy", FraudModelTrainer.describe(policy));
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("library", "fraud-scorer " + FraudModelTrainer.version());
        provenance.put("java", System.getProperty("java.version"));
        provenance.put("data", events.source());
        provenance.put("events", events.size());
        provenance.put("features", "handbook-v1, replayed over all events of the file (earlier ones as history)");
        provenance.put("trainFrom", String.valueOf(period.from()));
        provenance.put("trainTo", String.valueOf(period.to()));
        provenance.put("trainRows", rows.length - validation.length);
        provenance.put("validationRows", validation.length);
        provenance.put("trainFrauds", frauds);
        provenance.put(DELAY_KEY, delayDays);
        provenance.put("bestEpoch", fitted.training().bestEpoch());
        provenance.put("trainingSeconds", fitted.training().seconds());
        ModelBundle bundle = new ModelBundle(ModelBundle.versionFor(now), now, FeatureSchema.HANDBOOK,
                fitted.preprocessing(), fitted.training().network(), new ThresholdInfo(threshold, choice.method()),
                config.seed(), metrics, hyper, provenance, null);
        return new Trained(bundle, fitted, rows, validation, frauds, choice, report);
    }

    /** The label delay a model was trained with (its provenance), the handbook's 7 days for older files. */
    public static int delayDays(ModelBundle m) {
        Object d = m.provenance().get(DELAY_KEY);
        return d instanceof Number n ? n.intValue() : HandbookFeatures.DEFAULT_DELAY_DAYS;
    }

    /** Refuses a model that does not read the handbook's features, naming both schemas. */
    public static void requireHandbookModel(ModelBundle m, String data) {
        if (!m.schema().equals(FeatureSchema.HANDBOOK)) {
            throw new IllegalArgumentException("model " + m.modelVersion() + " uses feature schema "
                    + m.schema().name() + ", but " + data + " holds raw payment events (schema "
                    + FeatureSchema.HANDBOOK.name() + "): train a model on raw events");
        }
    }

    /**
     * Probabilities of the given rows through {@link ModelScorer}, one event at a time: the very code the
     * streaming scorer runs, so batch and live probabilities agree to the last bit.
     */
    public static double[] probabilities(ModelBundle m, double[] features, int[] rows) {
        ModelScorer scorer = m.newScorer();
        int f = HandbookFeatures.COUNT;
        double[] x = new double[f];
        double[] p = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(features, rows[r] * f, x, 0, f);
            p[r] = scorer.probability(x);
        }
        return p;
    }

    /** Ranking and decision metrics of scored rows: AUC ROC, AP, CP@100 and the confusion at the threshold. */
    public record Evaluation(int rows, int frauds, double aucRoc, double averagePrecision, double cardPrecision,
                             BinaryReport atThreshold) {
    }

    public static Evaluation evaluate(RawEvents events, int[] rows, double[] p, double threshold) {
        int[] y = labels(events, rows);
        long[] days = new long[rows.length];
        long[] cards = new long[rows.length];
        int frauds = 0;
        for (int r = 0; r < rows.length; r++) {
            days[r] = HandbookSplit.day(events, rows[r]);
            cards[r] = events.customer(rows[r]);
            frauds += y[r];
        }
        return new Evaluation(rows.length, frauds, RankingMetrics.rocAuc(p, y, null),
                RankingMetrics.averagePrecision(p, y, null),
                CardPrecision.meanTopK(days, cards, p, y, HandbookProtocol.TOP_K), BinaryReport.of(p, y, null, threshold));
    }

    static int[] labels(RawEvents events, int[] rows) {
        int[] y = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            y[r] = events.label(rows[r]);
        }
        return y;
    }
}
