package org.fraudscorer.trainer.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fraudscorer.common.model.ModelBundle;

/**
 * Builds a model file's {@code provenance}: where the model came from. Every trained model starts from
 * {@link #of} (library and Java version, the data's source), adds what its procedure knows, and ends with
 * {@link #fit}: which rows this particular model was fitted on ({@code evaluated} or {@code refit}).
 */
public final class Provenance {
    private final Map<String, Object> entries;

    private Provenance(Map<String, Object> entries) {
        this.entries = entries;
    }

    /** Library version, Java version and the data source. */
    public static Provenance of(String data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("library", "fraud-scorer " + FraudModelTrainer.version());
        m.put("java", System.getProperty("java.version"));
        m.put("data", data);
        return new Provenance(m);
    }

    public Provenance put(String key, Object value) {
        entries.put(key, value);
        return this;
    }

    /** The label delay the features were computed with: read back as {@link ModelBundle#labelDelayDays()}. */
    public Provenance labelDelayDays(int days) {
        return put(ModelBundle.LABEL_DELAY_KEY, days);
    }

    /**
     * A copy that says which rows this model was fitted on.
     *
     * @param kind {@code evaluated} (the model the test figures are of) or {@code refit} (the shipped refit)
     */
    public Map<String, Object> fit(String kind, int rows, int positives, Map<String, Object> more) {
        Map<String, Object> m = new LinkedHashMap<>(entries);
        m.put("fit", kind);
        m.putAll(more);
        m.put("fitRows", rows);
        m.put("fitPositives", positives);
        return m;
    }

    /** The entries so far. */
    public Map<String, Object> map() {
        return new LinkedHashMap<>(entries);
    }
}
