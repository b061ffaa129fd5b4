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
import org.fraudscorer.scorer.app.BrokerCheck;

/**
 * A producer that counts what the cluster acknowledged and keeps the first failure, for the commands that load
 * data into Kafka ({@code produce}, {@code backfill}): a Kafka producer reports a failed send only to the send's
 * callback or future, never from {@code flush()} or {@code close()}, so a command that only sends would report
 * success for records that never reached the topic (an unreachable cluster, a record over the request limit).
 * {@link #sendAll} runs a command's sends, closes the producer (which waits for every record's answer) and then
 * throws if any send failed, with how many records were written and how many were not.
 *
 * <p>Its first send checks that the cluster answers ({@link BrokerCheck}: within 15 s, or one line naming the servers,
 * or the credentials it refused), so that a command reads and checks its data and options first, and a cluster it
 * cannot use is one line instead of a failed send.
 *
 * <p>It also stops at the first failure it has been told of: a send after one throws, so a command loading a large
 * file against an unreachable cluster (each send then waits {@code max.block.ms} for the topic's metadata, and fails)
 * ends with one line instead of trying every remaining record, or, with {@code --loop}, for ever. The records still
 * in flight then are counted once they are answered, after the close: a cluster that comes back in time takes them
 * (the count was made at the failure, and called them not written; found by a helper session).
 */
final class CheckedProducer extends KafkaProducer<String, byte[]> {
    /**
     * The default {@code max.block.ms} of the commands that use it: how long a send waits for the topic's metadata
     * (or buffer space) before it fails, 15 s instead of Kafka's 60 s, as the broker check's deadline.
     */
    static final String MAX_BLOCK_MS = "15000";

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final java.util.Map<String, AtomicLong> acknowledgedByTopic = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final String servers;
    private final Properties properties;
    private volatile boolean clusterChecked;

    CheckedProducer(Properties properties) {
        super(properties, new StringSerializer(), new ByteArraySerializer());
        this.properties = properties;
        servers = String.valueOf(properties.get("bootstrap.servers"));
    }

    /**
     * A producer with these settings, or one line saying what it cannot be made from ({@link BrokerCheck#create}: a
     * host name that does not resolve, a trust store that is not there, ...). Made directly, Kafka's refusal was the
     * line, 'Failed to construct kafka producer', or a stack trace logged before it (found by a hunt).
     */
    static CheckedProducer of(Properties properties) {
        return BrokerCheck.create(() -> new CheckedProducer(properties), properties);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        return send(record, null);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
        if (failed.get() > 0) {
            throw new StoppedAtFailure();
        }
        if (!clusterChecked) {
            try {
                BrokerCheck.await(properties, BrokerCheck.DEFAULT_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking the cluster at " + servers, e);
            }
            clusterChecked = true;
        }
        sent.incrementAndGet();
        return super.send(record, (metadata, e) -> {
            if (e == null) {
                acknowledged.incrementAndGet();
                acknowledgedByTopic.computeIfAbsent(record.topic(), t -> new AtomicLong()).incrementAndGet();
            } else {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, e);
            }
            if (callback != null) {
                callback.onCompletion(metadata, e);
            }
        });
    }

    /**
     * Closes as Kafka's producer does, waiting for every record's answer, also in a thread that was interrupted to stop
     * its sends (Ctrl-C, SIGTERM): with the flag set, the producer's close gives up waiting and drops what it buffers.
     */
    @Override
    public void close(java.time.Duration timeout) {
        boolean interrupted = Thread.interrupted();
        try {
            super.close(timeout);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Records the cluster acknowledged so far. */
    long acknowledged() {
        return acknowledged.get();
    }

    /** Records of {@code topic} the cluster acknowledged so far. */
    long acknowledged(String topic) {
        AtomicLong n = acknowledgedByTopic.get(topic);
        return n == null ? 0 : n.get();
    }

    /** What a command gives {@link #sendAll}: its sends. */
    interface Sends {
        /** Sends with {@code producer}; returns what the command reports (the number of events it sent). */
        long run(CheckedProducer producer) throws Exception;
    }

    /**
     * Runs {@code sends} with this producer and closes it, which waits for the answer to every record sent; then
     * throws if any send failed. Closed either way; the counts ({@link #acknowledged}) stay readable.
     *
     * @param topic the topic or topics written to, as the error message names them
     * @return what {@code sends} returned
     * @throws IllegalStateException naming how many records were written, how many were not, and the first reason;
     *                               "stopped at the first failed send" when the sends stopped there
     */
    long sendAll(String topic, Sends sends) throws Exception {
        long result;
        try (this) {
            result = sends.run(this);
        } catch (StoppedAtFailure stopped) { // closed by now: the records in flight at the failure are answered
            throw new IllegalStateException("stopped at the first failed send, the rest was not sent: "
                    + written(topic));
        }
        if (failed.get() > 0 || acknowledged.get() < sent.get()) {
            throw new IllegalStateException(written(topic));
        }
        return result;
    }

    /** Thrown by a send after a failed one: {@link #sendAll} closes the producer, then says what was written. */
    private static final class StoppedAtFailure extends IllegalStateException {
        StoppedAtFailure() {
            super("stopped at the first failed send");
        }
    }

    /** How many records sent so far were not written to {@code topic}, how many were, and the first reason. */
    private String written(String topic) {
        Exception e = firstFailure.get();
        // Nothing acknowledged and a timeout: Kafka's message names the topic's metadata without saying why. The
        // commands check the cluster first (BrokerCheck), so the usual cause is a topic the cluster does not have
        // and does not create, or one this client may not see (ACLs); or the cluster stopped answering since.
        String hint = !(e instanceof org.apache.kafka.common.errors.TimeoutException) ? ""
                : acknowledged.get() == 0 ? " (does " + topic + " exist on " + servers + ", and may this client "
                        + "write to it? a cluster that does not create topics, or hides this one, keeps a send waiting "
                        + "for its metadata)"
                // it took records before: the cluster stopped answering (a hunt read "not present in metadata" of a
                // topic that existed, during an outage)
                : " (the cluster at " + servers + " took records before and then did not answer a send within "
                        + "max.block.ms, " + properties.getProperty("max.block.ms", MAX_BLOCK_MS) + " ms: an outage "
                        + "longer than that ends the command; -p max.block.ms=... waits longer)";
        // After the close every record has its answer; were one still unanswered (a close cut short), it is in
        // doubt, not lost: the cluster may have taken it.
        long unanswered = sent.get() - acknowledged.get() - failed.get();
        return String.format(java.util.Locale.ROOT, "%,d of %,d records were not written to %s (%,d were)%s%s%s",
                failed.get(), sent.get(), topic, acknowledged.get(), unanswered == 0 ? ""
                        : String.format(java.util.Locale.ROOT, "; %,d more were still unanswered: the cluster may "
                        + "have taken some of them", unanswered), e == null ? "" : ": " + e.getMessage(), hint);
    }
}
