/**
 * Fitting the network and the procedure around it.
 *
 * <ul>
 *   <li>The loop: {@link org.fraudscorer.trainer.train.Trainer} (epochs, early stopping, the divergence guard) with
 *       optimisers ({@link org.fraudscorer.trainer.train.Adam}, {@link org.fraudscorer.trainer.train.Sgd}),
 *       learning-rate schedules, batch sampling and resampling for extreme class imbalance.</li>
 *   <li>The procedure {@code train} runs (docs/model-quality.md): k-fold selection of the epoch count and threshold
 *       ({@link org.fraudscorer.trainer.train.CrossValidation}, {@link org.fraudscorer.trainer.train.ThresholdPolicy}),
 *       the evaluated and refit ensembles ({@link org.fraudscorer.trainer.train.Ensembles}), all driven for
 *       creditcard rows by {@link org.fraudscorer.trainer.train.FraudModelTrainer} (raw events:
 *       {@code org.fraudscorer.trainer.events.HandbookModels}); the search of {@code tune}
 *       ({@link org.fraudscorer.trainer.train.Tuner}).</li>
 *   <li>Batch scoring with the scorer's own path: {@link org.fraudscorer.trainer.train.RowScoring} and the
 *       explanations of {@code score --top-features} ({@link org.fraudscorer.trainer.train.TopFeatures}).</li>
 * </ul>
 */
package org.fraudscorer.trainer.train;
