package org.fraudscorer.trainer.train;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.Preprocessing;
import org.fraudscorer.common.metrics.BinaryReport;
import org.fraudscorer.common.metrics.ThresholdChoice;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ThresholdInfo;
import org.fraudscorer.trainer.data.Dataset;
import org.fraudscorer.trainer.data.Splitter;
import org.fraudscorer.trainer.data.Splitter.Split;

/**
 * From labelled transactions to a model bundle: split, fit preprocessing on training rows only, train, choose
 * the threshold on validation rows, measure on test rows, and record all of it in the bundle.
 */
public final class FraudModelTrainer {

    /**
     * @param timeOrdered     time-ordered split (default) or stratified random
     * @param negativeWeight  how many real negatives each negative row stands for, for metrics stated at the real
     *                        prevalence (1 = as sampled)
     */
    public record Options(TrainerConfig config, boolean timeOrdered, double trainFraction, double validationFraction,
                          ThresholdPolicy threshold, double negativeWeight) {
        public static Options defaults() {
            return new Options(TrainerConfig.defaults(), true, 0.60, 0.15, ThresholdPolicy.parse("max-f1"), 1.0);
        }
    }

    /**
     * Money and alerts at the chosen threshold. False alarms and transactions are weighted like the metrics
     * (a negative row standing for {@code w} real payments counts {@code w} times).
     */
    public record BusinessImpact(double fraudCaughtAmount, double fraudMissedAmount, int fraudCaught,
                                 int fraudMissed, double falseAlarms, double transactions) {
        public static BusinessImpact of(double[] scores, int[] labels, double[] amounts, double[] weights,
                                        double threshold) {
            double caught = 0;
            double missed = 0;
            int nc = 0;
            int nm = 0;
            double fa = 0;
            double total = 0;
            for (int i = 0; i < scores.length; i++) {
                double w = weights == null ? 1 : weights[i];
                total += w;
                boolean flag = scores[i] >= threshold;
                if (labels[i] == 1) {
                    if (flag) {
                        caught += amounts[i];
                        nc++;
                    } else {
                        missed += amounts[i];
                        nm++;
                    }
                } else if (flag) {
                    fa += w;
                }
            }
            return new BusinessImpact(caught, missed, nc, nm, fa, total);
        }
    }

    public record Result(ModelBundle bundle, TrainingResult training, Split split, ThresholdChoice threshold,
                         BinaryReport validation, BinaryReport test, double[] testScores, BusinessImpact impact) {
    }

    private FraudModelTrainer() {
    }

    public static Result train(Dataset data, Options o, TrainingListener listener) {
        if (!data.hasLabels()) {
            throw new IllegalArgumentException(data.source() + " has no Class column: training needs labels");
        }
        FeatureSchema schema = FeatureSchema.CREDITCARD;
        Split split = o.timeOrdered()
                ? Splitter.latestAsTest(data, o.trainFraction(), o.validationFraction(), o.config().seed())
                : Splitter.stratified(data, o.trainFraction(), o.validationFraction(), o.config().seed());
        Preprocessing pre = Preprocessing.fit(schema, split.train().inputs(), split.train().rows());
        TrainingSet train = features(pre, split.train());
        TrainingSet val = features(pre, split.validation());
        TrainingSet test = features(pre, split.test());
        TrainingResult fit = new Trainer(o.config()).fit(train, val, listener);

        double[] valScores = Trainer.probabilities(fit.network(), val);
        double[] valWeights = weights(val.y(), o.negativeWeight());
        ThresholdChoice choice = o.threshold().choose(valScores, val.y(), valWeights, split.validation().amounts());
        double threshold = Math.min(1.0, Math.max(0.0, choice.threshold()));
        BinaryReport valReport = BinaryReport.of(valScores, val.y(), valWeights, threshold);
        double[] testScores = Trainer.probabilities(fit.network(), test);
        BinaryReport testReport = BinaryReport.of(testScores, test.y(), weights(test.y(), o.negativeWeight()), threshold);

        Instant now = Instant.now();
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        metrics.put("validation", metricMap(valReport));
        metrics.put("test", metricMap(testReport));
        Map<String, Object> hyper = hyperparameters(o);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("library", "fraud-scorer " + version());
        provenance.put("java", System.getProperty("java.version"));
        provenance.put("data", data.source());
        provenance.put("rows", data.rows());
        provenance.put("trainRows", split.train().rows());
        provenance.put("validationRows", split.validation().rows());
        provenance.put("testRows", split.test().rows());
        provenance.put("trainPositives", split.train().positives());
        provenance.put("bestEpoch", fit.bestEpoch());
        provenance.put("trainingSeconds", fit.seconds());
        ModelBundle bundle = new ModelBundle(ModelBundle.versionFor(now), now, schema, pre, fit.network(),
                new ThresholdInfo(threshold, choice.method()), o.config().seed(), metrics, hyper, provenance, null);
        BusinessImpact impact = BusinessImpact.of(testScores, test.y(), split.test().amounts(),
                weights(test.y(), o.negativeWeight()), threshold);
        return new Result(bundle, fit, split, choice, valReport, testReport, testScores, impact);
    }

    /** Standardised network inputs for every row of a dataset. */
    public static TrainingSet features(Preprocessing pre, Dataset d) {
        int[] y = d.hasLabels() ? d.labels() : new int[d.rows()];
        return new TrainingSet(pre.applyBatch(d.inputs(), d.rows()), y, pre.featureCount());
    }

    static double[] weights(int[] y, double negativeWeight) {
        if (negativeWeight == 1.0) {
            return null;
        }
        double[] w = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            w[i] = y[i] == 1 ? 1.0 : negativeWeight;
        }
        return w;
    }

    public static Map<String, Double> metricMap(BinaryReport r) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("pr_auc", r.prAuc());
        m.put("roc_auc", r.rocAuc());
        m.put("precision", r.precision());
        m.put("recall", r.recall());
        m.put("f1", r.f1());
        m.put("accuracy", r.accuracy());
        m.put("tp", r.matrix().tp());
        m.put("fp", r.matrix().fp());
        m.put("tn", r.matrix().tn());
        m.put("fn", r.matrix().fn());
        return m;
    }

    private static Map<String, Object> hyperparameters(Options o) {
        Map<String, Object> h = configParameters(o.config());
        h.put("split", o.timeOrdered() ? "time" : "stratified");
        h.put("trainFraction", o.trainFraction());
        h.put("validationFraction", o.validationFraction());
        h.put("thresholdPolicy", describe(o.threshold()));
        h.put("negativeWeight", o.negativeWeight());
        return h;
    }

    /** The network and optimisation options of a run, as recorded in a model file (shared by both trainers). */
    public static Map<String, Object> configParameters(TrainerConfig c) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("hidden", java.util.Arrays.stream(c.hidden()).boxed().toList());
        h.put("activation", c.activation());
        h.put("dropout", c.dropout());
        h.put("optimizer", c.optimizer());
        h.put("momentum", c.momentum());
        h.put("learningRate", c.schedule().describe());
        h.put("batchSize", c.batchSize());
        h.put("epochs", c.epochs());
        h.put("l2", c.l2());
        h.put("classWeights", c.classWeights());
        h.put("stratifiedBatches", c.stratified());
        h.put("clipNorm", c.clipNorm());
        h.put("patience", c.patience());
        h.put("resample", c.resample());
        h.put("resampleRatio", c.resampleRatio());
        return h;
    }

    public static String describe(ThresholdPolicy p) {
        return p.kind() + (p.kind().equals("max-f1") ? "" : ":" + p.parameter());
    }

    public static String version() {
        String v = FraudModelTrainer.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
