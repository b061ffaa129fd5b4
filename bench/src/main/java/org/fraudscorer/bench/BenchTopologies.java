package org.fraudscorer.bench;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelScorer;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.serde.TransactionParser;
import org.fraudscorer.scorer.topology.ScoredRecordWriter;

/**
 * The topologies StreamBench's {@code --modes} names (see {@link StreamBench} for what each compares): how each is
 * built and started on its topics. The scorer's ({@code scorer}, {@code scorer-compact}) is {@link ScorerApp}
 * itself; the others are built here: a conventional JSON serde pass-through ({@code serde-passthrough}), the byte
 * pass-through and the scorer's stages alone ({@link #STAGES}).
 */
final class BenchTopologies {
    /** The modes built by {@code stage}: the byte pass-through, a forwarding node, and the scorer's stages alone. */
    static final List<String> STAGES = List.of("passthrough", "identity", "parse", "parse-score", "parse-write");

    private BenchTopologies() {
    }

    /**
     * A started topology: its Streams client (to wait for, pause and resume) and what closes it.
     *
     * @param app closes the topology: the scorer, or the Streams client with a 30 s timeout
     */
    record Started(KafkaStreams streams, AutoCloseable app) {
    }

    /**
     * Starts the topology {@code mode} on {@code config}'s topics with its Streams properties; the scorer's modes
     * score with {@code model}, as does {@code parse-score}.
     *
     * @throws IllegalArgumentException for a mode that is none of the above
     */
    static Started start(String mode, ScorerConfig config, ModelBundle model) throws Exception {
        if (mode.equals("scorer") || mode.equals("scorer-compact")) {
            ScorerConfig c = config.withCompactClean(mode.equals("scorer-compact"));
            ScorerApp s = ScorerApp.start(c, model, new ScorerApp.Options("127.0.0.1", -1, 0));
            return new Started(s.streams(), s);
        }
        Topics topics = config.topics();
        StreamsBuilder b = new StreamsBuilder();
        if (mode.equals("serde-passthrough")) {
            // Events in, the same events out, through a conventional event serde (decode, encode again).
            EventSerde events = new EventSerde(StreamBench.SCHEMA);
            b.stream(topics.input(), Consumed.with(Serdes.ByteArray(), events))
                    .to(topics.clean(), Produced.with(Serdes.ByteArray(), events));
        } else if (STAGES.contains(mode)) {
            stage(b, mode, model, topics);
        } else {
            throw new IllegalArgumentException("unknown mode " + mode + " (passthrough, serde-passthrough, identity,"
                    + " parse, parse-write, parse-score, scorer, scorer-compact)");
        }
        KafkaStreams ks = new KafkaStreams(b.build(), config.streamsProperties());
        ks.start();
        return new Started(ks, () -> ks.close(Duration.ofSeconds(30)));
    }

    /**
     * The byte pass-through, and the scorer's stages alone: parsing (the input forwarded unchanged), parsing and
     * scoring (the same), parsing and writing the scorer's record format without scoring.
     */
    private static void stage(StreamsBuilder b, String mode, ModelBundle model, Topics topics) {
        var in = b.stream(topics.input(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()));
        if (mode.equals("identity")) { // one processor node that only forwards: the cost of a node
            in = in.processValues(() -> new FixedKeyProcessor<byte[], byte[], byte[]>() {
                private FixedKeyProcessorContext<byte[], byte[]> context;

                @Override
                public void init(FixedKeyProcessorContext<byte[], byte[]> context) {
                    this.context = context;
                }

                @Override
                public void process(FixedKeyRecord<byte[], byte[]> record) {
                    context.forward(record);
                }
            });
        } else if (!mode.equals("passthrough")) {
            boolean score = mode.equals("parse-score");
            boolean write = mode.equals("parse-write");
            in = in.processValues(() -> new Stage(model, score, write));
        }
        in.to(topics.clean(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
    }

    /**
     * The scorer's parse step, then optionally its scoring ({@code parse-score}, the input forwarded unchanged) or its
     * record writer with a constant probability instead of the scoring ({@code parse-write}).
     */
    private static final class Stage implements FixedKeyProcessor<byte[], byte[], byte[]> {
        /** A probability as long as the scorer's typical ones when written (21 characters). */
        static final double CONSTANT_PROBABILITY = Math.nextUp(0.001);
        private final TransactionParser parser = new TransactionParser(StreamBench.SCHEMA, 16384);
        private final double[] inputs = new double[StreamBench.SCHEMA.inputCount()];
        private final ModelBundle model;
        private final ModelScorer scorer;
        private final ScoredRecordWriter writer;
        private final ScoredRecordWriter.Scored scored = new ScoredRecordWriter.Scored();
        private final List<String> featureNames;
        private final double[] unused = new double[StreamBench.SCHEMA.featureCount()];
        private final int[] noTop = new int[1];
        private FixedKeyProcessorContext<byte[], byte[]> context;
        /** Read by nobody: keeps the JIT from dropping the scoring as dead code. */
        private long flagged;

        Stage(ModelBundle model, boolean score, boolean write) {
            this.model = model;
            this.scorer = score ? model.newScorer() : null;
            this.writer = write ? new ScoredRecordWriter() : null;
            this.featureNames = model.schema().featureNames();
        }

        @Override
        public void init(FixedKeyProcessorContext<byte[], byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<byte[], byte[]> record) {
            var parsed = parser.parse(record.value(), inputs);
            if (!parsed.isOk()) {
                throw new IllegalStateException("bench payload rejected");
            }
            if (scorer != null && scorer.flagged(scorer.probability(inputs))) {
                flagged++;
            }
            if (writer == null) {
                context.forward(record);
                return;
            }
            // The scorer's output format, without the scoring: the event and the scoring fields, a constant
            // probability and the decision CLEAN, as the scorer's writer renders them.
            context.forward(record.withValue(writer.write(scored.event(record.value(), true)
                    .decision(parsed.id(), CONSTANT_PROBABILITY, false, model)
                    .times(System.currentTimeMillis(), record.timestamp())
                    .explanation(featureNames, unused, unused, noTop, 0).inputFeatures(null))));
        }
    }
}
