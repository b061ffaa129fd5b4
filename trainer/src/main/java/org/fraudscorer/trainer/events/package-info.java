/**
 * Raw payment events offline: replaying a file through the feature engine with delayed labels, the handbook's
 * evaluation protocol (train week, delay, test week; AUC ROC, AP, card precision@100) and a seeded simulator.
 */
package org.fraudscorer.trainer.events;
