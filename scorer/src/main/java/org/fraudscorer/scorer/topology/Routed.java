package org.fraudscorer.scorer.topology;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A scored (or rejected) record on its way to exactly one of the output topics
 * ({@link org.fraudscorer.scorer.config.Topics#outputs()}: flagged, clean, dead letters); or, beside a scored record,
 * its shadow record (champion and challenger decisions) on its way to the shadow topic.
 */
public record Routed(Route route, byte[] payload) {
    public enum Route { FLAGGED, CLEAN, DEAD_LETTER, SHADOW }

    /** Writes a routed record as its payload (the route picks the topic). Output only: nothing reads it back. */
    static final Serde<Routed> PAYLOAD = Serdes.serdeFrom((Serializer<Routed>) (topic, r) -> r == null ? null : r.payload(),
            (Deserializer<Routed>) (topic, bytes) -> {
                throw new UnsupportedOperationException("routed records are written, never read");
            });
}
