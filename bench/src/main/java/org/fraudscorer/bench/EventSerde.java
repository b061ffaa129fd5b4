package org.fraudscorer.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.scorer.serde.ParseResult;
import org.fraudscorer.scorer.serde.TransactionParser;

/**
 * A Kafka serde for transaction events as a typical Streams application would declare it: the scorer's own event
 * parser on the way in, JSON on the way out. It is the serde of the benchmark's {@code serde-passthrough} topology
 * (events in, the same events out), the pass-through "with the same serdes" as the scorer.
 *
 * <p>Written to be no slower than it needs to be, so the comparison does not flatter the scorer: the parser's fast
 * path; on the way out a reused buffer, field names pre-encoded, and doubles in their shortest round-tripping form
 * (Jackson's Schubfach writer, the scored-record writer's setting). One serde instance serves every stream thread,
 * so its reusable parser and buffer are per thread.
 */
final class EventSerde implements Serde<EventSerde.Event> {
    /** A parsed event: its id (or null) and its input values in schema order. */
    record Event(String id, double[] inputs) {
    }

    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private final FeatureSchema schema;
    private final SerializedString[] names;
    private final ThreadLocal<TransactionParser> parsers;
    private final ThreadLocal<ByteArrayOutputStream> buffers = ThreadLocal.withInitial(() -> new ByteArrayOutputStream(2048));

    EventSerde(FeatureSchema schema) {
        this.schema = schema;
        this.names = schema.inputFields().stream().map(SerializedString::new).toArray(SerializedString[]::new);
        this.parsers = ThreadLocal.withInitial(() -> new TransactionParser(schema, TransactionParser.DEFAULT_MAX_BYTES));
    }

    @Override
    public Serializer<Event> serializer() {
        return (topic, event) -> {
            ByteArrayOutputStream out = buffers.get();
            out.reset();
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.writeStartObject();
                if (event.id() != null) {
                    g.writeStringField(TransactionParser.ID_FIELD, event.id());
                }
                double[] inputs = event.inputs();
                for (int i = 0; i < inputs.length; i++) {
                    g.writeFieldName(names[i]);
                    g.writeNumber(inputs[i]);
                }
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        };
    }

    @Override
    public Deserializer<Event> deserializer() {
        return (topic, bytes) -> {
            double[] inputs = new double[schema.inputCount()];
            ParseResult r = parsers.get().parse(bytes, inputs);
            if (!r.isOk()) {
                throw new IllegalStateException("bench payload rejected: " + r);
            }
            return new Event(r.id(), inputs);
        };
    }
}
