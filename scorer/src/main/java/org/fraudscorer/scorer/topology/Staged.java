package org.fraudscorer.scorer.topology;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.fraudscorer.common.features.events.HandbookFeatures;

/**
 * A raw payment event (or a label) between the stages of the raw-event topology, through its two repartition
 * topics: the parsed fields, where the original record came from (for dead letters), the original bytes (the
 * output embeds them) and the model's features (15 for handbook-v1, 17 for handbook-v2) as far as computed. A dead
 * letter made by a stage travels as
 * {@link #DEAD_LETTER} with its finished payload in {@code raw} only to the {@link DeadLetterRoute} exit right
 * after that stage: it is never repartitioned, and {@link #SERDE} refuses to write one.
 *
 * @param features null until the customer stage; the customer stage fills the card's (0..8, and 15..16 in
 *                 handbook-v2), the terminal stage 9..14: the split of {@code FeatureEngine.customerStage} and
 *                 {@code terminalStage}
 */
record Staged(byte kind, long transactionId, long epochSeconds, long customerId, long terminalId, double amount,
              boolean fraud, int sourcePartition, long sourceOffset, byte[] raw, double[] features) {
    static final byte EVENT = 0;
    static final byte LABEL = 1;
    static final byte DEAD_LETTER = 2;
    /**
     * A payment whose label came before it ({@code fraud} is that label), from the terminal stage to the scoring step
     * in the same task, which checks it against its decision; never repartitioned.
     */
    static final byte EVENT_LABELLED = 3;
    private static final byte FORMAT = 1;

    /**
     * @param transactionId the failed event's id (its dead letter's key past intake); −1 at intake, where the dead
     *                      letter keeps its record's key
     * @param payload       the dead-letter topic's record value
     */
    static Staged deadLetter(long transactionId, byte[] payload) {
        return new Staged(DEAD_LETTER, transactionId, 0, 0, 0, 0, false, -1, -1, payload, null);
    }

    boolean isEvent() {
        return kind == EVENT || kind == EVENT_LABELLED;
    }

    /** This payment, carrying the label that came before it. */
    Staged withEarlyLabel(boolean label) {
        return new Staged(EVENT_LABELLED, transactionId, epochSeconds, customerId, terminalId, amount, label,
                sourcePartition, sourceOffset, raw, features);
    }

    /** Compact binary form for the repartition topics (internal: only this topology reads it). */
    static final Serde<Staged> SERDE = Serdes.serdeFrom(new StagedSerializer(), new StagedDeserializer());

    private static final class StagedSerializer implements Serializer<Staged> {
        @Override
        public byte[] serialize(String topic, Staged s) {
            if (s == null) {
                return null;
            }
            if (s.kind == DEAD_LETTER) {
                throw new IllegalStateException("a dead letter reached repartition topic " + topic
                        + ": dead letters leave at the stage that made them");
            }
            int nf = s.features == null ? 0 : s.features.length;
            ByteBuffer b = ByteBuffer.allocate(2 + 8 * 5 + 1 + 4 + 8 + 4 + s.raw.length + 1 + 8 * nf);
            b.put(FORMAT).put(s.kind).putLong(s.transactionId).putLong(s.epochSeconds).putLong(s.customerId)
                    .putLong(s.terminalId).putDouble(s.amount).put((byte) (s.fraud ? 1 : 0))
                    .putInt(s.sourcePartition).putLong(s.sourceOffset).putInt(s.raw.length).put(s.raw)
                    .put((byte) nf);
            for (int j = 0; j < nf; j++) {
                b.putDouble(s.features[j]);
            }
            return b.array();
        }
    }

    private static final class StagedDeserializer implements Deserializer<Staged> {
        @Override
        public Staged deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(data);
            if (b.get() != FORMAT) {
                throw new IllegalArgumentException("not a staged raw event (format " + FORMAT + ") on " + topic);
            }
            byte kind = b.get();
            long id = b.getLong();
            long time = b.getLong();
            long customer = b.getLong();
            long terminal = b.getLong();
            double amount = b.getDouble();
            boolean fraud = b.get() == 1;
            int partition = b.getInt();
            long offset = b.getLong();
            byte[] raw = new byte[b.getInt()];
            b.get(raw);
            int nf = b.get();
            double[] features = nf == 0 ? null : new double[Math.max(nf, HandbookFeatures.COUNT)];
            for (int j = 0; j < nf; j++) {
                features[j] = b.getDouble();
            }
            return new Staged(kind, id, time, customer, terminal, amount, fraud, partition, offset, raw, features);
        }
    }
}
