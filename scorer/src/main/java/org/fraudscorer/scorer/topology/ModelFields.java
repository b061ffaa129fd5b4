package org.fraudscorer.scorer.topology;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.fraudscorer.common.model.ModelBundle;

/**
 * The output fields a model fixes, {@code ,"threshold":…,"decision":…,"modelVersion":…,"modelSha256":…}, as JSON
 * bytes for each {@link Decision}, rendered once per model (when the model changes) and reused for every record: what
 * {@link ScoredRecordWriter} writes into a scored record and {@link ShadowRecordWriter} into each side of a shadow
 * record. One instance per writer and model role; not thread-safe, as the writers.
 */
final class ModelFields {
    private ModelBundle model;
    /** By {@link Decision#ordinal()}. */
    private final byte[][] fields = new byte[Decision.values().length][];

    /** The fields of {@code m} with {@code decision}, rendered if {@code m} is not the last model. */
    byte[] of(ModelBundle m, Decision decision) {
        if (m != model) {
            for (Decision d : Decision.values()) {
                fields[d.ordinal()] = render(m, d.name());
            }
            model = m;
        }
        return fields[decision.ordinal()];
    }

    /** The fields fixed by the model and the decision, as JSON bytes starting with a comma. */
    private static byte[] render(ModelBundle model, String decision) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JsonGenerator g = JsonBytes.JSON.createGenerator(out)) {
            // Written as an object by Jackson (escaping, number form), then unwrapped.
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
        return ("," + object.substring(1, object.length() - 1)).getBytes(StandardCharsets.UTF_8);
    }
}
