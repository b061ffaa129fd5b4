package org.fraudscorer.trainer.report;

import java.io.PrintStream;
import java.util.Locale;
import org.fraudscorer.common.metrics.BinaryReport;
import org.fraudscorer.common.metrics.ConfusionMatrix;
import org.fraudscorer.trainer.data.Dataset;
import org.fraudscorer.trainer.train.EpochStats;
import org.fraudscorer.trainer.train.FraudModelTrainer.BusinessImpact;
import org.fraudscorer.trainer.train.TrainingListener;

/**
 * The human report of a training run: data and balance, configuration, a progress bar and one line per epoch,
 * then the test confusion matrix, metrics and business impact.
 */
public final class ConsoleReport implements TrainingListener {
    private final PrintStream out;
    private final boolean progressBar;
    private boolean headerPrinted;

    public ConsoleReport(PrintStream out, boolean progressBar) {
        this.out = out;
        this.progressBar = progressBar;
    }

    public static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    public void data(String name, Dataset d) {
        out.printf(Locale.ROOT, "  %-11s %,9d rows  %,6d fraud (%s)%n", name, d.rows(), d.positives(),
                pct(d.rows() == 0 ? 0 : (double) d.positives() / d.rows()));
    }

    public void line(String s) {
        out.println(s);
    }

    @Override
    public void onBatch(int epoch, int batch, int batches) {
        if (!progressBar || (batch % Math.max(1, batches / 40) != 0 && batch != batches - 1)) {
            return;
        }
        int width = 30;
        int done = (int) ((long) (batch + 1) * width / batches);
        System.err.print(String.format(Locale.ROOT, "\r  epoch %3d [%s%s] %3d%%", epoch + 1, "#".repeat(done),
                " ".repeat(width - done), (batch + 1) * 100 / batches));
        if (batch == batches - 1) {
            System.err.print("\r" + " ".repeat(width + 20) + "\r");
        }
    }

    @Override
    public void onEpoch(EpochStats s) {
        if (!headerPrinted) {
            out.println("  epoch        lr  train-loss  val-loss   acc    prec   recall   f1    PR-AUC  ROC-AUC"
                    + "  dead-ReLU  grad-norms (per layer)");
            headerPrinted = true;
        }
        StringBuilder norms = new StringBuilder();
        for (double g : s.layerGradNorms()) {
            norms.append(String.format(Locale.ROOT, " %.3g", g));
        }
        out.printf(Locale.ROOT, "  %5d  %8.2g  %10.4f  %8.4f  %.4f  %.4f  %.4f  %.4f  %.4f  %.4f   %6s  %s%s%n",
                s.epoch(), s.learningRate(), s.trainLoss(), s.validationLoss(), s.accuracy(), s.precision(),
                s.recall(), s.f1(), s.prAuc(), s.rocAuc(),
                Double.isNaN(s.deadReluShare()) ? "n/a" : pct(s.deadReluShare()), norms.toString().trim(),
                s.best() ? "  *best" : "");
        if (s.recall() == 0) {
            out.println("         warning: validation recall is 0 at p ≥ 0.5: predicting all legitimate");
        }
    }

    public void metrics(String title, BinaryReport r) {
        out.println(title);
        ConfusionMatrix m = r.matrix();
        out.printf(Locale.ROOT, "                     predicted fraud   predicted legit%n");
        out.printf(Locale.ROOT, "    actual fraud     %15s   %15s%n", num(m.tp()), num(m.fn()));
        out.printf(Locale.ROOT, "    actual legit     %15s   %15s%n", num(m.fp()), num(m.tn()));
        out.printf(Locale.ROOT, "    threshold %.6f   precision %.4f   recall %.4f   F1 %.4f   accuracy %.4f%n",
                r.threshold(), r.precision(), r.recall(), r.f1(), r.accuracy());
        out.printf(Locale.ROOT, "    ROC-AUC %.4f   PR-AUC (average precision) %.4f%n", r.rocAuc(), r.prAuc());
    }

    /** @param rows which rows these are, e.g. "test rows" */
    public void impact(BusinessImpact b, double falseAlarmCost, String rows) {
        double total = b.fraudCaughtAmount() + b.fraudMissedAmount();
        out.println("  Business impact (" + rows + "):");
        out.printf(Locale.ROOT, "    fraud caught   %,6d payments  %,14.2f in money (%s of fraud money)%n",
                b.fraudCaught(), b.fraudCaughtAmount(), pct(total == 0 ? 0 : b.fraudCaughtAmount() / total));
        out.printf(Locale.ROOT, "    fraud missed   %,6d payments  %,14.2f in money%n", b.fraudMissed(),
                b.fraudMissedAmount());
        out.printf(Locale.ROOT, "    false alarms   %,6.0f payments  (%s of %,.0f transactions; at %.2f each: %,.2f)%n",
                b.falseAlarms(), pct(b.falseAlarms() / Math.max(1, b.transactions())), b.transactions(),
                falseAlarmCost, b.falseAlarms() * falseAlarmCost);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%,.1f", v);
    }
}
