package org.fraudscorer.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.trainer.data.CreditCardCsv;
import org.fraudscorer.trainer.data.CreditCardCsvWriter;
import org.fraudscorer.trainer.data.Dataset;
import org.fraudscorer.trainer.data.RawEventCsv;
import org.fraudscorer.trainer.events.EventPeriod;
import org.fraudscorer.trainer.report.ConsoleReport;
import org.fraudscorer.trainer.report.Plots;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.LearningRateSchedule;
import org.fraudscorer.trainer.train.ThresholdPolicy;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fraud train --data creditcard.csv --out model.json}: fit the network, choose the threshold on
 * validation rows, report on test rows, write the model file and the plots.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a fraud model on a creditcard.csv-format file, or on raw payment events (handbook format, "
                + "told from the header; --train-from/--train-to), and write the model file.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Labelled transactions (Kaggle creditcard.csv format, .gz ok).")
    Path data;
    @Option(names = "--out", defaultValue = "models/model.json", description = "Model file to write. Defaults to ${DEFAULT-VALUE}.")
    Path out;
    @Option(names = "--plots", description = "Directory for the PNG plots. Defaults to <out dir>/plots.")
    Path plots;
    @Option(names = "--seed", defaultValue = "42", description = "Seed of every random choice. Defaults to ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--epochs", defaultValue = "40", description = "Maximum epochs. Defaults to ${DEFAULT-VALUE}.")
    int epochs;
    @Option(names = "--hidden", split = ",", defaultValue = "16,16", description = "Hidden layer sizes. Defaults to ${DEFAULT-VALUE}.")
    int[] hidden;
    @Option(names = "--activation", defaultValue = "relu", description = "relu, leaky_relu, tanh, sigmoid. Defaults to ${DEFAULT-VALUE}.")
    String activation;
    @Option(names = "--dropout", defaultValue = "0", description = "Dropout after each hidden layer. Defaults to ${DEFAULT-VALUE}.")
    double dropout;
    @Option(names = "--optimizer", defaultValue = "adam", description = "adam or sgd. Defaults to ${DEFAULT-VALUE}.")
    String optimizer;
    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum. Defaults to ${DEFAULT-VALUE}.")
    double momentum;
    @Option(names = "--learning-rate", defaultValue = "0.001", description = "Initial learning rate. Defaults to ${DEFAULT-VALUE}.")
    double learningRate;
    @Option(names = "--lr-schedule", defaultValue = "constant", description = "constant, step or exponential. Defaults to ${DEFAULT-VALUE}.")
    String lrSchedule;
    @Option(names = "--lr-decay", defaultValue = "0.5", description = "Decay factor of step/exponential schedules. Defaults to ${DEFAULT-VALUE}.")
    double lrDecay;
    @Option(names = "--lr-step", defaultValue = "10", description = "Epochs per step of the step schedule. Defaults to ${DEFAULT-VALUE}.")
    int lrStep;
    @Option(names = "--batch-size", defaultValue = "64", description = "Mini-batch size. Defaults to ${DEFAULT-VALUE}.")
    int batchSize;
    @Option(names = "--l2", defaultValue = "0", description = "L2 penalty on weights. Defaults to ${DEFAULT-VALUE}.")
    double l2;
    @Option(names = "--no-class-weights", description = "Do not weight classes by n/(2·n_class).")
    boolean noClassWeights;
    @Option(names = "--no-stratified-batches", description = "Plain shuffled batches instead of batches that each hold frauds.")
    boolean noStratified;
    @Option(names = "--clip-norm", defaultValue = "5", description = "Global gradient-norm clip (0 = off). Defaults to ${DEFAULT-VALUE}.")
    double clipNorm;
    @Option(names = "--patience", defaultValue = "10", description = "Early-stopping patience in epochs on validation PR-AUC (0 = off). Defaults to ${DEFAULT-VALUE}.")
    int patience;
    @Option(names = "--resample", defaultValue = "none", description = "none, smote or undersample (training rows only). Defaults to ${DEFAULT-VALUE}.")
    String resample;
    @Option(names = "--resample-ratio", defaultValue = "0", description = "smote: positives per negative (default 0.1); undersample: negatives per positive (default 10).")
    double resampleRatio;
    @Option(names = "--split", defaultValue = "time", description = "time (rows ordered by Time) or stratified (random). Defaults to ${DEFAULT-VALUE}.")
    String split;
    @Option(names = "--train-fraction", defaultValue = "0.60", description = "Defaults to ${DEFAULT-VALUE}.")
    double trainFraction;
    @Option(names = "--validation-fraction", defaultValue = "0.15", description = "Defaults to ${DEFAULT-VALUE}; the rest is test.")
    double validationFraction;
    @Option(names = "--threshold", defaultValue = "max-f1", description = "max-f1, min-precision:P or min-cost:C. Defaults to ${DEFAULT-VALUE}.")
    String threshold;
    @Option(names = "--false-alarm-cost", defaultValue = "5", description = "Cost of one false alarm in the business report. Defaults to ${DEFAULT-VALUE}.")
    double falseAlarmCost;
    @Option(names = "--negative-weight", defaultValue = "1", description = "Real negatives each negative row stands for (metrics at real prevalence). Defaults to ${DEFAULT-VALUE}.")
    double negativeWeight;
    @Option(names = "--json", description = "Print a JSON report instead of the text report.")
    boolean json;
    @Option(names = "--export-split", description = "Also write train.csv (train rows, then validation rows) and test.csv "
            + "here, in creditcard.csv format: run other tools (e.g. ../shared/tools/peers.py, whose validation is the "
            + "last 20% of its train file) on exactly this split.")
    Path exportSplit;

    @Option(names = "--train-from", description = "Raw events only: first training day, YYYY-MM-DD (inclusive; earlier events are history). Default: the first day.")
    String trainFrom;
    @Option(names = "--train-to", description = "Raw events only: last training day, YYYY-MM-DD (inclusive). Default: the last day.")
    String trainTo;
    @Option(names = "--delay-days", defaultValue = "7", description = "Raw events only: days until a payment's label is known; the terminal features use only labels known by then. Defaults to ${DEFAULT-VALUE}.")
    int delayDays;

    @Override
    public Integer call() throws Exception {
        if (RawEventCsv.isRawEventFile(data)) {
            return RawEventCommands.train(data, out, EventPeriod.parse("train", trainFrom, trainTo), delayDays,
                    config(), ThresholdPolicy.parse(threshold), json);
        }
        refusePeriod("train", trainFrom, trainTo);
        if (!split.equals("time") && !split.equals("stratified")) {
            throw new IllegalArgumentException("--split must be time or stratified, got '" + split + "'");
        }
        if (!(negativeWeight > 0)) {
            throw new IllegalArgumentException("--negative-weight must be > 0, got " + negativeWeight);
        }
        FraudModelTrainer.Options options = new FraudModelTrainer.Options(config(), split.equals("time"), trainFraction,
                validationFraction, ThresholdPolicy.parse(threshold), negativeWeight);

        Dataset d = CreditCardCsv.read(data);
        PrintStream text = json ? new PrintStream(java.io.OutputStream.nullOutputStream()) : System.out;
        ConsoleReport report = new ConsoleReport(text, !json && System.console() != null);
        report.line("Data: " + d.source());
        report.data("all", d);
        TrainingListener listener = report;
        FraudModelTrainer.Result r = FraudModelTrainer.train(d, options, listener);
        ModelBundle written = ModelFile.write(r.bundle(), out);
        if (exportSplit != null) {
            CreditCardCsvWriter.write(exportSplit.resolve("train.csv"), r.split().train(), r.split().validation());
            CreditCardCsvWriter.write(exportSplit.resolve("test.csv"), r.split().test());
        }
        Path plotDir = plots != null ? plots : out.toAbsolutePath().getParent().resolve("plots");
        List<Path> pngs = Plots.write(plotDir, r.training().history(), r.testScores(), r.split().test().labels(),
                null);
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(jsonReport(r, written, pngs)));
        } else {
            printSummary(report, r, written, pngs);
        }
        return 0;
    }

    private TrainerConfig config() {
        LearningRateSchedule schedule = new LearningRateSchedule(
                LearningRateSchedule.Kind.valueOf(scheduleKind(lrSchedule)), learningRate, lrDecay, lrStep);
        org.fraudscorer.common.nn.Activation.parse(activation);
        return new TrainerConfig(hidden, activation, dropout, optimizer, momentum, schedule, batchSize,
                epochs, l2, !noClassWeights, !noStratified, clipNorm, patience, resample, resampleRatio, 0.0, seed);
    }

    /** Periods select days of raw events; a creditcard file has only relative seconds, so they make no sense there. */
    static void refusePeriod(String stem, String from, String to) {
        if (from != null || to != null) {
            throw new IllegalArgumentException("--" + stem + "-from/--" + stem + "-to apply to raw payment events "
                    + "(handbook format); this data is in creditcard format");
        }
    }

    private void printSummary(ConsoleReport report, FraudModelTrainer.Result r, ModelBundle written, List<Path> pngs) {
        report.line("");
        report.line("Split (" + split + "):");
        report.data("train", r.split().train());
        report.data("validation", r.split().validation());
        report.data("test", r.split().test());
        report.line(String.format(java.util.Locale.ROOT, "Class weights: legit %.4f, fraud %.4f (n / (2·n_class))",
                r.training().classWeightNegative(), r.training().classWeightPositive()));
        report.line("Network: " + arch(written) + ", " + written.network().parameterCount() + " parameters");
        report.line("Training: " + written.hyperparameters());
        report.line(String.format(java.util.Locale.ROOT, "Best epoch %d of %d%s, %.1f s",
                r.training().bestEpoch(), r.training().history().size(),
                r.training().stoppedEarly() ? " (stopped early)" : "", r.training().seconds()));
        report.line("Threshold: " + String.format(java.util.Locale.ROOT, "%.6f", written.threshold().value())
                + " (" + written.threshold().method() + " on validation)");
        report.line("");
        report.metrics("Test (" + r.split().test().rows() + " rows):", r.test());
        report.impact(r.impact(), falseAlarmCost);
        report.line("");
        report.line("Model " + written.modelVersion() + " written to " + out + " (sha256 " + written.sha256() + ")");
        report.line("Plots: " + pngs);
    }

    static String arch(ModelBundle b) {
        StringBuilder s = new StringBuilder();
        int[] sizes = b.network().sizes();
        for (int i = 0; i < sizes.length; i++) {
            s.append(i == 0 ? "" : "-").append(sizes[i]);
        }
        s.append(" (").append(b.network().denseLayers().get(0).activation().name().toLowerCase(java.util.Locale.ROOT))
                .append(" hidden, linear logit, sigmoid)");
        return s.toString();
    }

    private static String scheduleKind(String s) {
        return switch (s) {
            case "constant", "step", "exponential" -> s.toUpperCase(java.util.Locale.ROOT);
            default -> throw new IllegalArgumentException("--lr-schedule must be constant, step or exponential, got '" + s + "'");
        };
    }

    private Map<String, Object> jsonReport(FraudModelTrainer.Result r, ModelBundle b, List<Path> pngs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", out.toString());
        m.put("modelVersion", b.modelVersion());
        m.put("sha256", b.sha256());
        m.put("architecture", b.network().sizes());
        m.put("parameters", b.network().parameterCount());
        m.put("threshold", b.threshold());
        m.put("bestEpoch", r.training().bestEpoch());
        m.put("epochs", r.training().history());
        m.put("metrics", b.metrics());
        m.put("businessImpact", r.impact());
        m.put("hyperparameters", b.hyperparameters());
        m.put("provenance", b.provenance());
        m.put("plots", pngs.stream().map(Path::toString).toList());
        return m;
    }
}
