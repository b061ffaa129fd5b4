package org.fraudscorer.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.common.metrics.BinaryReport;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.trainer.data.CreditCardCsv;
import org.fraudscorer.trainer.data.CreditCardCsvWriter;
import org.fraudscorer.trainer.data.CreditCardRows;
import org.fraudscorer.trainer.data.Dataset;
import org.fraudscorer.trainer.report.ConsoleReport;
import org.fraudscorer.trainer.report.Plots;
import org.fraudscorer.trainer.train.CrossValidation;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.FraudModelTrainer.BusinessImpact;
import org.fraudscorer.trainer.train.RowScoring;
import org.fraudscorer.trainer.train.Provenance;
import org.fraudscorer.trainer.train.TopFeatures;
import org.fraudscorer.trainer.train.TrainerConfig;

/**
 * The creditcard-format side of {@code train}, {@code evaluate} and {@code score}: rows of Kaggle's
 * {@code creditcard.csv}, each scored on its own.
 */
final class CreditCardCommands implements DataFamily {
    static final CreditCardCommands INSTANCE = new CreditCardCommands();
    private static final ObjectMapper JSON = JsonOutput.mapper();
    /** Periods select days of raw events; a creditcard file has only relative seconds. */
    private static final String[] RAW_EVENT_OPTIONS = {"--train-from", "--train-to", "--delay-days", "--features", "--score-from",
            "--score-to"};

    private CreditCardCommands() {
    }

    @Override
    public EventFamily family() {
        return EventFamily.CREDITCARD;
    }

    @Override
    public TrainerConfig defaults() {
        return TrainerConfig.creditcardDefaults();
    }

    @Override
    public void requireTunable(Path data) {
    }

    @Override
    public int train(TrainCommand c) throws Exception {
        refuseGiven(c.spec, RAW_EVENT_OPTIONS);
        FraudModelTrainer.Options options = c.procedure.options(c.network.build(this));
        if (c.plots == null) { // the default directory beside the model, checked before the training as --plots is
            Outputs.requireWritable(c.spec, "--plots (by default)", TrainCommand.defaultPlots(c.out), true);
        }
        Dataset d = CreditCardCsv.read(c.data);
        PrintStream say = Outputs.say(c.out); // not into the model file when it is standard output
        PrintStream text = c.json ? new PrintStream(java.io.OutputStream.nullOutputStream()) : say;
        ConsoleReport report = new ConsoleReport(text, !c.json && System.console() != null);
        report.line("Data: " + d.source());
        report.data("all", d);
        FraudModelTrainer.Result r = FraudModelTrainer.train(d, options, report);
        ModelBundle written = ModelFile.write(r.bundle(), c.out, c.key);
        TrainCommand.warnIfFlagsNothing(c.spec, written, r.test().matrix(), r.split().test().rows(), "test rows");
        if (c.exportSplit != null) {
            CreditCardCsvWriter.write(c.exportSplit.resolve("train.csv"), r.split().train(), r.split().validation());
            CreditCardCsvWriter.write(c.exportSplit.resolve("test.csv"), r.split().test());
        }
        Path plotDir = c.plots != null ? c.plots : TrainCommand.defaultPlots(c.out);
        List<Path> pngs = plotDir == null ? List.of() : Plots.write(plotDir, r.selection().history(), r.testScores(),
                r.split().test().labels(), null);
        if (c.json) {
            say.println(JSON.writeValueAsString(jsonReport(c, r, written, pngs)));
        } else {
            printSummary(c, report, r, written, pngs);
        }
        return 0;
    }

    private static void printSummary(TrainCommand c, ConsoleReport report, FraudModelTrainer.Result r, ModelBundle written, List<Path> pngs) {
        CrossValidation.Result cv = r.selection();
        report.line("");
        report.line("Split (" + c.procedure.split + "): development rows, then the test part");
        report.data("development", r.development());
        report.data("test", r.split().test());
        report.line("Network: " + TrainCommand.arch(written) + " x " + written.members().size() + " member"
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
        report.impact(r.impact(), c.falseAlarmCost, "test rows");
        report.line("");
        report.line(c.procedure.noRefit
                ? "Shipped: the evaluated model (--no-refit), fitted on " + r.refitRows() + " rows"
                : String.format(java.util.Locale.ROOT, "Shipped: refit on every labelled row (%d rows, %d frauds), %d epochs",
                        r.refitRows(), r.refitPositives(), cv.bestEpoch()));
        report.line(String.format(java.util.Locale.ROOT, "Model %s written to %s (sha256 %s%s), %.1f s in all",
                written.modelVersion(), c.out, written.sha256(), c.key == null ? "" : ", signed by key " + c.key.keyId(),
                r.seconds()));
        report.line(pngs.isEmpty() ? "Plots: none (--out is not a file to put them beside; --plots DIR writes them)"
                : "Plots: " + pngs);
    }

    private static Map<String, Object> jsonReport(TrainCommand c, FraudModelTrainer.Result r, ModelBundle b, List<Path> pngs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", c.out.toString());
        m.put("modelVersion", b.modelVersion());
        m.put("sha256", b.sha256());
        m.put("signedBy", c.key == null ? null : c.key.keyId());
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

    /**
     * A warning for a model refit on every row of its file (the default of {@code train}) evaluated on that file or on
     * a split of it ({@code --export-split}'s test.csv or train.csv, told by name), or for a {@code --no-refit} model
     * evaluated on its file or its train.csv, or null: its figures there are in-sample (a walkthrough read PR-AUC 0.87
     * where the held-out figure was 0.83). The rows' identity is not recorded, so a file of another name (a later
     * month, say) gets no warning; nor does a file that does not record how it was fitted.
     */
    static String refitNote(ModelBundle m, Path evaluated) {
        String data = Provenance.data(m.provenance());
        String file = data == null ? "its training file" : java.nio.file.Path.of(data).getFileName().toString();
        String name = evaluated.getFileName() == null ? "" : evaluated.getFileName().toString();
        Map<String, Double> test = m.metrics().get("test");
        Double heldOut = test == null ? null : test.get("pr_auc");
        String held = heldOut == null ? "" : String.format(java.util.Locale.ROOT, " (its procedure's held-out test "
                + "PR-AUC: %.4f)", heldOut);
        if (Provenance.EVALUATED.equals(String.valueOf(m.provenance().get(Provenance.FIT)))) {
            // the evaluated model (--no-refit): fitted on the development rows only
            if (!name.equals(file) && !name.equals("train.csv")) {
                return null; // test.csv of --export-split is its held-out part
            }
            boolean split = name.equals("train.csv");
            return "model " + m.modelVersion() + " was fitted on the development rows of " + file + " ("
                    + m.provenance().get(Provenance.FIT_ROWS) + " rows, its provenance), which "
                    + (split ? "--export-split's train.csv holds" : "this file holds besides its held-out test part")
                    + ": these figures are in-sample" + (split ? "" : " in part") + held
                    + "; evaluate it on --export-split's test.csv";
        }
        if (!Provenance.isRefit(m.provenance()) // a file that does not record its fit says nothing
                || !name.equals(file) && !name.equals("test.csv") && !name.equals("train.csv")) {
            return null;
        }
        return "model " + m.modelVersion() + " was refit on every row of " + file + " ("
                + m.provenance().get(Provenance.FIT_ROWS)
                + " rows, its provenance): on rows of that file, the test.csv of --export-split included, these figures"
                + " are in-sample" + held + "; evaluate a model trained with --no-refit instead";
    }

    @Override
    public int evaluate(EvaluateCommand c) throws Exception {
        refuseGiven(c.spec, RAW_EVENT_OPTIONS);
        ModelBundle m = ModelFile.read(c.model);
        Dataset d = CreditCardCsv.read(c.data);
        if (!d.hasLabels()) {
            throw new IllegalArgumentException(c.data + " has no Class column: evaluation needs labels");
        }
        double t = c.threshold(m);
        double[] p = RowScoring.probabilities(m, d);
        double[] w = null;
        if (c.negativeWeight != 1) {
            w = new double[d.rows()];
            for (int i = 0; i < w.length; i++) {
                w[i] = d.label(i) == 1 ? 1 : c.negativeWeight;
            }
        }
        BinaryReport r = BinaryReport.of(p, d.labels(), w, t);
        BusinessImpact impact = BusinessImpact.of(p, d.labels(), d.amounts(), w, t);
        String refit = refitNote(m, c.data);
        if (refit != null) {
            c.spec.commandLine().getErr().println("warning: " + refit);
        }
        if (c.json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("model", m.modelVersion());
            j.put("data", d.source());
            j.put("rows", d.rows());
            j.put("frauds", d.positives());
            j.put("threshold", t);
            j.put("precision", r.precision());
            j.put("recall", r.recall());
            j.put("f1", r.f1());
            j.put("accuracy", r.accuracy());
            j.put("roc_auc", r.rocAuc());
            j.put("pr_auc", r.prAuc());
            j.put("confusion", r.matrix().counts());
            j.put("businessImpact", impact);
            System.out.println(JSON.writeValueAsString(j));
        } else {
            ConsoleReport report = new ConsoleReport(System.out, false);
            report.line("Model " + m.modelVersion() + " on " + d.source());
            report.data("rows", d);
            report.metrics("Metrics:", r);
            report.impact(impact, c.falseAlarmCost, "these rows");
        }
        return 0;
    }

    @Override
    public int score(ScoreCommand c) throws Exception {
        refuseGiven(c.spec, RAW_EVENT_OPTIONS);
        ModelBundle m = ModelFile.read(c.model);
        int scored = 0;
        // streamed: a row is read, scored and written before the next is read, so a file of any length fits in memory
        try (CreditCardRows rows = CreditCardRows.open(c.data); ScoreOutput o = ScoreOutput.open(c.out)) {
            RowScoring.requireModel(m, rows.source());
            Writer w = o.writer();
            // a file with an id column is scored by id (the live records' key when produce sent it), else by row
            w.write(c.header(rows.hasIds() ? "id" : "row"));
            TopFeatures explainer = c.explainer(m);
            var scorer = m.newScorer(); // the live scorer's path: its probabilities to the last bit (RowScoring)
            double t = m.threshold().value();
            double[] inputs = new double[Dataset.INPUT_COUNT];
            StringBuilder line = new StringBuilder(64);
            while (rows.next(inputs)) {
                line.setLength(0);
                if (rows.hasIds()) {
                    appendCsvField(line, rows.id());
                } else {
                    line.append(rows.rowNumber());
                }
                double p;
                try {
                    p = scorer.probability(inputs);
                } catch (org.fraudscorer.common.model.ModelScorer.NoProbabilityException e) { // nothing written
                    throw e.at(rows.source() + " row " + rows.rowNumber());
                }
                ScoreCommand.appendScore(line, p, t, explainer, inputs);
                w.write(line.toString());
                scored++;
            }
            o.commit();
        }
        if (c.out != null) {
            System.err.println("scored " + scored + " rows with model " + m.modelVersion() + " → " + c.out);
        }
        return 0;
    }

    /**
     * RFC 4180: a value holding a comma or a quote is quoted, its quotes doubled (ids hold no line breaks); so is one
     * that starts or ends with white space, which a reader would drop from an unquoted field (as this one's does:
     * any {@link Character#isWhitespace}, an ideographic space too).
     */
    static void appendCsvField(StringBuilder line, String value) {
        boolean edgeSpace = !value.isEmpty() && (Character.isWhitespace(value.charAt(0))
                || Character.isWhitespace(value.charAt(value.length() - 1)));
        if (!edgeSpace && value.indexOf(',') < 0 && value.indexOf('"') < 0) {
            line.append(value);
        } else {
            line.append('"').append(value.replace("\"", "\"\"")).append('"');
        }
    }
}
