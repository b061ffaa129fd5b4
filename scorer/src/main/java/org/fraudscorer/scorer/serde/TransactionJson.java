package org.fraudscorer.scorer.serde;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.fraudscorer.common.features.FeatureSchema;

/**
 * Writes events in the format {@link TransactionParser} reads; used by producers, the replayer and tests.
 */
public final class TransactionJson {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private TransactionJson() {
    }

    /**
     * Writes one event as compact UTF-8 JSON: {@code id} first (if given), then the input fields in schema
     * order, then the label (if given). Numbers are written with {@link Double#toString(double)}, which
     * reads back to the identical double, so {@code write} then {@code parse} is bit-exact.
     * Values are not range-checked: tests write out-of-range events on purpose.
     *
     * @param id     the event id, or null for none
     * @param inputs the input values in schema order; length {@link FeatureSchema#inputCount()}, all finite
     *               (standard JSON has no NaN or Infinity)
     * @param label  the {@value TransactionParser#LABEL_FIELD} label, or null for none
     * @throws IllegalArgumentException on a wrong-sized or non-finite input vector
     */
    public static byte[] write(FeatureSchema schema, String id, double[] inputs, Integer label) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(inputs, "inputs");
        if (inputs.length != schema.inputCount()) {
            throw new IllegalArgumentException("schema " + schema.name() + " has " + schema.inputCount()
                    + " input fields, got " + inputs.length + " values");
        }
        for (int i = 0; i < inputs.length; i++) {
            if (!Double.isFinite(inputs[i])) {
                throw new IllegalArgumentException(schema.inputFields().get(i) + " = " + inputs[i]
                        + " cannot be written as a JSON number");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + 24 * inputs.length);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            if (id != null) {
                g.writeStringField(TransactionParser.ID_FIELD, id);
            }
            for (int i = 0; i < inputs.length; i++) {
                g.writeFieldName(schema.inputFields().get(i));
                // Explicitly Double.toString rather than the generator's own double formatting.
                g.writeNumber(Double.toString(inputs[i]));
            }
            if (label != null) {
                g.writeNumberField(TransactionParser.LABEL_FIELD, label.intValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
