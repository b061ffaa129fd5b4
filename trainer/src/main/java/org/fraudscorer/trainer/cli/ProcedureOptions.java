package org.fraudscorer.trainer.cli;

import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.ThresholdPolicy;
import org.fraudscorer.trainer.train.TrainerConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How a model is selected, evaluated and shipped (split, folds, ensemble, refit, threshold), declared once for
 * {@code train} and {@code tune}. Every bad value is a command-line error (exit 2), told before any data is read.
 */
public final class ProcedureOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--split", defaultValue = "time", description = "time (the latest rows are the test part) or stratified (random). Defaults to ${DEFAULT-VALUE}.")
    String split;
    @Option(names = "--train-fraction", defaultValue = "0.60", description = "With --validation-fraction: the development rows (the rest is the test part). Defaults to ${DEFAULT-VALUE}.")
    double trainFraction;
    @Option(names = "--validation-fraction", defaultValue = "0.15", description = "Defaults to ${DEFAULT-VALUE}; the rest is test.")
    double validationFraction;
    @Option(names = "--folds", defaultValue = "5", description = "Cross-validation folds on the development rows that choose the epoch count and the threshold (at least 2); for raw events at most this many weekly folds, each trained the label delay before the week it validates on, as many as the file holds. Defaults to ${DEFAULT-VALUE}.")
    int folds;
    @Option(names = "--ensemble", defaultValue = "5", description = "Member networks (seeds) in the model, combined by their mean logit (1 = one network). Defaults to ${DEFAULT-VALUE}.")
    int ensemble;
    @Option(names = "--no-refit", description = "Ship the evaluated model (trained on the development rows) instead of refitting it on every labelled row.")
    boolean noRefit;
    @Option(names = "--threads", description = "Training threads (results do not depend on it). Default: the available cores.")
    Integer threads;
    @Option(names = "--threshold", defaultValue = "max-f1", description = "How the threshold is chosen on the out-of-fold scores: max-f1, min-precision:P, min-cost:C, or a fixed threshold in [0, 1] (as evaluate --threshold). Defaults to ${DEFAULT-VALUE}.")
    String threshold;
    @Option(names = "--negative-weight", defaultValue = "1", description = "Real negatives each negative row stands "
            + "for: metrics at the real prevalence, and the threshold "
            + "chosen at it too (max-f1 or a precision target then holds at that prevalence, so it rises when the "
            + "file's genuine rows are a sample). Defaults to ${DEFAULT-VALUE}.")
    double negativeWeight;

    /** The most real negatives one row may stand for: far beyond any sampling, and sums stay finite. */
    static final double MAX_NEGATIVE_WEIGHT = 1e6;
    /** The most a false alarm may cost in the business report (a cost beyond it prints as hundreds of digits). */
    static final double MAX_FALSE_ALARM_COST = 1e9;

    /** Why {@code --negative-weight w} is refused, or null (train, tune and evaluate share the rule). */
    static String negativeWeightProblem(double w) {
        return w > 0 && w <= MAX_NEGATIVE_WEIGHT ? null
                : "--negative-weight must be > 0 and at most " + (long) MAX_NEGATIVE_WEIGHT + ", got " + w;
    }

    /** Why {@code --false-alarm-cost c} is refused, or null. */
    static String falseAlarmCostProblem(double c) {
        return c >= 0 && c <= MAX_FALSE_ALARM_COST ? null
                : "--false-alarm-cost must be ≥ 0 and at most " + (long) MAX_FALSE_ALARM_COST + ", got " + c;
    }

    /** Checks every value; throws a command-line error for the first bad one. */
    public void check() {
        String bad = null;
        if (folds < 2) {
            bad = "--folds must be at least 2, got " + folds;
        } else if (ensemble < 1 || ensemble > ModelBundle.MAX_MEMBERS) {
            bad = "--ensemble must be 1 to " + ModelBundle.MAX_MEMBERS + ", got " + ensemble;
        } else if (threads != null && threads < 1) {
            bad = "--threads must be at least 1, got " + threads;
        } else if (!split.equals("time") && !split.equals("stratified")) {
            bad = "--split must be time or stratified, got '" + split + "'";
        } else if (negativeWeightProblem(negativeWeight) != null) {
            bad = negativeWeightProblem(negativeWeight);
        }
        if (bad == null) {
            try {
                org.fraudscorer.trainer.data.Splitter.checkFractions(trainFraction, validationFraction);
            } catch (IllegalArgumentException e) {
                bad = "--train-fraction " + trainFraction + ", --validation-fraction " + validationFraction
                        + ": each must be between 0 and 1 and their sum below 1 (the rest is the test part)";
            }
        }
        if (bad == null) {
            try {
                ThresholdPolicy.parse(threshold);
            } catch (IllegalArgumentException e) {
                bad = e.getMessage();
            }
        }
        if (bad != null) {
            throw new ParameterException(mixee.commandLine(), bad);
        }
    }

    public ThresholdPolicy thresholdPolicy() {
        return ThresholdPolicy.parse(threshold);
    }

    public int threadCount() {
        return threads == null ? FraudModelTrainer.Options.defaultThreads() : threads;
    }

    public FraudModelTrainer.Options options(TrainerConfig config) {
        check();
        try {
            return new FraudModelTrainer.Options(config, split.equals("time"), trainFraction, validationFraction,
                    thresholdPolicy(), negativeWeight, folds, ensemble, !noRefit, threadCount());
        } catch (IllegalArgumentException e) { // the options together (e.g. a model file could not hold them)
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }
}
