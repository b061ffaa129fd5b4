package org.fraudscorer.scorer.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.serde.RawEventParser;
import org.fraudscorer.scorer.server.ScorerMetrics;

/**
 * The raw-event half of {@link FraudTopology}: online handbook features, then scoring.
 * <pre>
 *   transactions ──► parse ──┬─► (bad) transactions.dlq
 *                            └─► by customer ─► card features [customer-histories] ─┬─► (failed, duplicate) dlq
 *                                                                                    │
 *   transactions.labels ─► parse ─┬─► (bad) dlq                                      ▼
 *                                 └──────────► by terminal ─► terminal features + labels [terminal-histories, by day;
 *                                                            labels before their payments: terminal-early-labels]
 *                                                  ─┬─► (failed) dlq
 *                                                   └─► score ─► flagged / clean / dlq
 * </pre>
 * With the input read as keyed by card ({@link ScorerConfig#inputKeyedByCard()}) there is no by-customer topic:
 * intake has refused every event whose key is not its card, so the input's partition already holds all of a card's
 * events, and the card stage runs in the same task as intake, on the input's partitions (its store's changelog has
 * their count; Kafka Streams refuses to run when that count no longer matches the task count). The key
 * {@code selectKey} then sets is the same card, read as a number: no repartition follows, since
 * {@code processValues} never repartitions.
 *
 * <p>Every stage that can refuse a record sends its dead letters to the dead-letter topic right after it
 * ({@link DeadLetterRoute}), so only live events and labels cross the two repartition topics. A dead letter keeps
 * its record's key at intake and is keyed by its transaction id after it, like the scored records.
 * Labels and events of a terminal meet on one partition of the by-terminal topic. A label crosses one repartition
 * fewer than its payment, so a label produced within moments of its payment can reach the terminal stage first; it
 * is then held until its payment comes ({@link TerminalStage}). Labels come a label delay after their payments in
 * practice, and a backfill carries them in the payment's own record. The label delay is the serving
 * model's ({@code ModelBundle.labelDelayDays()}); the registry refuses a candidate with another delay.
 */
final class RawEventTopology {
    private RawEventTopology() {
    }

    /** @param limits how much one record of each store holds (tests set them low) */
    static KStream<byte[], Routed> scored(StreamsBuilder builder, ScorerConfig config, ModelRegistry registry,
                                          ScorerMetrics metrics, StoreLimits limits) {
        Topics t = config.topics();
        int delay = registry.current().labelDelayDays().orElseThrow();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CustomerStage.STORE),
                Serdes.Long(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TerminalStage.STORE),
                Serdes.Bytes(), Serdes.ByteArray())); // terminal, day and record: TerminalDays
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EarlyLabels.STORE),
                Serdes.Bytes(), Serdes.ByteArray()));

        KStream<Long, Staged> byCustomer = intake(builder, t.input(), RawEventParser.Kind.EVENT, "events",
                config, registry, metrics)
                .selectKey((k, v) -> v.customerId(), Named.as("key-by-customer"));
        if (!config.inputKeyedByCard()) {
            byCustomer = byCustomer.repartition(Repartitioned.with(Serdes.Long(), Staged.SERDE).withName("by-customer"));
        }
        KStream<Long, Staged> customerFeatures = byCustomer
                .processValues(() -> new CustomerStage(config, registry, metrics, limits), Named.as("customer-features"),
                        CustomerStage.STORE);
        KStream<Long, Staged> events = DeadLetterRoute.exit(customerFeatures, "customer-features", t)
                .selectKey((k, v) -> v.terminalId(), Named.as("key-by-terminal"));
        KStream<Long, Staged> labels = intake(builder, t.labels(), RawEventParser.Kind.LABEL, "labels", config,
                registry, metrics)
                .selectKey((k, v) -> v.terminalId(), Named.as("key-labels-by-terminal"));
        KStream<Long, Staged> terminalFeatures = events.merge(labels, Named.as("events-and-labels"))
                .repartition(Repartitioned.with(Serdes.Long(), Staged.SERDE).withName("by-terminal"))
                .processValues(() -> new TerminalStage(delay, limits.terminalRecordPayments(), limits.earlyLabels(),
                        config, registry, metrics), Named.as("terminal-features"), TerminalStage.STORE,
                        EarlyLabels.STORE);
        return DeadLetterRoute.exit(terminalFeatures, "terminal-features", t)
                .process(() -> new RawScoringProcessor(registry, config, metrics), Named.as("score"));
    }

    /** Parses one topic; refused records leave for the DLQ at once, keyed as they came, the rest continue. */
    private static KStream<byte[], Staged> intake(StreamsBuilder builder, String topic, RawEventParser.Kind kind,
                                                  String name, ScorerConfig config, ModelRegistry registry,
                                                  ScorerMetrics metrics) {
        KStream<byte[], Staged> parsed = builder
                .stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name + "-in"))
                .processValues(() -> new RawEventIntake(kind, config, registry, metrics), Named.as(name + "-parse"));
        return DeadLetterRoute.exitAtIntake(parsed, name, config.topics(), config.maxEnvelopeBytes());
    }
}
