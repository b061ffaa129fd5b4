package org.fraudscorer.scorer.topology;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.fraudscorer.common.model.ModelBundle;

/**
 * Serialises a scored event: the input event unchanged (as a nested JSON object; left out of compact records) plus
 * probability, threshold, decision, model version and checksum, scoring time and — for flagged events — the top
 * contributing features.
 * One writer per processor: its buffer is reused across records.
 *
 * <p>Per-record cost matters here (it runs for every event): the fields that only change with the model
 * (threshold, decision, version, checksum) are rendered once per model and copied as bytes, and the ISO time is
 * formatted once per millisecond.
 */
final class ScoredRecordWriter {
    /** Doubles are written in their shortest round-tripping form (Schubfach): they read back bit-exact. */
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
    private static final byte[] EVENT_FIELD = "\"event\":".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private final Buffer buffer = new Buffer();
    private ModelBundle renderedFor;
    private SerializedString flaggedModelFields;
    private SerializedString cleanModelFields;
    private long formattedAtMs = Long.MIN_VALUE;
    private String formattedAt;

    /** A reusable byte buffer that can drop one byte (the generator's own '{') at a given position on copy-out. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(2048);
        }

        byte[] toByteArrayWithout(int position) {
            byte[] out = new byte[count - 1];
            System.arraycopy(buf, 0, out, 0, position);
            System.arraycopy(buf, position + 1, out, position, count - position - 1);
            return out;
        }
    }

    /**
     * @param inputFeatures the model's input vector before standardisation, written as {@code features} (the raw
     *                      event path: its 15 engineered features, so offline and online can be compared); null to omit
     * @param withEvent     false for a compact record: the scoring fields only, without the input event
     */
    byte[] write(byte[] rawEvent, boolean withEvent, String id, double probability, boolean flagged, ModelBundle model,
                 long scoredAtMs, long eventTimestampMs, List<String> featureNames, double[] features,
                 double[] contributions, int[] top, int topCount, double[] inputFeatures) {
        buffer.reset();
        // {"event":<the input bytes as they came>, then the scoring fields. The parser has verified the input is
        // exactly one JSON object, so its bytes are spliced in without decoding or re-encoding them.
        buffer.write('{');
        if (withEvent) {
            buffer.write(EVENT_FIELD, 0, EVENT_FIELD.length);
            buffer.write(rawEvent, 0, rawEvent.length);
            buffer.write(',');
        }
        try (JsonGenerator g = JSON.createGenerator(buffer)) {
            // The generator writes its own object; its opening brace is dropped below, so the fields continue ours.
            g.writeStartObject();
            if (id != null) {
                g.writeStringField("id", id);
            } else {
                g.writeNullField("id");
            }
            g.writeNumberField("probability", probability);
            g.writeRaw(modelFields(model, flagged)); // ,"threshold":…,"decision":…,"modelVersion":…,"modelSha256":…
            g.writeStringField("scoredAt", isoTime(scoredAtMs));
            g.writeNumberField("scoredAtMs", scoredAtMs);
            g.writeNumberField("eventTimestampMs", eventTimestampMs);
            if (inputFeatures != null) {
                g.writeArrayFieldStart("features");
                for (int j = 0; j < featureNames.size(); j++) {
                    g.writeNumber(inputFeatures[j]); // Double.toString form: reads back bit-exact
                }
                g.writeEndArray();
            }
            if (flagged && topCount > 0) {
                g.writeArrayFieldStart("topFeatures");
                for (int k = 0; k < topCount; k++) {
                    int j = top[k];
                    g.writeStartObject();
                    g.writeStringField("feature", featureNames.get(j));
                    g.writeNumberField("contribution", contributions[j]);
                    g.writeNumberField("standardisedValue", features[j]);
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArrayWithout(withEvent ? prefixLength(rawEvent) : 1);
    }

    /** The fields fixed by the model and the decision, as pre-encoded JSON starting with a comma. */
    private SerializedString modelFields(ModelBundle model, boolean flagged) {
        if (model != renderedFor) {
            flaggedModelFields = new SerializedString(renderModelFields(model, "FLAGGED"));
            cleanModelFields = new SerializedString(renderModelFields(model, "CLEAN"));
            renderedFor = model;
        }
        return flagged ? flaggedModelFields : cleanModelFields;
    }

    private static String renderModelFields(ModelBundle model, String decision) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            // Written as a one-field-at-a-time object by the same generator settings, then unwrapped: escaping and
            // number formatting are exactly those of the per-record fields.
            g.writeStartObject();
            g.writeNumberField("threshold", model.threshold().value());
            g.writeStringField("decision", decision);
            g.writeStringField("modelVersion", model.modelVersion());
            g.writeStringField("modelSha256", model.sha256());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String object = out.toString();
        return "," + object.substring(1, object.length() - 1);
    }

    private String isoTime(long ms) {
        if (ms != formattedAtMs) {
            formattedAt = Instant.ofEpochMilli(ms).toString();
            formattedAtMs = ms;
        }
        return formattedAt;
    }

    private static int prefixLength(byte[] rawEvent) {
        return 1 + EVENT_FIELD.length + rawEvent.length + 1;
    }

    /** Indices of the {@code k} largest values (descending) into {@code top}; returns how many were written. */
    static int topK(double[] values, int n, int k, int[] top) {
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
}
