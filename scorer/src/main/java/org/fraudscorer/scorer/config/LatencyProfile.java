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
     * the network and the broker's disk.
     */
    LOW_LATENCY("low-latency", 20, 5, 1000, 5, "none"),
    /**
     * The default: commits every 100 ms and producer batches that fill for up to 100 ms (Kafka Streams' own linger),
     * the most events/s under exactly-once, and on a busy host it keeps up where {@code low-latency}'s frequent
     * transactions fall behind (docs/latency.md).
     * Batches are lz4-compressed: scored records are JSON, and a cluster's network and disks carry a fraction of
     * their bytes.
     */
    THROUGHPUT("throughput", 100, 100, 100, 100, "lz4");

    /** The profile the scorer runs with unless told otherwise. */
    public static final LatencyProfile DEFAULT = THROUGHPUT;

    private final String label;
    private final int exactlyOnceCommitMs;
    private final int exactlyOnceLingerMs;
    private final int atLeastOnceCommitMs;
    private final int atLeastOnceLingerMs;
    private final String compression;

    LatencyProfile(String label, int exactlyOnceCommitMs, int exactlyOnceLingerMs, int atLeastOnceCommitMs,
                   int atLeastOnceLingerMs, String compression) {
        this.label = label;
        this.exactlyOnceCommitMs = exactlyOnceCommitMs;
        this.exactlyOnceLingerMs = exactlyOnceLingerMs;
        this.atLeastOnceCommitMs = atLeastOnceCommitMs;
        this.atLeastOnceLingerMs = atLeastOnceLingerMs;
        this.compression = compression;
    }

    /** The name on the command line, e.g. {@code low-latency}. */
    public String label() {
        return label;
    }

    /**
     * The profile's Streams and producer settings for a processing guarantee ({@code exactly_once_v2} or
     * {@code at_least_once}: the commit interval means different things under each): commit interval, producer linger
     * and producer compression.
     */
    public Properties properties(String guarantee) {
        boolean exactlyOnce = !StreamsConfig.AT_LEAST_ONCE.equals(guarantee);
        Properties p = new Properties();
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                Integer.toString(exactlyOnce ? exactlyOnceCommitMs : atLeastOnceCommitMs));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG),
                Integer.toString(exactlyOnce ? exactlyOnceLingerMs : atLeastOnceLingerMs));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), compression);
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
