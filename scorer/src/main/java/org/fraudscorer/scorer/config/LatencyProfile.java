package org.fraudscorer.scorer.config;

import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Named sets of the Kafka settings that trade decision latency against capacity: how often Kafka Streams commits
 * (under exactly-once, output becomes visible to {@code read_committed} consumers only at a commit), how long the
 * producer waits to fill a batch, and whether it compresses the batch. A profile sits between the product's defaults
 * and the user's own properties: every value stays overridable with {@code -p key=value}. The figures behind the
 * choice are in docs/latency.md.
 */
public enum LatencyProfile {
    /**
     * Under exactly-once, commits every 20 ms (output becomes visible at a commit): the lowest median where the CPU
     * has headroom, at less capacity. Under at-least-once, where output is visible as soon as it is sent, commits
     * every second instead: each commit flushes the producer and commits offsets while the stream thread
     * waits, and at 100 ms those pauses made the tail; a replay after a crash is then up to a second of events.
     * Producer batches wait 5 ms at most and are not compressed: at the small batches of short commits lz4 cost the
     * producer a fresh compression buffer per batch, the broker a decompression to validate it and every consumer
     * another, for less capacity and a higher tail on the reference machine (docs/latency.md); the price is bytes on
     * the network and the broker's disk. An instance that dies without leaving (SIGKILL, a lost host) is noticed
     * after 10 s without a heartbeat ({@code session.timeout.ms}; Kafka's default is 45 s, 10 s before Kafka 3.0):
     * until then nothing is decided for its partitions, so the session timeout is the worst decision latency after a
     * crash. The price is a rebalance whenever a host stalls for 10 s.
     */
    LOW_LATENCY("low-latency", 20, 5, 1000, 5, "none", 10_000),
    /**
     * The default: commits every 100 ms and producer batches that fill for up to 100 ms (Kafka Streams' own linger),
     * the most events/s under exactly-once, and on a busy host it keeps up where {@code low-latency}'s frequent
     * transactions fall behind (docs/latency.md).
     * Batches are lz4-compressed: scored records are JSON, and a cluster's network and disks carry a fraction of
     * their bytes. Kafka's own session timeout (45 s): a busy host's stalls cause no rebalance.
     */
    THROUGHPUT("throughput", 100, 100, 100, 100, "lz4", 0);

    /** The profile the scorer runs with unless told otherwise. */
    public static final LatencyProfile DEFAULT = THROUGHPUT;

    private final String label;
    private final int exactlyOnceCommitMs;
    private final int exactlyOnceLingerMs;
    private final int atLeastOnceCommitMs;
    private final int atLeastOnceLingerMs;
    private final String compression;
    /** The consumer group's session timeout; 0: Kafka's default. */
    private final int sessionTimeoutMs;

    LatencyProfile(String label, int exactlyOnceCommitMs, int exactlyOnceLingerMs, int atLeastOnceCommitMs,
                   int atLeastOnceLingerMs, String compression, int sessionTimeoutMs) {
        this.label = label;
        this.exactlyOnceCommitMs = exactlyOnceCommitMs;
        this.exactlyOnceLingerMs = exactlyOnceLingerMs;
        this.atLeastOnceCommitMs = atLeastOnceCommitMs;
        this.atLeastOnceLingerMs = atLeastOnceLingerMs;
        this.compression = compression;
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    /** The name on the command line, e.g. {@code low-latency}. */
    public String label() {
        return label;
    }

    /**
     * The profile's Streams and producer settings for a processing guarantee ({@code exactly_once_v2} or
     * {@code at_least_once}: the commit interval means different things under each): commit interval, producer linger
     * and producer compression, and the session timeout where the profile sets one (unprefixed, so that a user's
     * {@code -p session.timeout.ms} replaces it).
     */
    public Properties properties(String guarantee) {
        boolean exactlyOnce = !StreamsConfig.AT_LEAST_ONCE.equals(guarantee);
        Properties p = new Properties();
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                Integer.toString(exactlyOnce ? exactlyOnceCommitMs : atLeastOnceCommitMs));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG),
                Integer.toString(exactlyOnce ? exactlyOnceLingerMs : atLeastOnceLingerMs));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), compression);
        if (sessionTimeoutMs > 0) {
            p.put(org.apache.kafka.clients.consumer.ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                    Integer.toString(sessionTimeoutMs));
        }
        return p;
    }

    /** The profile of a command-line name; refuses others naming the valid ones. */
    public static LatencyProfile of(String label) {
        for (LatencyProfile p : values()) {
            if (p.label.equals(label.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("--profile must be low-latency or throughput, got '" + label + "'");
    }
}
