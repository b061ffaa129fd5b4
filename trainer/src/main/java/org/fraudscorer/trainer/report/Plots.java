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

    static XYChart precisionRecall(double[] scores, int[] labels, double[] weights) {
        Curve pr = RankingMetrics.precisionRecallCurve(scores, labels, weights);
        return curve("Precision-recall (test)", "recall", "precision", pr.x(), pr.y(),
                String.format(Locale.ROOT, "AP = %.4f", RankingMetrics.averagePrecision(scores, labels, weights)));
    }

    static XYChart roc(double[] scores, int[] labels, double[] weights) {
        Curve roc = RankingMetrics.rocCurve(scores, labels, weights);
        return curve("ROC (test)", "false positive rate", "true positive rate", roc.x(), roc.y(),
                String.format(Locale.ROOT, "AUC = %.4f", RankingMetrics.rocAuc(scores, labels, weights)));
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
