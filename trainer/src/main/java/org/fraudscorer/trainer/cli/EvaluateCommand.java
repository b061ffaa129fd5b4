package org.fraudscorer.trainer.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fraudscorer.common.model.ModelBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fraud evaluate --model model.json --data labelled.csv [--json]}: metrics of a model on labelled rows. On
 * raw payment events: AUC ROC, average precision, card precision@100 and the confusion at the threshold, for the
 * events of {@code --score-from..--score-to}.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Measure a model on labelled transactions: confusion matrix, precision, recall, F1, ROC-AUC, PR-AUC.")
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model file.")
    Path model;
    @Option(names = "--data", required = true, description = "Labelled transactions: creditcard.csv format, or raw payment events (handbook format, TX_FRAUD column, known for every scored payment).")
    Path data;
    @Option(names = "--threshold", description = "Decision threshold to use instead of the model's.")
    Double threshold;
    @Option(names = "--negative-weight", defaultValue = "1", description = "Real negatives each negative row stands for. Defaults to ${DEFAULT-VALUE}.")
    double negativeWeight;
    @Option(names = "--false-alarm-cost", defaultValue = "5", description = "Cost of one false alarm. Defaults to ${DEFAULT-VALUE}.")
    double falseAlarmCost;
    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;
    @Option(names = "--score-from", description = "Raw events only: first day to evaluate, YYYY-MM-DD (inclusive; earlier events are history). Default: the first day.")
    String scoreFrom;
    @Option(names = "--score-to", description = "Raw events only: last day to evaluate, YYYY-MM-DD (inclusive). Default: the last day.")
    String scoreTo;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String bad = null; // checked before any file is read: a bad command line is a usage error (exit 2)
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            bad = "--threshold must be in [0, 1], got " + threshold;
        } else if (ProcedureOptions.negativeWeightProblem(negativeWeight) != null) {
            bad = ProcedureOptions.negativeWeightProblem(negativeWeight);
        } else if (ProcedureOptions.falseAlarmCostProblem(falseAlarmCost) != null) {
            bad = ProcedureOptions.falseAlarmCostProblem(falseAlarmCost);
        }
        if (bad != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), bad);
        }
        return DataFamily.forData(data).evaluate(this);
    }

    /** The decision threshold: {@code --threshold} if given, else the model's. */
    double threshold(ModelBundle m) {
        double t = threshold != null ? threshold : m.threshold().value();
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("--threshold must be in [0, 1], got " + t);
        }
        return t;
    }
}
