package org.fraudscorer.common.nn;

/** Row-weighted binary cross-entropy on logits, and L2 weight decay. */
public final class Loss {

    private Loss() {
    }

    /**
     * Weighted mean BCE, {@code sum_i w_i l_i / batch}, computed from logits so it is finite for
     * any z. Writes {@code gradLogits[i] = w_i (sigmoid(z_i) - y_i) / batch}.
     *
     * @param rowWeights per-row weights (e.g. for class imbalance), or null for all ones
     * @param gradLogits receives d loss / d logit, or null to evaluate the loss only
     */
    public static double bceWithLogits(double[] logits, double[] labels, double[] rowWeights, int batch,
            double[] gradLogits) {
        Shapes.requirePositive("bceWithLogits batch", batch);
        Shapes.requireRows("logits", logits, batch, 1);
        Shapes.requireRows("labels", labels, batch, 1);
        if (rowWeights != null) {
            Shapes.requireRows("rowWeights", rowWeights, batch, 1);
        }
        if (gradLogits != null) {
            Shapes.requireRows("gradLogits", gradLogits, batch, 1);
        }
        double invBatch = 1.0 / batch;
        double total = 0.0;
        for (int i = 0; i < batch; i++) {
            double z = logits[i];
            double y = labels[i];
            double w = rowWeights == null ? 1.0 : rowWeights[i];
            // BCE from logits: l = max(z,0) - z*y + log1p(exp(-|z|)), exp never overflows.
            total += w * (Math.max(z, 0.0) - z * y + Math.log1p(Math.exp(-Math.abs(z))));
            if (gradLogits != null) {
                // d l / d z = sigmoid(z) - y.
                gradLogits[i] = w * (Kernels.sigmoid(z) - y) * invBatch;
            }
        }
        return total * invBatch;
    }

    /** Logistic function, stable for large |z| (no overflow, exact 0 and 1 in the limits). */
    public static double sigmoid(double z) {
        return Kernels.sigmoid(z);
    }

    /** L2 weight decay {@code lambda/2 * sum w^2} over weights only; biases are not decayed. */
    public static double l2Penalty(MLP mlp, double lambda) {
        double sum = 0.0;
        for (DenseLayer layer : mlp.denseLayers()) {
            sum += Kernels.sumOfSquares(layer.weights(), layer.weights().length);
        }
        return 0.5 * lambda * sum;
    }

    /**
     * Adds {@code lambda * w}, the gradient of {@link #l2Penalty}, to the weight gradients. Call it
     * after {@link MLP#backward}, which overwrites the gradients.
     */
    public static void addL2Gradient(MLP mlp, double lambda) {
        for (DenseLayer layer : mlp.denseLayers()) {
            Parameter w = layer.weightParameter();
            Kernels.axpy(lambda, w.value(), w.grad(), w.size());
        }
    }
}
