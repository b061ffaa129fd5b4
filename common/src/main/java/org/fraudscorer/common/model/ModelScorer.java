package org.fraudscorer.common.model;

import org.fraudscorer.common.features.Preprocessing;
import org.fraudscorer.common.nn.Inference;
import org.fraudscorer.common.nn.Kernels;

/**
 * Scores one event at a time with a model bundle: preprocessing, network(s), decision and an explanation.
 * Holds preallocated buffers, so a call allocates nothing; use one instance per thread. An ensemble's probability
 * is the sigmoid of its members' mean logit, summed in member order (the trainer's evaluation does the same, so
 * batch and stream scores are equal to the bit).
 */
public final class ModelScorer {
    private final ModelBundle bundle;
    private final Preprocessing preprocessing;
    private final Inference[] inferences;
    private final double[] features;
    private final double[] gradient;
    private final double[] memberGradient;
    private final double threshold;

    ModelScorer(ModelBundle bundle) {
        this.bundle = bundle;
        this.preprocessing = bundle.preprocessing();
        this.inferences = new Inference[bundle.members().size()];
        for (int i = 0; i < inferences.length; i++) {
            inferences[i] = bundle.members().get(i).newInference();
        }
        this.features = new double[preprocessing.featureCount()];
        this.gradient = new double[preprocessing.featureCount()];
        this.memberGradient = new double[preprocessing.featureCount()];
        this.threshold = bundle.threshold().value();
    }

    /**
     * Fraud probability of one event, given its input vector in the schema's input-field order.
     *
     * @throws NoProbabilityException when the network's arithmetic gives none (NaN): never a decision
     */
    public double probability(double[] inputs) {
        preprocessing.apply(inputs, features);
        double p = Kernels.sigmoid(meanLogit(inferences, features));
        if (p != p) { // NaN: 'p >= threshold' is false, so the event was routed clean, silently
            throw new NoProbabilityException(bundle.modelVersion());
        }
        return p;
    }

    /**
     * A model gave no probability for an event: its network overflowed to ∞ − ∞ (every weight is finite, as the model
     * file requires, but a file with weights of 1e308 passed its checks, and with leaky ReLU units scored every event
     * NaN, which the scorer routed clean). The streaming scorer dead-letters the event (PROCESSING_ERROR); the batch
     * commands stop at its row.
     */
    public static final class NoProbabilityException extends ArithmeticException {
        NoProbabilityException(String modelVersion) {
            super("model " + modelVersion + " gave no probability for this event (its network overflowed to NaN): "
                    + "no decision");
        }

        /** This as a batch command's one-line error, {@code where} naming the event (a row, an id). */
        public IllegalArgumentException at(String where) {
            return new IllegalArgumentException(where + ": " + getMessage(), this);
        }
    }

    /** The mean of the members' logits for standardised features {@code x}, summed in member order. */
    public static double meanLogit(Inference[] members, double[] x) {
        if (members.length == 1) {
            return members[0].logit(x);
        }
        double sum = 0;
        for (Inference m : members) {
            sum += m.logit(x);
        }
        return sum / members.length;
    }

    public boolean flagged(double probability) {
        return probability >= threshold;
    }

    public double threshold() {
        return threshold;
    }

    public ModelBundle bundle() {
        return bundle;
    }

    /**
     * Per-feature contributions to the logit of the event last passed to {@link #probability(double[])}:
     * gradient × input over the standardised features (a first-order attribution: cheap, one backward pass per
     * member). For an ensemble the gradient is that of the mean logit, i.e. the mean of the members' gradients.
     * Positive values push towards fraud.
     */
    public void contributions(double[] out) {
        inferences[0].inputGradient(features, gradient);
        if (inferences.length > 1) {
            for (int i = 1; i < inferences.length; i++) {
                inferences[i].inputGradient(features, memberGradient);
                for (int j = 0; j < gradient.length; j++) {
                    gradient[j] += memberGradient[j];
                }
            }
            for (int j = 0; j < gradient.length; j++) {
                gradient[j] /= inferences.length;
            }
        }
        for (int j = 0; j < features.length; j++) {
            out[j] = gradient[j] * features[j];
        }
    }

    /**
     * Indices of the {@code k} largest of the first {@code n} values, largest first (the lowest index first among
     * equal values), into {@code top}; returns how many were written. Allocation-free: the scorer's explanation of a
     * flagged record, {@code score --top-features} and {@code predict} all rank contributions with it.
     */
    public static int topK(double[] values, int n, int k, int[] top) {
        int count = Math.min(k, n);
        for (int slot = 0; slot < count; slot++) {
            int best = -1;
            for (int j = 0; j < n; j++) {
                boolean taken = false;
                for (int s = 0; s < slot; s++) {
                    taken |= top[s] == j;
                }
                if (!taken && (best < 0 || values[j] > values[best])) {
                    best = j;
                }
            }
            top[slot] = best;
        }
        return count;
    }

    /** The standardised features of the event last scored (a view: valid until the next call). */
    public double[] lastFeatures() {
        return features;
    }

    /** Output of dense layer {@code i} of the first member for the event last scored (a view). */
    public double[] activations(int denseLayer) {
        return inferences[0].activations(denseLayer);
    }
}
