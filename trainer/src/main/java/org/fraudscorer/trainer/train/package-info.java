/**
 * Fitting the network: optimisers, learning-rate schedules, batch sampling and resampling for extreme class
 * imbalance, early stopping, and the training loop with its divergence guard.
 */
package org.fraudscorer.trainer.train;
