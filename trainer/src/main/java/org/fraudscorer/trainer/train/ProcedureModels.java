package org.fraudscorer.trainer.train;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.Preprocessing;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ThresholdInfo;
import org.fraudscorer.common.nn.MLP;

/**
 * What the models of one {@code train} run share, and how each is assembled: the evaluated model (the one the test
 * figures are of) and the refit both carry the procedure's schema, threshold, seed, metrics, hyperparameters and
 * provenance, and differ only in their preprocessing, members and the rows they were fitted on. Used by the
 * creditcard procedure ({@link FraudModelTrainer}) and the raw-event one ({@code events.HandbookModels}).
 */
public record ProcedureModels(FeatureSchema schema, ThresholdInfo threshold, long seed,
                              Map<String, Map<String, Double>> metrics, Map<String, Object> hyperparameters,
                              Provenance provenance) {

    /**
     * One model of the procedure, versioned now, with its monitoring reference taken from the rows it was fitted on.
     *
     * @param fit       {@link Provenance#EVALUATED} or {@link Provenance#REFIT}
     * @param rawInputs the fitted rows' inputs before preprocessing, {@code rows} of them
     * @param positives the frauds among them
     * @param period    more provenance for this model (raw events: {@link Provenance#period}), or an empty map
     * @param described how the monitoring reference names these rows
     */
    public ModelBundle model(Preprocessing preprocessing, List<MLP> members, String fit, double[] rawInputs, int rows,
                             int positives, Map<String, Object> period, String described) {
        Instant now = Instant.now();
        return new ModelBundle(ModelBundle.versionFor(now), now, schema, preprocessing, members, threshold, seed, metrics,
                hyperparameters, provenance.fit(fit, rows, positives, period), null)
                .monitoredOn(rawInputs, rows, described);
    }
}
