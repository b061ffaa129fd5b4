package org.fraudscorer.trainer.train;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fraudscorer.common.model.ModelBundle;

/**
 * Builds a model file's {@code provenance}: where the model came from. Every trained model starts from
 * {@link #of} (library and Java version, the data's source), adds what its procedure knows, and ends with
 * {@link #fit}: which rows this particular model was fitted on ({@code evaluated} or {@code refit}). The keys are
 * written and read back here only ({@link #isRefit}, {@link #data}, {@link #trainTo}).
 */
public final class Provenance {
    /** The data file the model was trained from, as given. */
    public static final String DATA = "data";
    /** Which model of the procedure this is: {@value #EVALUATED} or {@value #REFIT}. */
    public static final String FIT = "fit";
    public static final String EVALUATED = "evaluated";
    public static final String REFIT = "refit";
    public static final String FIT_ROWS = "fitRows";
    public static final String FIT_POSITIVES = "fitPositives";
    /** Raw events: the first and last day of the payments the model was fitted on ({@code YYYY-MM-DD}). */
    public static final String TRAIN_FROM = "trainFrom";
    public static final String TRAIN_TO = "trainTo";
    /**
     * Creditcard rows read back from the topics ({@code retrain --family creditcard}): the input topic, and its end
     * offsets per partition as read ({@code {"0": 812, "1": 790}}; the read took its records below them). A next
     * retrain tells by them which of its window's rows this model may have been fit on ({@link #inputEndOffsets}).
     */
    public static final String INPUT_TOPIC = "inputTopic";
    public static final String INPUT_END_OFFSETS = "inputEndOffsets";
    /**
     * The same for the labels topic the rows' labels were read from: a row counts as one the model may have been fit on
     * only when both its event and a label of it were below the recorded offsets ({@link #labelsEndOffsets}).
     */
    public static final String LABELS_TOPIC = "labelsTopic";
    public static final String LABELS_END_OFFSETS = "labelsEndOffsets";

    private final Map<String, Object> entries;

    private Provenance(Map<String, Object> entries) {
        this.entries = entries;
    }

    /** Library version, Java version and the data source. */
    public static Provenance of(String data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("library", "fraud-scorer " + FraudModelTrainer.version());
        m.put("java", System.getProperty("java.version"));
        m.put(DATA, data);
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
        m.put(FIT, kind);
        m.putAll(more);
        m.put(FIT_ROWS, rows);
        m.put(FIT_POSITIVES, positives);
        return m;
    }

    /** The first and last day of a raw-event model's fitted payments, as {@link #trainTo} reads them back. */
    public static Map<String, Object> period(LocalDate from, LocalDate to) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(TRAIN_FROM, from.toString());
        m.put(TRAIN_TO, to.toString());
        return m;
    }

    /**
     * The input topic rows were read from and its end offsets per partition, read back by {@link #inputEndOffsets}, and
     * the labels topic with its own ({@link #labelsEndOffsets}; none when {@code labelsTopic} is null).
     */
    public static Map<String, Object> inputRead(String topic, Map<Integer, Long> endOffsets, String labelsTopic,
                                                Map<Integer, Long> labelsEndOffsets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(INPUT_TOPIC, topic);
        m.put(INPUT_END_OFFSETS, offsets(endOffsets));
        if (labelsTopic != null) {
            m.put(LABELS_TOPIC, labelsTopic);
            m.put(LABELS_END_OFFSETS, offsets(labelsEndOffsets));
        }
        return m;
    }

    private static Map<String, Object> offsets(Map<Integer, Long> endOffsets) {
        Map<String, Object> ends = new LinkedHashMap<>();
        new java.util.TreeMap<>(endOffsets).forEach((partition, end) -> ends.put(partition.toString(), end));
        return ends;
    }

    /**
     * The end offsets per partition of {@code topic} that a model file says its rows were read to, or null when it
     * does not say so of that topic (an older file, a model trained from an archive or from another topic) or says
     * something that is not offsets (a hand-edited file).
     */
    public static Map<Integer, Long> inputEndOffsets(Map<String, Object> provenance, String topic) {
        return endOffsets(provenance, INPUT_TOPIC, INPUT_END_OFFSETS, topic);
    }

    /**
     * The end offsets per partition of the labels topic {@code topic} that a model file says its rows' labels were read
     * to, or null when it does not say so of that topic (a file written before they were recorded, 2026-12-07).
     */
    public static Map<Integer, Long> labelsEndOffsets(Map<String, Object> provenance, String topic) {
        return endOffsets(provenance, LABELS_TOPIC, LABELS_END_OFFSETS, topic);
    }

    private static Map<Integer, Long> endOffsets(Map<String, Object> provenance, String topicKey, String offsetsKey,
                                                 String topic) {
        if (!topic.equals(provenance.get(topicKey)) || !(provenance.get(offsetsKey) instanceof Map<?, ?> m)) {
            return null;
        }
        Map<Integer, Long> ends = new java.util.TreeMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            int partition;
            try {
                partition = Integer.parseInt(String.valueOf(e.getKey()));
            } catch (NumberFormatException notAPartition) {
                return null;
            }
            if (partition < 0 || !(e.getValue() instanceof Number n) || n.longValue() < 0
                    || n.doubleValue() != n.longValue()) {
                return null;
            }
            ends.put(partition, n.longValue());
        }
        return ends;
    }

    /** Whether a model file says it is the refit on every labelled row (the default of {@code train}). */
    public static boolean isRefit(Map<String, Object> provenance) {
        return REFIT.equals(String.valueOf(provenance.get(FIT)));
    }

    /** The data file a model file says it was trained from, or null. */
    public static String data(Map<String, Object> provenance) {
        Object data = provenance.get(DATA);
        return data == null ? null : data.toString();
    }

    /**
     * The last day of the payments a raw-event model file says it was fitted on, or null when it does not say (a
     * creditcard model, an older file) or says something that is not a day (a hand-edited file).
     */
    public static LocalDate trainTo(Map<String, Object> provenance) {
        return day(provenance, TRAIN_TO);
    }

    /** The first day of the payments a raw-event model file says it was fitted on, or null (as {@link #trainTo}). */
    public static LocalDate trainFrom(Map<String, Object> provenance) {
        return day(provenance, TRAIN_FROM);
    }

    private static LocalDate day(Map<String, Object> provenance, String key) {
        Object to = provenance.get(key);
        if (to == null) {
            return null;
        }
        try {
            return LocalDate.parse(to.toString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
