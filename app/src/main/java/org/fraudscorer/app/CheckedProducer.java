package org.fraudscorer.app;

import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A producer that counts what the cluster acknowledged and keeps the first failure, for the commands that load
 * data into Kafka ({@code produce}, {@code backfill}): a Kafka producer reports a failed send only to the send's
 * callback or future, never from {@code flush()} or {@code close()}, so a command that only sends would report
 * success for records that never reached the topic (an unreachable cluster, a record over the request limit).
 * {@link #check} after {@link #flush()} throws if any send failed, with how many were written.
 */
final class CheckedProducer extends KafkaProducer<String, byte[]> {
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    CheckedProducer(Properties properties) {
        super(properties, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        return send(record, null);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
        sent.incrementAndGet();
        return super.send(record, (metadata, e) -> {
            if (e == null) {
                acknowledged.incrementAndGet();
            } else {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, e);
            }
            if (callback != null) {
                callback.onCompletion(metadata, e);
            }
        });
    }

    /** Records the cluster acknowledged so far. */
    long acknowledged() {
        return acknowledged.get();
    }

    /**
     * Flushes, then throws if any send failed (or is, after the flush, still unanswered).
     *
     * @throws IllegalStateException naming how many records were written, how many failed, and the first reason
     */
    void check(String topic) {
        flush();
        long answered = acknowledged.get() + failed.get();
        if (failed.get() > 0 || answered < sent.get()) {
            Exception e = firstFailure.get();
            throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                    "%,d of %,d records were not written to %s (%,d were)%s", sent.get() - acknowledged.get(),
                    sent.get(), topic, acknowledged.get(), e == null ? "" : ": " + e.getMessage()));
        }
    }
}
