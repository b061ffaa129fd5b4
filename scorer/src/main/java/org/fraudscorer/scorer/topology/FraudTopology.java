package org.fraudscorer.scorer.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.server.ScorerMetrics;

/**
 * The scorer's topology, built in one place and used by the application, the TopologyTestDriver tests and the
 * real-broker tests alike:
 * <pre>
 *   transactions ─► score ─┬─► transactions.flagged
 *                          ├─► transactions.clean
 *                          └─► transactions.dlq
 * </pre>
 * Input is consumed as raw bytes, so no payload can fail deserialisation inside Kafka Streams: the scoring
 * processor decides, and sends what it cannot score to the dead-letter topic with the reason.
 *
 * <p>When the serving model reads the handbook's features (schema {@code handbook-v1}), the input is raw payment
 * events and the topology is {@link RawEventTopology}'s, ending in the same three outputs.
 */
public final class FraudTopology {
    private FraudTopology() {
    }

    public static Topology build(StreamsBuilder builder, ScorerConfig config, ModelRegistry registry,
                                 ScorerMetrics metrics) {
        if (registry.current().schema().equals(FeatureSchema.HANDBOOK)) {
            // The registry never swaps in another schema, so the topology's shape holds for the scorer's life.
            route(RawEventTopology.scored(builder, config, registry, metrics), config.topics());
            return builder.build();
        }
        Topics t = config.topics();
        KStream<byte[], Routed> routed = builder
                .stream(t.input(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("transactions-in"))
                .processValues(() -> new ScoringProcessor(registry, config, metrics), Named.as("score"));
        route(routed, t);
        return builder.build();
    }

    /**
     * Every routed record to exactly one of flagged, clean and dead letters, by one sink that picks the topic per
     * record. (A split into three branches, each unwrapping the payload before its own sink, sent every record
     * through three more processor nodes; the end-to-end profile showed them at 2-3% of the stream thread's time.)
     */
    static void route(KStream<byte[], Routed> routed, Topics t) {
        routed.to((key, value, context) -> switch (value.route()) {
            case FLAGGED -> t.flagged();
            case CLEAN -> t.clean();
            case DEAD_LETTER -> t.deadLetter();
        }, Produced.with(Serdes.ByteArray(), Routed.PAYLOAD).withName("route"));
    }
}
