package org.fraudscorer.common.model;

import org.fraudscorer.common.features.Preprocessing;
import org.fraudscorer.common.nn.Inference;

/**
 * Scores one event at a time with a model bundle: preprocessing, network, decision and an explanation.
 * Holds preallocated buffers, so a call allocates nothing; use one instance per thread.
 */
public final class ModelScorer {
    private final ModelBundle bundle;
    private final Preprocessing preprocessing;
    private final Inference inference;
    private final double[] features;
    private final double[] gradient;
    private final double threshold;

    ModelScorer(ModelBundle bundle) {
        this.bundle = bundle;
        this.preprocessing = bundle.preprocessing();
        this.inference = bundle.network().newInference();
        this.features = new double[preprocessing.featureCount()];
        this.gradient = new double[preprocessing.featureCount()];
        this.threshold = bundle.threshold().value();
    }

    /** Fraud probability of one event, given its input vector in the schema's input-field order. */
    public double probability(double[] inputs) {
        preprocessing.apply(inputs, features);
        return inference.probability(features);
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
     * gradient × input over the standardised features (a first-order attribution: cheap, one backward pass).
     * Positive values push towards fraud.
     */
    public void contributions(double[] out) {
        inference.inputGradient(features, gradient);
        for (int j = 0; j < features.length; j++) {
            out[j] = gradient[j] * features[j];
        }
    }

    /** The standardised features of the event last scored (a view: valid until the next call). */
    public double[] lastFeatures() {
        return features;
    }

    /** Output of dense layer {@code i} for the event last scored (a view). */
    public double[] activations(int denseLayer) {
        return inference.activations(denseLayer);
    }
}
