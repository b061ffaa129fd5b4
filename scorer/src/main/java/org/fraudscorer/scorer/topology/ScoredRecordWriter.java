package org.fraudscorer.scorer.topology;

import java.util.List;
import org.fraudscorer.common.model.ModelBundle;

/**
 * Serialises a scored event: the input event unchanged (as a nested JSON object; left out of compact records) plus
 * probability, threshold, decision, model version and checksum, scoring time and — for alerts (flagged events:
 * {@code Decision.alert}) — the top contributing features.
 * One writer per processor: its buffer is reused across records.
 *
 * <p>Per-record cost matters here (it runs for every event), so the JSON is written straight into a reused byte
 * buffer rather than through a Jackson generator and its field-by-field calls. What can be rendered ahead is: the
 * field names, the fields that only change with the model (threshold, decision, version, checksum) and its feature
 * names, once per model; the rest goes through {@link JsonBytes} (doubles in their shortest round-tripping form,
 * strings as Jackson writes them). The output is byte-for-byte what Jackson's generator writes for the same record (tested).
 *
 * <p>Public for one outside user: the benchmark's pass-through with the scorer's serdes, which writes its events in
 * exactly this format. One instance per thread (it reuses its buffer).
 */
public final class ScoredRecordWriter {
    private static final byte[] EVENT_FIELD = JsonBytes.ascii("{\"event\":");
    private static final byte[] ID_FIELD = JsonBytes.ascii("\"id\":");
    private static final byte[] PROBABILITY_FIELD = JsonBytes.ascii(",\"probability\":");
    private static final byte[] SCORED_AT_MS_FIELD = JsonBytes.ascii(",\"scoredAtMs\":");
    private static final byte[] EVENT_TIMESTAMP_FIELD = JsonBytes.ascii(",\"eventTimestampMs\":");
    private static final byte[] FEATURES_FIELD = JsonBytes.ascii(",\"features\":[");
    private static final byte[] TOP_FEATURES_FIELD = JsonBytes.ascii(",\"topFeatures\":[");
    private static final byte[] FEATURE_FIELD = JsonBytes.ascii("{\"feature\":");
    private static final byte[] CONTRIBUTION_FIELD = JsonBytes.ascii(",\"contribution\":");
    private static final byte[] STANDARDISED_FIELD = JsonBytes.ascii(",\"standardisedValue\":");

    private final JsonBytes out = new JsonBytes();
    private ModelBundle renderedFor;
    private final ModelFields modelFields = new ModelFields();
    /** The model's feature names, quoted and escaped. */
    private byte[][] quotedFeatureNames;

    /**
     * One record to write, filled in place for every record (its setters return it, so a scoring path reuses one
     * instance and allocates nothing). Every group must be set before {@link #write(Scored)}.
     */
    public static final class Scored {
        byte[] rawEvent;
        boolean withEvent;
        String id;
        double probability;
        Decision decision;
        ModelBundle model;
        long scoredAtMs;
        long eventTimestampMs;
        List<String> featureNames;
        double[] features;
        double[] contributions;
        int[] top;
        int topCount;
        double[] inputFeatures;

        /**
         * @param withEvent false for a compact record: the scoring fields only, without the input event
         */
        public Scored event(byte[] rawEvent, boolean withEvent) {
            this.rawEvent = rawEvent;
            this.withEvent = withEvent;
            return this;
        }

        /** The event's id (null if it has none), its probability and decision, and the model that made them. */
        public Scored decision(String id, double probability, boolean flagged, ModelBundle model) {
            return decision(id, probability, Decision.of(flagged), model);
        }

        Scored decision(String id, double probability, Decision decision, ModelBundle model) {
            this.id = id;
            this.probability = probability;
            this.decision = decision;
            this.model = model;
            return this;
        }

        /** When it was scored, and the input record's timestamp (-1 if unknown), both epoch ms. */
        public Scored times(long scoredAtMs, long eventTimestampMs) {
            this.scoredAtMs = scoredAtMs;
            this.eventTimestampMs = eventTimestampMs;
            return this;
        }

        /**
         * The explanation of an alert (a flagged record: {@code Decision.alert}): the {@code topCount} features at
         * {@code top} with their contributions and standardised values ({@code topCount} 0 for none).
         */
        public Scored explanation(List<String> featureNames, double[] standardised, double[] contributions, int[] top,
                                  int topCount) {
            this.featureNames = featureNames;
            this.features = standardised;
            this.contributions = contributions;
            this.top = top;
            this.topCount = topCount;
            return this;
        }

        /**
         * The model's input vector before standardisation, written as {@code features} (the raw-event path: its
         * engineered features, so offline and online can be compared); null to omit.
         */
        public Scored inputFeatures(double[] inputFeatures) {
            this.inputFeatures = inputFeatures;
            return this;
        }
    }

    /** The record's JSON: a new array holding the reused buffer's content. */
    public byte[] write(Scored r) {
        byte[] rawEvent = r.rawEvent;
        boolean withEvent = r.withEvent;
        String id = r.id;
        double probability = r.probability;
        Decision decision = r.decision;
        ModelBundle model = r.model;
        long scoredAtMs = r.scoredAtMs;
        long eventTimestampMs = r.eventTimestampMs;
        List<String> featureNames = r.featureNames;
        double[] features = r.features;
        double[] contributions = r.contributions;
        int[] top = r.top;
        int topCount = r.topCount;
        double[] inputFeatures = r.inputFeatures;
        renderFor(model, featureNames);
        JsonBytes out = this.out;
        out.reset();
        // {"event":<the input bytes as they came>, then the scoring fields. The parser has verified the input is
        // exactly one JSON object, so its bytes are spliced in without decoding or re-encoding them.
        if (withEvent) {
            out.put(EVENT_FIELD);
            out.put(rawEvent);
            out.put((byte) ',');
        } else {
            out.put((byte) '{');
        }
        out.put(ID_FIELD);
        out.putString(id); // null when the event has none
        out.put(PROBABILITY_FIELD);
        out.putDouble(probability);
        out.put(modelFields.of(model, decision)); // ,"threshold":…,"decision":…,"modelVersion":…,"modelSha256":…
        out.put(SCORED_AT_MS_FIELD); // epoch ms only: an ISO copy of the same instant would add 38 bytes to every record
        out.putLong(scoredAtMs);
        out.put(EVENT_TIMESTAMP_FIELD);
        out.putLong(eventTimestampMs);
        if (inputFeatures != null) {
            out.put(FEATURES_FIELD);
            for (int j = 0; j < featureNames.size(); j++) {
                if (j > 0) {
                    out.put((byte) ',');
                }
                out.putDouble(inputFeatures[j]);
            }
            out.put((byte) ']');
        }
        if (decision.alert && topCount > 0) {
            out.put(TOP_FEATURES_FIELD);
            for (int k = 0; k < topCount; k++) {
                int j = top[k];
                if (k > 0) {
                    out.put((byte) ',');
                }
                out.put(FEATURE_FIELD);
                out.put(quotedFeatureNames[j]);
                out.put(CONTRIBUTION_FIELD);
                out.putDouble(contributions[j]);
                out.put(STANDARDISED_FIELD);
                out.putDouble(features[j]);
                out.put((byte) '}');
            }
            out.put((byte) ']');
        }
        out.put((byte) '}');
        return out.toArray();
    }

    private void renderFor(ModelBundle model, List<String> featureNames) {
        if (model == renderedFor) {
            return;
        }
        quotedFeatureNames = new byte[featureNames.size()][];
        for (int j = 0; j < quotedFeatureNames.length; j++) {
            quotedFeatureNames[j] = JsonBytes.quoted(featureNames.get(j));
        }
        renderedFor = model;
    }
}
