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
import org.fraudscorer.trainer.train.CrossValidation;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.ThresholdPolicy;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.TrainingListener;
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
    @Option(names = "--data", required = true, description = "Labelled transactions (Kaggle creditcard.csv format, .gz ok).")
    Path data;
    @Option(names = "--out", defaultValue = "models/model.json", description = "Model file to write. Defaults to ${DEFAULT-VALUE}.")
    Path out;
    @Option(names = "--plots", description = "Directory for the PNG plots. Defaults to <out dir>/plots.")
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

    @Option(names = "--train-from", description = "Raw events only: first training day, YYYY-MM-DD (inclusive; earlier events are history). Default: the first day.")
    String trainFrom;
    @Option(names = "--train-to", description = "Raw events only: last training day, YYYY-MM-DD (inclusive). Default: the last day.")
    String trainTo;
    @Option(names = "--delay-days", defaultValue = "7", description = "Raw events only: days until a payment's label is known; the terminal features use only labels known by then. Defaults to ${DEFAULT-VALUE}.")
    int delayDays;

    @Override
    public Integer call() throws Exception {
        procedure.check();
        if (RawEventCsv.isRawEventFile(data)) {
            return RawEventCommands.train(data, out, EventPeriod.parse("train", trainFrom, trainTo), delayDays,
                    network.build(TrainerConfig.rawEventDefaults()), procedure, json);
        }
        refusePeriod("train", trainFrom, trainTo);
        FraudModelTrainer.Options options = procedure.options(network.build(TrainerConfig.creditcardDefaults()));

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
        List<Path> pngs = Plots.write(plotDir, r.selection().history(), r.testScores(), r.split().test().labels(),
                null);
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(jsonReport(r, written, pngs)));
        } else {
            printSummary(report, r, written, pngs);
        }
        return 0;
    }

    /** Periods select days of raw events; a creditcard file has only relative seconds, so they make no sense there. */
    static void refusePeriod(String stem, String from, String to) {
        if (from != null || to != null) {
            throw new IllegalArgumentException("--" + stem + "-from/--" + stem + "-to apply to raw payment events "
                    + "(handbook format); this data is in creditcard format");
        }
    }

    private void printSummary(ConsoleReport report, FraudModelTrainer.Result r, ModelBundle written, List<Path> pngs) {
        CrossValidation.Result cv = r.selection();
        report.line("");
        report.line("Split (" + procedure.split + "): development rows, then the test part");
        report.data("development", r.development());
        report.data("test", r.split().test());
        report.line("Network: " + arch(written) + " x " + written.members().size() + " member"
                + (written.members().size() == 1 ? "" : "s") + " (mean logit), " + written.parameterCount()
                + " parameters");
        report.line("Training: " + written.hyperparameters());
        report.line(String.format(java.util.Locale.ROOT,
                "Selection: %d-fold, best epoch %d of %d%s; validation PR-AUC %.4f ± %.4f, ROC-AUC %.4f ± %.4f "
                        + "(mean ± sd over folds), %.1f s",
                cv.foldPrAuc().length, cv.bestEpoch(), cv.history().size(), cv.stoppedEarly() ? " (stopped early)" : "",
                cv.meanPrAuc(), cv.sdPrAuc(), cv.meanRocAuc(), cv.sdRocAuc(), cv.seconds()));
        report.line("Threshold: " + String.format(java.util.Locale.ROOT, "%.6f", written.threshold().value())
                + " (" + written.threshold().method() + " on the out-of-fold scores)");
        report.line("");
        report.metrics("Test (" + r.split().test().rows() + " rows; the ensemble trained on the development rows):",
                r.test());
        report.impact(r.impact(), falseAlarmCost);
        report.line("");
        report.line(procedure.noRefit
                ? "Shipped: the evaluated model (--no-refit), fitted on " + r.refitRows() + " rows"
                : String.format(java.util.Locale.ROOT, "Shipped: refit on every labelled row (%d rows, %d frauds), %d epochs",
                        r.refitRows(), r.refitPositives(), cv.bestEpoch()));
        report.line(String.format(java.util.Locale.ROOT, "Model %s written to %s (sha256 %s), %.1f s in all",
                written.modelVersion(), out, written.sha256(), r.seconds()));
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

    private Map<String, Object> jsonReport(FraudModelTrainer.Result r, ModelBundle b, List<Path> pngs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", out.toString());
        m.put("modelVersion", b.modelVersion());
        m.put("sha256", b.sha256());
        m.put("architecture", b.network().sizes());
        m.put("members", b.members().size());
        m.put("parameters", b.parameterCount());
        m.put("threshold", b.threshold());
        m.put("bestEpoch", r.selection().bestEpoch());
        m.put("foldPrAuc", r.selection().foldPrAuc());
        m.put("epochs", r.selection().history());
        m.put("refitRows", r.refitRows());
        m.put("refitPositives", r.refitPositives());
        m.put("seconds", r.seconds());
        m.put("metrics", b.metrics());
        m.put("businessImpact", r.impact());
        m.put("hyperparameters", b.hyperparameters());
        m.put("provenance", b.provenance());
        m.put("plots", pngs.stream().map(Path::toString).toList());
        return m;
    }
}
