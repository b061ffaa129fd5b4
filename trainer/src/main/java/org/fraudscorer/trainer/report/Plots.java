package org.fraudscorer.trainer.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fraudscorer.common.metrics.Curve;
import org.fraudscorer.common.metrics.RankingMetrics;
import org.fraudscorer.trainer.train.EpochStats;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots of a run: learning curves, precision-recall and ROC curves on the test rows. */
public final class Plots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Points closer than this (in x and in y, both on [0, 1]) are drawn as one: about half a pixel at 600. */
    static final double STEP = 1e-3;

    private Plots() {
    }

    /** Writes {@code learning-curves.png}, {@code pr-curve.png} and {@code roc-curve.png}; returns their paths. */
    public static List<Path> write(Path dir, List<EpochStats> history, double[] testScores, int[] testLabels,
                                   double[] weights) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        out.add(save(learningCurves(history), dir.resolve("learning-curves.png")));
        out.add(save(precisionRecall(testScores, testLabels, weights), dir.resolve("pr-curve.png")));
        out.add(save(roc(testScores, testLabels, weights), dir.resolve("roc-curve.png")));
        return out;
    }

    /**
     * The precision-recall curve, and chance: a score that knows nothing has the share of frauds as its precision at
     * every recall.
     */
    static XYChart precisionRecall(double[] scores, int[] labels, double[] weights) {
        Curve pr = RankingMetrics.precisionRecallCurve(scores, labels, weights).thinned(STEP);
        XYChart c = curve("Precision-recall (test)", "recall", "precision", pr.x(), pr.y(),
                String.format(Locale.ROOT, "AP = %.4f", RankingMetrics.averagePrecision(scores, labels, weights)));
        double share = fraudShare(labels, weights);
        double[] level = new double[CHANCE.length];
        java.util.Arrays.fill(level, share);
        add(c, String.format(Locale.ROOT, "chance (%.4f of rows are fraud)", share), CHANCE, level);
        return c;
    }

    /** The ROC curve, and chance: the diagonal. */
    static XYChart roc(double[] scores, int[] labels, double[] weights) {
        Curve roc = RankingMetrics.rocCurve(scores, labels, weights).thinned(STEP);
        XYChart c = curve("ROC (test)", "false positive rate", "true positive rate", roc.x(), roc.y(),
                String.format(Locale.ROOT, "AUC = %.4f", RankingMetrics.rocAuc(scores, labels, weights)));
        add(c, "chance", CHANCE, CHANCE);
        return c;
    }

    /**
     * The chance lines' x values, 0 to 1 by 0.1. They are also what keeps the axes' ticks right: a curve's rates are
     * multiples of 1/frauds, evenly spaced, and XChart then puts a tick at each such value (0.0220588…, the "1.0"
     * label 4% below the curve's top) instead of at round ones.
     */
    private static final double[] CHANCE = java.util.stream.IntStream.rangeClosed(0, 10).mapToDouble(i -> i / 10.0)
            .toArray();

    private static double fraudShare(int[] labels, double[] weights) {
        double frauds = 0;
        double all = 0;
        for (int i = 0; i < labels.length; i++) {
            double w = weights == null ? 1 : weights[i];
            frauds += labels[i] == 1 ? w : 0;
            all += w;
        }
        return all > 0 ? frauds / all : 0;
    }

    static XYChart learningCurves(List<EpochStats> history) {
        XYChart c = new XYChartBuilder().width(800).height(500).title("Learning curves").xAxisTitle("epoch")
                .yAxisTitle("value").build();
        c.getStyler().setLocale(Locale.ROOT);
        double[] epochs = history.stream().mapToDouble(EpochStats::epoch).toArray();
        add(c, "train loss", epochs, history.stream().mapToDouble(EpochStats::trainLoss).toArray());
        add(c, "validation loss", epochs, history.stream().mapToDouble(EpochStats::validationLoss).toArray());
        add(c, "validation PR-AUC", epochs, history.stream().mapToDouble(EpochStats::prAuc).toArray());
        add(c, "validation F1@0.5", epochs, history.stream().mapToDouble(EpochStats::f1).toArray());
        return c;
    }

    static XYChart curve(String title, String x, String y, double[] xs, double[] ys, String label) {
        XYChart c = new XYChartBuilder().width(600).height(600).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        c.getStyler().setLocale(Locale.ROOT); // axis numbers as in the reports, whatever the machine's locale
        add(c, label, xs, ys);
        return c;
    }

    private static void add(XYChart c, String name, double[] xs, double[] ys) {
        XYSeries s = c.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.NONE);
    }

    static Path save(XYChart chart, Path file) throws IOException {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
