package org.fraudscorer.scorer.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
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
 *                          ├─► transactions.dlq
 *                          └─► transactions.shadow (only while a challenger is held: both decisions)
 * </pre>
 * Input is consumed as raw bytes, so no payload can fail deserialisation inside Kafka Streams: the scoring
 * processor decides, and sends what it cannot score to the dead-letter topic with the reason.
 *
 * <p>The serving model's {@link org.fraudscorer.common.features.EventFamily} picks the first half: creditcard-format
 * events are scored as they come; raw payment events go through {@link RawEventTopology}'s card and terminal stages.
 * Both end in the same outputs, {@link Topics#outputs()}.
 */
public final class FraudTopology {
    /** The raw-event topology's store of card histories (its changelog is {@code <application id>-NAME-changelog}). */
    public static final String CARD_STORE = CustomerStage.STORE;
    /** The raw-event topology's store of terminal histories. */
    public static final String TERMINAL_STORE = TerminalStage.STORE;

    private FraudTopology() {
    }

    public static Topology build(StreamsBuilder builder, ScorerConfig config, ModelRegistry registry,
                                 ScorerMetrics metrics) {
        return build(builder, config, registry, metrics, StoreLimits.of(config));
    }

    /** @param limits how much one record of each raw-event store holds (tests set them low) */
    static Topology build(StreamsBuilder builder, ScorerConfig config, ModelRegistry registry, ScorerMetrics metrics,
                          StoreLimits limits) {
        // The scorer module's one dispatch on the event family. The registry never swaps in another schema, so the
        // topology's shape holds for the scorer's life.
        KStream<byte[], Routed> routed = switch (registry.current().family()) {
            case CREDITCARD -> creditcard(builder, config, registry, metrics);
            case RAW_EVENTS -> RawEventTopology.scored(builder, config, registry, metrics, limits);
        };
        route(routed, config.topics());
        return builder.build();
    }

    /** Creditcard-format events: every feature is on the event, so one stateless processor scores it. */
    private static KStream<byte[], Routed> creditcard(StreamsBuilder builder, ScorerConfig config,
                                                      ModelRegistry registry, ScorerMetrics metrics) {
        return builder
                .stream(config.topics().input(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("transactions-in"))
                // process, not processValues: a dead letter whose key is too large to carry is written without it
                .process(() -> new ScoringProcessor(registry, config, metrics), Named.as("score"));
    }

    /**
     * Every routed record to exactly one of flagged, clean and dead letters, by one sink that picks the topic per
     * record: no branch nodes, so a record passes one processor after scoring, whatever its route. A shadow record
     * (forwarded by the scoring processor after the routed record it describes, only while a challenger is held)
     * leaves by the same sink to the shadow topic, so it is written in the same exactly-once transaction.
     */
    static void route(KStream<byte[], Routed> routed, Topics t) {
        routed.to((key, value, context) -> topic(value.route(), t),
                Produced.with(Serdes.ByteArray(), Routed.PAYLOAD).withName("route"));
    }

    /**
     * The topic of a route. Every route but {@code SHADOW} is one of {@link Topics#outputs()}, in its order
     * ({@code FraudTopologyTest}): a route added here goes there too, and so into topic setup, the access check and
     * the tests' accounting.
     */
    static String topic(Routed.Route route, Topics t) {
        return switch (route) {
            case FLAGGED -> t.flagged();
            case CLEAN -> t.clean();
            case DEAD_LETTER -> t.deadLetter();
            case SHADOW -> t.shadow();
        };
    }
}
