package org.fraudscorer.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code --trace}: when each input event the load producer sent was acknowledged by the broker (written to the
 * input topic), so that a tail can be told apart from a wait before the scorer could read the event at all.
 * {@link TraceCsv} writes it to {@code <mode>-produce.csv}.
 */
final class AckTrace {
    final long[] sentMillis;
    final int[] micros;
    private final AtomicInteger next = new AtomicInteger();

    AckTrace(int capacity) {
        sentMillis = new long[capacity];
        micros = new int[capacity];
    }

    /**
     * The callback of one send, or null when the trace is full; {@code record}'s key is {@link LoadSchedule#record}'s
     * (when the event was due, when it was built).
     */
    Callback callback(ProducerRecord<byte[], byte[]> record) {
        int i = next.getAndIncrement();
        if (i >= sentMillis.length) {
            return null;
        }
        ByteBuffer key = ByteBuffer.wrap(record.key());
        key.getLong(); // when the event was due
        long sentNanos = key.getLong(); // when it was handed to the producer: what the acknowledgement is timed from
        sentMillis[i] = record.timestamp();
        micros[i] = -1; // not acknowledged (yet, or failed)
        return (metadata, e) -> {
            if (e == null) {
                micros[i] = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - sentNanos) / 1000);
            }
        };
    }

    /** How many sends the trace holds: those it was asked about, up to its capacity. */
    int count() {
        return Math.min(next.get(), sentMillis.length);
    }
}
