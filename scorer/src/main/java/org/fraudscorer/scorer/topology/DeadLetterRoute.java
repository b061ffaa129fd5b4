package org.fraudscorer.scorer.topology;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.error.DeadLetter;
import org.fraudscorer.scorer.server.ScorerMetrics;

/**
 * How the topology's processors turn a failure into a dead letter, and where dead letters leave.
 *
 * <p>A processor builds a {@link DeadLetter} (from {@link #origin} of the record in hand, or of the record an
 * intake stage parsed) and passes it to {@link #emit}, which counts it by reason and returns the payload. A
 * scoring processor then forwards the payload as a {@link Routed} dead letter, which {@link FraudTopology#route}
 * sends to the dead-letter topic with the flagged and clean records. A raw-event stage forwards it as a
 * {@link Staged#DEAD_LETTER}, and {@link #exitAtIntake} or {@link #exit} takes it out of the stream right after that
 * stage, to the dead-letter topic: a dead letter never enters a repartition topic (the {@link Staged} serde refuses
 * one), so it is never re-keyed by card or terminal and never read back.
 */
final class DeadLetterRoute {
    private DeadLetterRoute() {
    }

    /** The origin of the record a processor is handling: its topic, partition and offset, or {@code topic} and −1. */
    static DeadLetter.Origin origin(ProcessingContext context, String topic, long recordTimestamp) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        return meta == null ? new DeadLetter.Origin(topic, -1, -1, recordTimestamp)
                : new DeadLetter.Origin(meta.topic(), meta.partition(), meta.offset(), recordTimestamp);
    }

    /**
     * The origin of a raw event or label past intake: the input (or labels) topic, with the partition and offset
     * intake recorded.
     */
    static DeadLetter.Origin origin(Topics topics, Staged s, long recordTimestamp) {
        return new DeadLetter.Origin(s.isEvent() ? topics.input() : topics.labels(), s.sourcePartition(),
                s.sourceOffset(), recordTimestamp);
    }

    /** Counts the dead letter under its reason and returns the dead-letter topic's record value. */
    static byte[] emit(DeadLetter d, ScorerMetrics metrics) {
        metrics.deadLetter(d.reason().code());
        return d.toJson();
    }

    /**
     * Sends the dead letters an intake stage made to the dead-letter topic, keyed as their record was, and returns
     * the live records.
     *
     * @param name the stage's name; its branches are {@code <name>-dead-letters} and {@code <name>-live}
     */
    static KStream<byte[], Staged> exitAtIntake(KStream<byte[], Staged> stage, String name, Topics topics,
                                                int maxKeyBytes) {
        var branches = split(stage, name);
        // keyed as it came, unless the key alone is too large to write (its record was refused for it: Envelope)
        branches.get(name + "-dead-letters")
                .map((k, v) -> KeyValue.pair(k != null && k.length > maxKeyBytes ? null : k, v.raw()),
                        Named.as(name + "-dead-letter-payload"))
                .to(topics.deadLetter(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName(name + "-dead-letter-sink"));
        return branches.get(name + "-live");
    }

    /**
     * {@link #exitAtIntake}'s twin for the feature stages, past a repartition: the producer's key is gone, so the
     * dead letter is keyed by its transaction id, as the scored records of the raw-event topology are.
     */
    static KStream<Long, Staged> exit(KStream<Long, Staged> stage, String name, Topics topics) {
        var branches = split(stage, name);
        branches.get(name + "-dead-letters")
                .map((k, v) -> KeyValue.pair(transactionKey(v.transactionId()), v.raw()),
                        Named.as(name + "-dead-letter-payload"))
                .to(topics.deadLetter(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName(name + "-dead-letter-sink"));
        return branches.get(name + "-live");
    }

    private static <K> Map<String, KStream<K, Staged>> split(KStream<K, Staged> stage, String name) {
        return stage.split(Named.as(name + "-"))
                .branch((k, v) -> v.kind() == Staged.DEAD_LETTER, Branched.as("dead-letters"))
                .defaultBranch(Branched.as("live"));
    }

    /** The key of a raw-event output record: the transaction id as decimal text. */
    static byte[] transactionKey(long transactionId) {
        return Long.toString(transactionId).getBytes(StandardCharsets.US_ASCII);
    }
}
