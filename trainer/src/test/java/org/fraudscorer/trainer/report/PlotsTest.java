package org.fraudscorer.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.fraudscorer.trainer.train.EpochStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class PlotsTest {
    @TempDir
    Path dir;

    private static final double[] SCORES = {0.9, 0.8, 0.7, 0.4, 0.35, 0.2, 0.1, 0.05};
    private static final int[] LABELS = {1, 0, 1, 0, 1, 0, 0, 0};

    private static List<EpochStats> history() {
        return List.of(
                new EpochStats(1, 1e-3, 0.5, 0.45, 0.9, 0.5, 0.5, 0.5, 0.6, 0.8, 0, new double[] {1}, 0.1, false),
                new EpochStats(2, 1e-3, 0.3, 0.35, 0.95, 0.6, 0.6, 0.6, 0.7, 0.85, 0, new double[] {1}, 0.1, true));
    }

    @Test
    void writesTheThreePlotsAsReadablePngImages() throws IOException {
        List<Path> files = Plots.write(dir.resolve("plots"), history(), SCORES, LABELS, null);
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("learning-curves.png", "pr-curve.png", "roc-curve.png");
        for (Path f : files) {
            BufferedImage image = ImageIO.read(f.toFile());
            assertThat(image).as(f.toString()).isNotNull();
            assertThat(image.getWidth()).isGreaterThanOrEqualTo(600);
        }
    }

    /**
     * Chance on each curve: the diagonal of the ROC plot, the share of frauds (weighted) across the precision-recall
     * plot. Their 0.1-spaced points also keep XChart's ticks on round values: with the curve alone, whose rates are
     * multiples of 1/frauds, it labelled ticks 0.0220588… and drew the curve's top above the "1.0" tick.
     */
    @Test
    void eachCurveHasItsChanceLine() {
        org.knowm.xchart.XYSeries diagonal = Plots.roc(SCORES, LABELS, null).getSeriesMap().get("chance");
        assertThat(diagonal.getXData()).containsExactly(0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0);
        assertThat(diagonal.getYData()).containsExactly(diagonal.getXData());
        double[] w = {1, 2, 1, 2, 1, 2, 2, 2}; // 3 frauds of weight 1 among 13 in all
        XYChart pr = Plots.precisionRecall(SCORES, LABELS, w);
        org.knowm.xchart.XYSeries level = pr.getSeriesMap().get("chance (0.2308 of rows are fraud)");
        assertThat(level).isNotNull();
        assertThat(level.getYData()).containsOnly(3.0 / 13);
    }

    /** The figures on a plot read as in the text reports (0.7639), not as the machine's locale writes them. */
    @Test
    void labelsAndAxesDoNotDependOnTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            XYChart pr = Plots.precisionRecall(SCORES, LABELS, null);
            XYChart roc = Plots.roc(SCORES, LABELS, null);
            // AP: precision 1 at recall 1/3, 2/3 at 2/3, 3/5 at 1 → (1 + 2/3 + 3/5) / 3
            assertThat(pr.getSeriesMap()).containsOnlyKeys("AP = 0.7556", "chance (0.3750 of rows are fraud)");
            // AUC: of 15 (fraud, normal) pairs, the frauds at 0.7 and 0.35 are below one and two normals → 12/15
            assertThat(roc.getSeriesMap()).containsOnlyKeys("AUC = 0.8000", "chance");
            for (XYChart c : List.of(pr, roc, Plots.learningCurves(history()))) {
                assertThat(c.getStyler().getLocale()).isEqualTo(Locale.ROOT);
            }
        } finally {
            Locale.setDefault(before);
        }
    }
}
