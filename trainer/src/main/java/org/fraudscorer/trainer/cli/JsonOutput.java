package org.fraudscorer.trainer.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * The JSON the batch commands print ({@code --json}): indented, and a metric that is not defined (ROC-AUC on rows of
 * one class, precision of a model that flags nothing) written as {@code null}. Jackson's default wrote the string
 * {@code "NaN"}, which a consumer reads as text where it expects a number.
 */
final class JsonOutput {
    private JsonOutput() {
    }

    static ObjectMapper mapper() {
        SimpleModule finite = new SimpleModule("finite-or-null");
        StdSerializer<Double> serializer = new StdSerializer<>(Double.class) {
            @Override
            public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
                if (v == null || !Double.isFinite(v)) {
                    g.writeNull();
                } else {
                    g.writeNumber(v);
                }
            }
        };
        finite.addSerializer(Double.class, serializer);
        finite.addSerializer(double.class, serializer);
        // arrays have their own serializer in Jackson (the folds' figures): each element the same way
        finite.addSerializer(double[].class, new StdSerializer<>(double[].class) {
            @Override
            public void serialize(double[] values, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeStartArray(values, values.length);
                for (double v : values) {
                    serializer.serialize(v, g, p);
                }
                g.writeEndArray();
            }
        });
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).registerModule(finite);
    }
}
