package org.fraudscorer.scorer.testing;

import java.time.LocalDate;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.events.EventPeriod;
import org.fraudscorer.trainer.events.HandbookModels;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.TrainingListener;

/**
 * A small raw-event model trained by the trainer's own procedure in a few seconds (8 hidden units, 3 epochs, 2 folds,
 * one member, no refit): what tests that need a real handbook model, with its monitoring reference, score with.
 */
public final class SmallRawModel {
    private SmallRawModel() {
    }

    /** Trained on the events of {@code from}..{@code to}, given their offline features at label delay {@code delay}. */
    public static ModelBundle train(RawEvents events, double[] offline, LocalDate from, LocalDate to, int delay) {
        TrainerConfig tc = TrainerConfig.defaults().toBuilder().hidden(8).learningRate(1e-2).epochs(3).patience(0)
                .seed(7).build();
        return HandbookModels.trainProcedure(events, offline, new EventPeriod(from, to), delay,
                FraudModelTrainer.Options.defaults().withConfig(tc).withFolds(2).withEnsemble(1).withRefit(false),
                TrainingListener.NONE).bundle();
    }
}
