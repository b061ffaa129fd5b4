package org.fraudscorer.trainer.train;

/**
 * What one epoch did. Validation figures use the 0.5 probability cut (the tuned threshold comes after training).
 *
 * @param deadReluShare   share of ReLU hidden units that output 0 for every sampled validation row (k-fold
 *                        selection: fold 0's, as the gradient norms); NaN when the network has no ReLU hidden unit
 *                        (leaky ReLU units cannot die: the creditcard default) or there is no validation row
 * @param layerGradNorms  mean L2 norm of each dense layer's gradient over the epoch's batches (k-fold selection: fold
 *                        0's)
 */
public record EpochStats(
        int epoch,
        double learningRate,
        double trainLoss,
        double validationLoss,
        double accuracy,
        double precision,
        double recall,
        double f1,
        double prAuc,
        double rocAuc,
        double deadReluShare,
        double[] layerGradNorms,
        double seconds,
        boolean best) {
}
