package org.fraudscorer.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.fraudscorer.bench.StreamBench.Cluster;

/**
 * The load's schedule and what the producer did against it: event n is due at {@code start + n / rate}; the
 * producer ({@link #produce}) sends every event due before {@code stopAt} (late ones as soon as it can), records how
 * late it built each, and counts those due in [{@code measureFrom}, {@code stopAt}).
 */
final class LoadSchedule {
    final long start;
    final long measureFrom;
    final long stopAt;
    final double rate;
    final Histogram lag = new Histogram(3_600_000_000_000L, 3); // ns; written by the producer thread only
    final AtomicLong dueInWindow = new AtomicLong();

    LoadSchedule(long start, long measureFrom, long stopAt, double rate) {
        this.start = start;
        this.measureFrom = measureFrom;
        this.stopAt = stopAt;
        this.rate = rate;
    }

    long due(long n) {
        return start + (long) (n * 1e9 / rate);
    }

    /**
     * Sends {@code payloads} in turn to {@code topic} on this schedule with a load producer of its own, setting
     * {@code sent} to the number sent after each send, and with {@code acks} (when not null) recording each
     * acknowledgement; returns once every event due before {@code stopAt} is sent and flushed, or when interrupted.
     */
    void produce(Cluster cluster, String topic, byte[][] payloads, AtomicLong sent, AckTrace acks) {
        KafkaProducer<byte[], byte[]> producer = StreamBench.producer(cluster);
        boolean interrupted = false;
        try {
            long n = 0;
            for (long due = due(0); due < stopAt; due = due(n)) {
                long wait = due - System.nanoTime();
                if (wait > 1_000_000) {
                    Thread.sleep(wait / 1_000_000);
                }
                ProducerRecord<byte[], byte[]> r = record(topic, payloads[(int) (n % payloads.length)], due);
                lag.recordValue(Math.min(Math.max(0, System.nanoTime() - due), lag.getHighestTrackableValue()));
                if (due >= measureFrom) {
                    dueInWindow.incrementAndGet();
                }
                producer.send(r, acks == null ? null : acks.callback(r));
                n++;
                sent.set(n);
            }
            producer.flush();
        } catch (InterruptedException | InterruptException e) {
            interrupted = true; // the run failed or was stopped: the load ends with it
        } finally {
            // Interrupted, what is unsent is dropped at once: a close that waits for a cluster that is gone takes
            // minutes, and closed with the interrupt still set it logged Kafka's ERROR with a stack trace.
            Thread.interrupted();
            producer.close(interrupted ? Duration.ZERO : Duration.ofMillis(Long.MAX_VALUE));
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * An input record whose key carries when it was due ({@code scheduledNanos}) and when it was built, both on this
     * JVM's {@code nanoTime}: latency is measured from the first, so that events delayed by a stall of the load
     * producer count as late (no coordinated omission), and from the second for comparison.
     */
    static ProducerRecord<byte[], byte[]> record(String topic, byte[] value, long scheduledNanos) {
        byte[] key = ByteBuffer.allocate(16).putLong(scheduledNanos).putLong(System.nanoTime()).array();
        return new ProducerRecord<>(topic, null, System.currentTimeMillis(), key, value);
    }
}
