package org.fraudscorer.trainer.train;

import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.Preprocessing;
import org.fraudscorer.common.metrics.BinaryReport;
import org.fraudscorer.common.metrics.ThresholdChoice;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ThresholdInfo;
import org.fraudscorer.common.nn.MLP;
import org.fraudscorer.trainer.data.Dataset;
import org.fraudscorer.trainer.data.Splitter;
import org.fraudscorer.trainer.data.Splitter.Split;

/**
 * From labelled transactions to a model bundle, in three steps that keep the evaluation honest and still ship a
 * model that learnt from every label:
 * <ol>
 *   <li><b>Select</b> on the development rows (everything but the test part): K-fold cross-validation trains one
 *       network per fold in step and stops on the folds' mean validation PR-AUC ({@link CrossValidation}); the
 *       epoch count is the best mean's, the threshold is chosen on the out-of-fold scores of that epoch.</li>
 *   <li><b>Evaluate</b>: an ensemble of {@code ensemble} seeds ({@link Ensembles}), trained on all development rows
 *       for that many epochs with preprocessing fitted on them, scores the test part (by default the latest 25% by
 *       time), which nothing above has seen. These are the procedure's held-out metrics.</li>
 *   <li><b>Refit</b> (default): the same procedure (preprocessing, ensemble, epoch count, threshold) on every
 *       labelled row, test part included; this is the shipped model, and its file records the held-out metrics of
 *       step 2 and the rows it was refit on. With {@code refit = false} the evaluated model of step 2 is shipped.</li>
 * </ol>
 */
public final class FraudModelTrainer {

    /**
     * @param timeOrdered     time-ordered split (default: the latest rows are the test part) or stratified random
     * @param trainFraction   with {@code validationFraction}: the development rows are the first
     *                        {@code trainFraction + validationFraction} (the split exported for peers keeps both)
     * @param negativeWeight  how many real negatives each negative row stands for, for metrics stated at the real
     *                        prevalence (1 = as sampled)
     * @param folds           cross-validation folds (at least 2)
     * @param ensemble        member networks of the evaluated and the shipped model (at least 1)
     * @param refit           ship a model refit on every labelled row (true) or the evaluated one (false)
     * @param threads         training threads (results do not depend on it)
     */
    public record Options(TrainerConfig config, boolean timeOrdered, double trainFraction, double validationFraction,
                          ThresholdPolicy threshold, double negativeWeight, int folds, int ensemble, boolean refit,
                          int threads) {
        public static final int DEFAULT_FOLDS = 5;
        public static final int DEFAULT_ENSEMBLE = 5;

        public Options {
            if (folds < 2) {
                throw new IllegalArgumentException("--folds must be at least 2, got " + folds);
            }
            if (ensemble < 1 || ensemble > org.fraudscorer.common.model.ModelBundle.MAX_MEMBERS) {
                throw new IllegalArgumentException("--ensemble must be 1 to "
                        + org.fraudscorer.common.model.ModelBundle.MAX_MEMBERS + ", got " + ensemble);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            long parameters = ensemble * config.parameters(1); // one input: a lower bound for every schema
            long most = org.fraudscorer.common.model.ModelFile.MAX_TRAINED_PARAMETERS;
            if (parameters > most) {
                throw new IllegalArgumentException("--ensemble " + ensemble + " of hidden layers "
                        + java.util.Arrays.toString(config.hidden()) + " make a model of over " + parameters
                        + " weights and biases, more than the " + most + " a model file can hold");
            }
        }

        public static Options defaults() {
            return new Options(TrainerConfig.creditcardDefaults(), true, 0.60, 0.15, ThresholdPolicy.parse("max-f1"), 1.0,
                    DEFAULT_FOLDS, DEFAULT_ENSEMBLE, true, defaultThreads());
        }

        public Options withConfig(TrainerConfig c) {
            return new Options(c, timeOrdered, trainFraction, validationFraction, threshold, negativeWeight, folds,
                    ensemble, refit, threads);
        }

        public Options withRefit(boolean r) {
            return new Options(config, timeOrdered, trainFraction, validationFraction, threshold, negativeWeight, folds,
                    ensemble, r, threads);
        }

        public Options withFolds(int k) {
            return new Options(config, timeOrdered, trainFraction, validationFraction, threshold, negativeWeight, k,
                    ensemble, refit, threads);
        }

        public Options withEnsemble(int k) {
            return new Options(config, timeOrdered, trainFraction, validationFraction, threshold, negativeWeight, folds,
                    k, refit, threads);
        }

        public static int defaultThreads() {
            return Math.max(1, Runtime.getRuntime().availableProcessors());
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

    /**
     * @param bundle      the shipped model (refit on every labelled row, or the evaluated model with no refit)
     * @param evaluated   the model whose test metrics are reported (trained on the development rows only)
     * @param selection   the cross-validation that chose the epoch count
     * @param development the development rows, in the order the out-of-fold scores follow
     * @param validation  out-of-fold scores of the development rows at the chosen epoch, at the chosen threshold
     * @param refitRows   rows (and frauds) the shipped model learnt from
     */
    public record Result(ModelBundle bundle, ModelBundle evaluated, CrossValidation.Result selection, Split split,
                         Dataset development, ThresholdChoice threshold, BinaryReport validation, BinaryReport test,
                         double[] testScores, BusinessImpact impact, int refitRows, int refitPositives,
                         double seconds) {
    }

    private FraudModelTrainer() {
    }

    public static Result train(Dataset data, Options o, TrainingListener listener) {
        if (!data.hasLabels()) {
            throw new IllegalArgumentException(data.source() + " has no Class column: training needs labels");
        }
        long start = System.nanoTime();
        FeatureSchema schema = FeatureSchema.CREDITCARD;
        Development d = development(data, o);
        Split split = d.split();
        Dataset dev = d.rows();
        CrossValidation.Folds folds = d.folds();
        List<CrossValidation.FoldData> foldData = d.foldData();
        CrossValidation.Result cv = CrossValidation.run(foldData, o.config(), o.threads(), listener);
        int epochs = cv.bestEpoch();

        // Threshold on the out-of-fold scores (every development row scored once, by a model that did not see it).
        int[] oofRows = concat(folds.validation());
        double[] oofScores = concatScores(cv.oofScores());
        Dataset oof = dev.subset(oofRows);
        double[] oofWeights = weights(oof.labels(), o.negativeWeight());
        ThresholdChoice choice = o.threshold().choose(oofScores, oof.labels(), oofWeights, oof.amounts());
        double threshold = modelThreshold(choice);
        BinaryReport valReport = BinaryReport.of(oofScores, oof.labels(), oofWeights, threshold);

        // 2. Evaluate: the ensemble on all development rows, measured on the test part.
        Preprocessing devPre = o.config().preprocessing(schema, dev.inputs(), dev.rows());
        List<MLP> devMembers = Ensembles.train(o.config(), features(devPre, dev), epochs, o.ensemble(), o.threads());
        TrainingSet test = features(devPre, split.test());
        double[] testScores = Ensembles.probabilities(devMembers, test);
        double[] testWeights = weights(test.y(), o.negativeWeight());
        BinaryReport testReport = BinaryReport.of(testScores, test.y(), testWeights, threshold);

        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        metrics.put("cross_validation", cvMap(cv, folds.count()));
        metrics.put("validation", metricMap(valReport));
        metrics.put("test", metricMap(testReport));
        Map<String, Object> hyper = hyperparameters(o, epochs);
        ProcedureModels models = new ProcedureModels(schema, new ThresholdInfo(threshold, choice.method()),
                o.config().seed(), metrics, hyper, provenance(data, split, dev, cv, folds, o));
        ModelBundle evaluated = models.model(devPre, devMembers, Provenance.EVALUATED, dev.inputs(), dev.rows(),
                dev.positives(), Map.of(), "development rows");

        // 3. Refit on every labelled row with the same settings and epoch count.
        ModelBundle shipped = evaluated;
        int refitRows = dev.rows();
        int refitPositives = dev.positives();
        if (o.refit()) {
            Preprocessing allPre = o.config().preprocessing(schema, data.inputs(), data.rows());
            List<MLP> allMembers = Ensembles.train(o.config(), features(allPre, data), epochs, o.ensemble(),
                    o.threads());
            refitRows = data.rows();
            refitPositives = data.positives();
            shipped = models.model(allPre, allMembers, Provenance.REFIT, data.inputs(), refitRows, refitPositives,
                    Map.of(), "training rows of the refit");
        }
        BusinessImpact impact = BusinessImpact.of(testScores, test.y(), split.test().amounts(), testWeights, threshold);
        return new Result(shipped, evaluated, cv, split, dev, choice, valReport, testReport, testScores, impact,
                refitRows, refitPositives, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The rows a procedure may choose on: the split (test part apart), the development rows (train then validation
     * part) and their stratified folds, each fold standardised by preprocessing fitted on its own training rows.
     */
    public record Development(Split split, Dataset rows, CrossValidation.Folds folds,
                              List<CrossValidation.FoldData> foldData) {
    }

    /** Step 1's input, shared with {@code ./fraud tune} so that a search sees exactly the folds training uses. */
    public static Development development(Dataset data, Options o) {
        if (!data.hasLabels()) {
            throw new IllegalArgumentException(data.source() + " has no Class column: training needs labels");
        }
        FeatureSchema schema = FeatureSchema.CREDITCARD;
        Split split = o.timeOrdered()
                ? Splitter.latestAsTest(data, o.trainFraction(), o.validationFraction(), o.config().seed())
                : Splitter.stratified(data, o.trainFraction(), o.validationFraction(), o.config().seed());
        Dataset dev = Dataset.concat(split.train(), split.validation());
        CrossValidation.Folds folds = CrossValidation.stratified(dev.labels(), o.folds(), o.config().seed());
        List<CrossValidation.FoldData> foldData = new ArrayList<>();
        for (int f = 0; f < folds.count(); f++) {
            Dataset tr = dev.subset(folds.train().get(f));
            Dataset va = dev.subset(folds.validation().get(f));
            Preprocessing pre = Preprocessing.fit(schema, tr.inputs(), tr.rows(), o.config().quantileInputs());
            foldData.add(new CrossValidation.FoldData(features(pre, tr), features(pre, va)));
        }
        return new Development(split, dev, folds, foldData);
    }

    /** Mean ± sd over folds at the chosen epoch, as recorded in the model file. */
    /**
     * The threshold a model file carries for {@code choice}, in [0, 1]. A choice that flags nothing (min-cost, where
     * no alert pays for its false alarms on the out-of-fold scores) is refused: a model that never alerts would be
     * useless, and a stored 1.0 would still flag a probability of exactly 1.
     *
     * @throws IllegalArgumentException naming the policy and its cost when the choice flags nothing
     */
    public static double modelThreshold(ThresholdChoice choice) {
        if (Double.isInfinite(choice.threshold()) && choice.threshold() > 0) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "the threshold policy %s flags nothing: on "
                    + "the out-of-fold scores no threshold costs less than letting every fraud through (cost %.2f); no "
                    + "model written: lower the false-alarm cost, or set --threshold", choice.method(), choice.cost()));
        }
        return Math.min(1.0, Math.max(0.0, choice.threshold()));
    }

    public static Map<String, Double> cvMap(CrossValidation.Result cv, int folds) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("folds", (double) folds);
        m.put("best_epoch", (double) cv.bestEpoch());
        m.put("pr_auc_mean", cv.meanPrAuc());
        m.put("pr_auc_sd", cv.sdPrAuc());
        m.put("roc_auc_mean", cv.meanRocAuc());
        m.put("roc_auc_sd", cv.sdRocAuc());
        return m;
    }

    private static Provenance provenance(Dataset data, Split split, Dataset dev, CrossValidation.Result cv,
                                         CrossValidation.Folds folds, Options o) {
        return Provenance.of(data.source()).put("rows", data.rows()).put("positives", data.positives())
                .put("developmentRows", dev.rows()).put("testRows", split.test().rows())
                .put("testPositives", split.test().positives()).put("folds", folds.count() + " " + folds.kind())
                .put("bestEpoch", cv.bestEpoch()).put("ensemble", o.ensemble())
                .put("evaluatedRows", dev.rows()).put("evaluatedPositives", dev.positives());
    }

    private static int[] concat(List<int[]> parts) {
        return parts.stream().flatMapToInt(java.util.Arrays::stream).toArray();
    }

    private static double[] concatScores(List<double[]> parts) {
        return parts.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    /** Standardised network inputs for every row of a dataset. */
    public static TrainingSet features(Preprocessing pre, Dataset d) {
        int[] y = d.hasLabels() ? d.labels() : new int[d.rows()];
        return new TrainingSet(pre.applyBatch(d.inputs(), d.rows()), y, pre.featureCount());
    }

    /** Row weights for metrics at the real prevalence: 1 a fraud, {@code negativeWeight} a negative; null for 1. */
    public static double[] weights(int[] y, double negativeWeight) {
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

    private static Map<String, Object> hyperparameters(Options o, int epochs) {
        Map<String, Object> h = configParameters(o.config());
        h.put("selectedEpochs", epochs);
        h.put("folds", o.folds());
        h.put("ensemble", o.ensemble());
        h.put("combination", ModelBundle.COMBINATION);
        h.put("refit", o.refit());
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
        h.put("activation", c.activation().id());
        h.put("dropout", c.dropout());
        h.put("optimizer", c.optimizer());
        h.put("momentum", c.momentum());
        h.put("learningRate", c.schedule().describe());
        h.put("batchSize", c.batchSize());
        h.put("epochs", c.epochs());
        h.put("l2", c.l2());
        h.put("classWeights", c.classWeights());
        h.put("classWeightScale", c.classWeightScale());
        h.put("stratifiedBatches", c.stratified());
        h.put("clipNorm", c.clipNorm());
        h.put("patience", c.patience());
        h.put("resample", c.resample());
        h.put("resampleRatio", c.resampleRatio());
        h.put("inputClip", c.inputClip());
        h.put("inputTransform", c.inputTransform());
        if (c.epochNegatives() > 0) {
            h.put("epochNegatives", c.epochNegatives());
        }
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
