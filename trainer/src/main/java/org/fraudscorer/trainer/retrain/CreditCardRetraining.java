package org.fraudscorer.trainer.retrain;

import java.util.Locale;
import java.util.Map;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.text.Counted;
import org.fraudscorer.trainer.data.Dataset;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.Provenance;
import org.fraudscorer.trainer.train.TrainingListener;

/**
 * A challenger from labelled creditcard-format rows (an archive's rows, or the events of the input topic that have a
 * label on the labels topic: the app's {@code CreditCardTopicHistory.read}). The window is the trainer's
 * time-ordered test part, the latest rows by {@code Time} ({@code 1 − train − validation fraction} of them); the
 * evaluated challenger never saw it, the champion is scored on the same rows, and the published model is the
 * trainer's shipped model (refit on every row unless {@code --no-refit}).
 *
 * <p>A champion published by an earlier retrain from the topics was refit on every row it read, and the latest rows by
 * {@code Time} are then mostly rows it learnt: on 239 such rows its AP was 0.9812 against 0.9012 for the model before
 * it, so every retrain after a promotion was judged in its favour, silently. Rows read from the topics therefore come
 * with their places on the input topic ({@link InputRead}), the published model records the topic's end offsets, and
 * the window's rows below the champion's recorded offsets (rows it may have been fit on) are left out of the
 * judgement when the others still judge a model ({@link ChallengerGate#MIN_PER_CLASS} of each class); otherwise both
 * are judged on the whole window with a {@code caveat}.
 */
public final class CreditCardRetraining {
    private CreditCardRetraining() {
    }

    /** Rows of an archive: no place on a topic, so no claim of which rows the champion was fit on. */
    public static Challenge challenge(Dataset data, FraudModelTrainer.Options options, ModelBundle champion,
                                      TrainingListener listener) {
        return challenge(data, options, champion, listener, null);
    }

    /**
     * @param read where {@code data}'s rows came from on the input topic, row for row (the topics' rows), or null (an
     *             archive)
     */
    public static Challenge challenge(Dataset data, FraudModelTrainer.Options options, ModelBundle champion,
                                      TrainingListener listener, InputRead read) {
        if (!options.timeOrdered()) {
            throw new IllegalArgumentException("retrain evaluates on the latest rows: --split must be time");
        }
        if (!data.hasLabels()) {
            throw new IllegalArgumentException(data.source() + " has no Class column: a challenger learns from labels");
        }
        if (data.positives() == 0) {
            throw new IllegalArgumentException("no fraud among the " + data.rows() + " rows of " + data.source()
                    + ": a model cannot learn fraud from them");
        }
        if (read != null && read.positions().length != data.rows()) {
            throw new IllegalArgumentException("the places of " + read.positions().length + " rows on " + read.topic()
                    + " for " + data.rows() + " rows");
        }
        if (champion != null) {
            EventFamily.CREDITCARD.requireModel(champion.schema(), champion.modelVersion(), data.source());
        }
        FraudModelTrainer.Result r = FraudModelTrainer.train(data, options, listener);
        // the published model says which rows of the topic it may have been fit on, for the next retrain
        ModelBundle published = read == null ? r.bundle() : r.bundle().withProvenance(read.provenance());
        Dataset window = r.split().test();
        String windowText = "the latest " + window.rows() + " rows by Time";
        if (window.positives() == 0) {
            throw new IllegalArgumentException("the gate cannot be evaluated: the latest labelled window ("
                    + windowText + ") holds no fraud");
        }
        int[] y = window.labels();
        double[] p = r.testScores();
        Map<Integer, Long> ends = champion == null || read == null ? null
                : Provenance.inputEndOffsets(champion.provenance(), read.topic());
        Map<Integer, Long> labelEnds = ends == null || read.labels() == null ? null
                : Provenance.labelsEndOffsets(champion.provenance(), read.labels().topic());
        boolean[] seen = null;
        if (ends != null) {
            seen = new boolean[window.rows()];
            for (int k = 0; k < seen.length; k++) {
                // Dataset.of numbers its rows 1..n in order
                seen[k] = read.seen(window.rowNumber(k) - 1, ends, labelEnds);
            }
        }
        Judged judged = judged(seen, y, champion == null ? null : champion.modelVersion(), read == null ? null
                : "an event on " + read.topic() + (labelEnds == null ? "" : " and a label on " + read.labels().topic())
                + " below the end offsets its provenance records");
        if (judged.rows() != null) {
            y = pick(y, judged.rows());
            p = pick(p, judged.rows());
        }
        double[] weights = FraudModelTrainer.weights(y, options.negativeWeight()); // at the real prevalence
        WindowMetrics championMetrics = null;
        double championPrecision = Double.NaN;
        double[] pc = null;
        if (champion != null) {
            pc = org.fraudscorer.trainer.train.RowScoring.probabilities(champion,
                    judged.rows() == null ? window : window.subset(judged.rows()));
            championMetrics = WindowMetrics.ofChampion(champion.modelVersion(), pc, y, weights,
                    champion.threshold().value(), Double.NaN);
            championPrecision = championMetrics.precision();
        }
        WindowMetrics challengerMetrics = WindowMetrics.of(r.evaluated().modelVersion(), p, y, weights,
                r.evaluated().threshold().value(), Double.NaN, championPrecision);
        return new Challenge(published, r.evaluated().modelVersion(), "the earliest " + r.development().rows()
                + " rows by Time", windowText, challengerMetrics, championMetrics,
                pc == null ? null : ChallengerGate.bootstrap(p, pc, y, weights), judged.caveat(), judged.overlap());
    }

    /**
     * The window's rows both models are judged on: {@code rows} (indices into the window; null for all of them), the
     * overlap with the champion's fit (null when unknown) and the caveat (null when none).
     */
    record Judged(int[] rows, Challenge.Overlap overlap, String caveat) {
    }

    /**
     * Which of the window's rows judge the models, given which of them the champion may have been fit on
     * ({@code seen}, null when its provenance does not say): the others, when they hold at least
     * {@link ChallengerGate#MIN_PER_CLASS} frauds and as many genuine rows; else all, with a caveat.
     *
     * @param y     the window's labels
     * @param where what makes a row one the champion may have been fit on, for the messages
     */
    static Judged judged(boolean[] seen, int[] y, String championVersion, String where) {
        if (seen == null) {
            return new Judged(null, null, null);
        }
        int seenRows = 0;
        int unseenFrauds = 0;
        for (int k = 0; k < seen.length; k++) {
            if (seen[k]) {
                seenRows++;
            } else {
                unseenFrauds += y[k];
            }
        }
        if (seenRows == 0) {
            return new Judged(null, new Challenge.Overlap(0, 0, null), null);
        }
        int unseen = seen.length - seenRows;
        int unseenGenuine = unseen - unseenFrauds;
        if (unseenFrauds < ChallengerGate.MIN_PER_CLASS || unseenGenuine < ChallengerGate.MIN_PER_CLASS) {
            String others = unseen == 0 ? "no row of it is one it cannot have seen"
                    : String.format(Locale.ROOT, "the %,d others hold %s and %,d genuine, too few to judge on (%d of "
                    + "each)", unseen, Counted.of(unseenFrauds, "fraud"), unseenGenuine, ChallengerGate.MIN_PER_CLASS);
            return new Judged(null, new Challenge.Overlap(seenRows, 0, null), String.format(Locale.ROOT,
                    "the champion %s may have been fit on %,d of the window's %,d rows (%s): %s, so both were judged "
                    + "on the whole window, where its figures are not held out: the comparison favours it",
                    championVersion, seenRows, seen.length, where, others));
        }
        int[] rows = new int[unseen];
        for (int k = 0, i = 0; k < seen.length; k++) {
            if (!seen[k]) {
                rows[i++] = k;
            }
        }
        return new Judged(rows, new Challenge.Overlap(seenRows, seenRows, String.format(Locale.ROOT, "judged on the "
                + "%,d window rows the champion cannot have seen (%s); left out the %,d it may have been fit on (%s)",
                unseen, Counted.of(unseenFrauds, "fraud"), seenRows, where)), null);
    }

    private static int[] pick(int[] values, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return out;
    }

    private static double[] pick(double[] values, int[] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return out;
    }
}
