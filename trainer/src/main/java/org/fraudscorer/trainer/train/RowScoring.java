package org.fraudscorer.trainer.train;

import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.trainer.data.Dataset;

/** Creditcard-format rows scored by a model file, as {@code score}, {@code evaluate} and {@code retrain} do. */
public final class RowScoring {
    private RowScoring() {
    }

    /**
     * Scores a dataset row by row through {@link org.fraudscorer.common.model.ModelScorer}: the very code path of
     * the streaming scorer, so the batch probabilities and the live ones agree to the last bit.
     */
    public static double[] probabilities(ModelBundle model, Dataset d) {
        requireModel(model, d.source());
        var scorer = model.newScorer();
        double[] row = new double[d.inputCount()];
        double[] out = new double[d.rows()];
        for (int r = 0; r < d.rows(); r++) {
            d.copyRow(r, row, 0);
            try {
                out[r] = scorer.probability(row);
            } catch (org.fraudscorer.common.model.ModelScorer.NoProbabilityException e) {
                throw e.at(d.source() + " row " + d.rowNumber(r));
            }
        }
        return out;
    }

    /**
     * Refuses a model that does not read creditcard rows' {@link Dataset#INPUT_NAMES} (a raw-event model, or a schema
     * of other inputs), naming the data {@code source}.
     */
    public static void requireModel(ModelBundle model, String source) {
        EventFamily.CREDITCARD.requireModel(model.schema(), model.modelVersion(), source);
        if (!Dataset.INPUT_NAMES.equals(model.schema().inputFields())) {
            throw new IllegalArgumentException("model " + model.modelVersion() + " expects " + model.schema().inputCount()
                    + " input fields " + model.schema().inputFields() + ", data has " + Dataset.INPUT_COUNT + " "
                    + Dataset.INPUT_NAMES);
        }
    }
}
