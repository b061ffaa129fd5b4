package org.fraudscorer.trainer.train;

/** Receives progress from the training loop (console report, JSON report, tests). */
public interface TrainingListener {
    default void onBatch(int epoch, int batch, int batches) {
    }

    default void onEpoch(EpochStats stats) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
