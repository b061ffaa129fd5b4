/**
 * Retraining from what the system saw: train a challenger with the trainer's procedure, measure it and the serving
 * champion on the same latest labelled window, and decide by a stated gate whether the challenger may be published.
 */
package org.fraudscorer.trainer.retrain;
