package org.fraudscorer.trainer.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fraud train --data creditcard.csv --out model.json}: choose the epoch count and the threshold by k-fold
 * validation on the development rows, report an ensemble's metrics on the held-out test rows, refit the ensemble on
 * every labelled row (unless {@code --no-refit}), write the model file and the plots.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a fraud model on a creditcard.csv-format file, or on raw payment events (handbook format, "
                + "told from the header; --train-from/--train-to), and write the model file.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Labelled transactions: Kaggle creditcard.csv format, or raw payment events (handbook format); .gz ok.")
    Path data;
    @Option(names = "--out", defaultValue = "models/model.json", description = "Model file to write. Defaults to ${DEFAULT-VALUE}.")
    Path out;
    @Option(names = "--plots", description = "Directory for the PNG plots. Defaults to <out without .json>-plots beside "
            + "the model file (models/model.json: models/model-plots), so that each model keeps its own.")
    Path plots;
    @picocli.CommandLine.Mixin
    NetworkOptions network;
    @Option(names = "--false-alarm-cost", defaultValue = "5", description = "Cost of one false alarm in the business report. Defaults to ${DEFAULT-VALUE}.")
    double falseAlarmCost;
    @picocli.CommandLine.Mixin
    ProcedureOptions procedure;
    @Option(names = "--json", description = "Print a JSON report instead of the text report.")
    boolean json;
    @Option(names = "--export-split", description = "Also write train.csv (every development row: train rows, then "
            + "validation rows) and test.csv here, in creditcard.csv format, to run other tools on exactly this split "
            + "(scripts/compare-peers.sh does).")
    Path exportSplit;
    @Option(names = "--signing-key", paramLabel = "FILE", description = "Sign the model file with this Ed25519 private "
            + "key (from './fraud keygen'); read before training, so a bad key fails at once.")
    Path signingKey;
    /** The key {@link #signingKey} names, loaded by {@link #call} before training (null = write unsigned). */
    SigningKey key;

    @Option(names = "--train-from", description = "Raw events only: first training day, YYYY-MM-DD (inclusive; earlier events are history). Default: the first day.")
    String trainFrom;
    @Option(names = "--train-to", description = "Raw events only: last training day, YYYY-MM-DD (inclusive). Default: the last day whose labels have all arrived (--delay-days before the last payment).")
    String trainTo;
    @Option(names = "--delay-days", defaultValue = "" + HandbookFeatures.DEFAULT_DELAY_DAYS,
            description = "Raw events only: days until a payment's label is known; the terminal features use only labels known by then. Defaults to ${DEFAULT-VALUE}.")
    int delayDays;
    @Option(names = "--features", paramLabel = "SET", completionCandidates = RawEventCommands.FeatureSets.class,
            description = "Raw events only: the feature set, one of ${COMPLETION-CANDIDATES} (newest first; default "
                    + "the newest; their features: docs/raw-events.md).")
    String features;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        procedure.check();
        if (ProcedureOptions.falseAlarmCostProblem(falseAlarmCost) != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    ProcedureOptions.falseAlarmCostProblem(falseAlarmCost));
        }
        Outputs.refuseOverwriting(spec, "--out", out, data, signingKey, network.config);
        if (exportSplit != null) {
            for (String name : new String[] {"train.csv", "test.csv"}) {
                Outputs.refuseOverwriting(spec, "--export-split", exportSplit.resolve(name), data, signingKey,
                        network.config);
                Outputs.refuseClash(spec, "--out", out, "--export-split", exportSplit.resolve(name));
            }
        }
        // every output, before the minutes of training, so that a mistyped path is not found only after them
        Outputs.requireWritable(spec, "--out", out, false);
        Outputs.requireWritable(spec, "--plots", plots, true);
        Outputs.requireWritable(spec, "--export-split", exportSplit, true);
        key = signingKey == null ? null : SigningKey.load(signingKey, spec.commandLine().getErr());
        return DataFamily.forData(data).train(this);
    }

    /** The network's shape for reports, e.g. {@code 29-32-1 (leaky_relu hidden, linear logit, sigmoid)}. */
    static String arch(ModelBundle b) {
        StringBuilder s = new StringBuilder();
        int[] sizes = b.network().sizes();
        for (int i = 0; i < sizes.length; i++) {
            s.append(i == 0 ? "" : "-").append(sizes[i]);
        }
        s.append(" (").append(b.network().denseLayers().get(0).activation().id())
                .append(" hidden, linear logit, sigmoid)");
        return s.toString();
    }

    /**
     * The plots' directory when {@code --plots} is not given: beside the model file, named after it, so that training a
     * second model into the same directory does not overwrite the first one's plots (a shared "plots" directory did).
     * None (null) when {@code --out} is a device or a descriptor such as {@code /dev/null}: {@code /dev/null-plots}
     * is no place for them.
     */
    static Path defaultPlots(Path out) throws java.io.IOException {
        if (org.fraudscorer.common.model.AtomicFiles.inPlace(out)) {
            return null;
        }
        String name = out.getFileName().toString();
        String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".json") ? name.substring(0, name.length() - 5)
                : name;
        return out.toAbsolutePath().getParent().resolve(stem + "-plots");
    }

    /**
     * Warns, for both data families, when the test rows hold no fraud (the held-out figures are NaN) or the written
     * model flags none of them (a {@code --threshold} policy that strict raises no alert): either used to pass without
     * a word.
     */
    static void warnIfFlagsNothing(picocli.CommandLine.Model.CommandSpec spec, org.fraudscorer.common.model.ModelBundle
            written, org.fraudscorer.common.metrics.ConfusionMatrix atThreshold, int rows, String what) {
        if (rows > 0 && atThreshold.tp() + atThreshold.fn() == 0) { // NaN figures, which went by without a word
            spec.commandLine().getErr().printf(java.util.Locale.ROOT, "warning: the %,d %s hold no fraud: the held-out "
                    + "PR-AUC and ROC-AUC are undefined (NaN) and recall is shown as 0 (no fraud to catch), so the "
                    + "model's quality on later payments is unmeasured (a larger file, or a test part that reaches "
                    + "frauds)%n", rows, what);
            return;
        }
        if (rows > 0 && atThreshold.tp() + atThreshold.fp() == 0) {
            spec.commandLine().getErr().printf(java.util.Locale.ROOT, "warning: at its threshold %.6f (%s) the model "
                    + "flags none of the %,d %s: it would raise no alert (a less strict --threshold policy?)%n",
                    written.threshold().value(), written.threshold().method(), rows, what);
        }
    }
}
