package org.fraudscorer.trainer.cli;

import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelScorer;
import org.fraudscorer.trainer.data.Dataset;

/**
 * Scores a dataset row by row through {@link ModelScorer}: the very code path of the streaming scorer, so the
 * batch probabilities and the live ones agree to the last bit.
 */
final class BatchScoring {
    private BatchScoring() {
    }

    static double[] probabilities(ModelBundle model, Dataset d) {
        if (model.schema().equals(org.fraudscorer.common.features.FeatureSchema.HANDBOOK)) {
            throw new IllegalArgumentException("model " + model.modelVersion() + " uses feature schema "
                    + model.schema().name() + " (raw payment events), but " + d.source() + " is in creditcard format");
        }
        if (d.inputCount() != model.schema().inputCount()) {
            throw new IllegalArgumentException("model " + model.modelVersion() + " expects " + model.schema().inputCount()
                    + " input fields " + model.schema().inputFields() + ", data has " + d.inputCount());
        }
        if (!d.inputNames().equals(model.schema().inputFields())) {
            throw new IllegalArgumentException("model " + model.modelVersion() + " expects input fields "
                    + model.schema().inputFields() + ", data has " + d.inputNames());
        }
        ModelScorer scorer = model.newScorer();
        int in = d.inputCount();
        double[] row = new double[in];
        double[] out = new double[d.rows()];
        for (int r = 0; r < d.rows(); r++) {
            d.copyRow(r, row, 0);
            out[r] = scorer.probability(row);
        }
        return out;
    }
}
