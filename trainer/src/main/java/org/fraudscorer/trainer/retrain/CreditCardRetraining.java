package org.fraudscorer.trainer.retrain;

import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.trainer.data.Dataset;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.TrainingListener;

/**
 * A challenger from labelled creditcard-format rows (an archive's rows, or the events of the input topic that have a
 * label on the labels topic: the app's {@code CreditCardTopicHistory.read}). The window is the trainer's
 * time-ordered test part, the latest rows by {@code Time} ({@code 1 − train − validation fraction} of them); the
 * evaluated challenger never saw it, the champion is scored on the same rows, and the published model is the
 * trainer's shipped model (refit on every row unless {@code --no-refit}).
 */
public final class CreditCardRetraining {
    private CreditCardRetraining() {
    }

    public static Challenge challenge(Dataset data, FraudModelTrainer.Options options, ModelBundle champion,
                                      TrainingListener listener) {
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
        if (champion != null) {
            EventFamily.CREDITCARD.requireModel(champion.schema(), champion.modelVersion(), data.source());
        }
        FraudModelTrainer.Result r = FraudModelTrainer.train(data, options, listener);
        Dataset window = r.split().test();
        String windowText = "the latest " + window.rows() + " rows by Time";
        if (window.positives() == 0) {
            throw new IllegalArgumentException("the gate cannot be evaluated: the latest labelled window ("
                    + windowText + ") holds no fraud");
        }
        int[] y = window.labels();
        double[] weights = FraudModelTrainer.weights(y, options.negativeWeight()); // at the real prevalence
        WindowMetrics championMetrics = null;
        double championPrecision = Double.NaN;
        double[] pc = null;
        if (champion != null) {
            pc = org.fraudscorer.trainer.train.RowScoring.probabilities(champion, window);
            championMetrics = WindowMetrics.ofChampion(champion.modelVersion(), pc, y, weights,
                    champion.threshold().value(), Double.NaN);
            championPrecision = championMetrics.precision();
        }
        WindowMetrics challengerMetrics = WindowMetrics.of(r.evaluated().modelVersion(), r.testScores(), y, weights,
                r.evaluated().threshold().value(), Double.NaN, championPrecision);
        return new Challenge(r.bundle(), r.evaluated().modelVersion(), "the earliest " + r.development().rows()
                + " rows by Time", windowText, challengerMetrics, championMetrics,
                pc == null ? null : ChallengerGate.bootstrap(r.testScores(), pc, y, weights), null);
    }
}
