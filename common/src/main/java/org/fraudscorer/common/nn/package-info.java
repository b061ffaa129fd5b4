/**
 * From-scratch multilayer perceptron that turns a transaction's feature vector into a fraud logit:
 * layers, weighted loss, initialisation and kernels, plus an allocation-free single-record scorer.
 */
package org.fraudscorer.common.nn;
