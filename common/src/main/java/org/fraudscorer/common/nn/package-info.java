/**
 * From-scratch multilayer perceptron that turns a transaction's feature vector into a fraud logit:
 * layers, weighted loss, initialisation and kernels, plus an allocation-free single-record scorer.
 *
 * <p>{@link org.fraudscorer.common.nn.MLP} stacks {@link org.fraudscorer.common.nn.DenseLayer}s (with
 * {@link org.fraudscorer.common.nn.DropoutLayer}s when training) ending in one linear logit. Two forward paths give
 * the same bits: {@code MLP.forward}/{@code backward} over mini-batches (training and its evaluation) and
 * {@link org.fraudscorer.common.nn.Inference} one record at a time (every scorer, and the gradient × input
 * explanation). Both run the affine step on the Vector API ({@code VectorKernels}, when
 * {@link org.fraudscorer.common.nn.Simd} says so) or on {@link org.fraudscorer.common.nn.Kernels}' scalar loops,
 * and every activation's loop from {@code Kernels}. A hidden unit's function is one
 * {@link org.fraudscorer.common.nn.Activation} constant; adding one: docs/model-quality.md, "The network".
 */
package org.fraudscorer.common.nn;
