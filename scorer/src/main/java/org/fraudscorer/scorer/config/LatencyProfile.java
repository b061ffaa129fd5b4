package org.fraudscorer.scorer.config;

import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Named sets of the Kafka settings that trade decision latency against capacity: how often Kafka Streams commits
 * (under exactly-once, output becomes visible to {@code read_committed} consumers only at a commit) and how long the
 * producer waits to fill a batch. A profile sits between the product's defaults and the user's own properties:
 * every value stays overridable with {@code -p key=value}. The figures behind the choice are in docs/latency.md.
 */
public enum LatencyProfile {
    /**
     * Commits every 20 ms and sends at once: the lowest median latency where the CPU has headroom, at about 45% of
     * the capacity. On a saturated machine its extra commits cost more than they save: the tail grows.
     */
    LOW_LATENCY("low-latency", 20, 0),
    /**
     * The default: commits every 100 ms and producer batches that fill for up to 100 ms (Kafka Streams' own linger),
     * the most events/s and, measured on the 2-core reference machine, also the lowest p99.
     */
    THROUGHPUT("throughput", 100, 100);

    /** The profile the scorer runs with unless told otherwise. */
    public static final LatencyProfile DEFAULT = THROUGHPUT;

    private final String label;
    private final int commitIntervalMs;
    private final int lingerMs;

    LatencyProfile(String label, int commitIntervalMs, int lingerMs) {
        this.label = label;
        this.commitIntervalMs = commitIntervalMs;
        this.lingerMs = lingerMs;
    }

    /** The name on the command line, e.g. {@code low-latency}. */
    public String label() {
        return label;
    }

    /** The profile's Streams and producer settings. */
    public Properties properties() {
        Properties p = new Properties();
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.toString(commitIntervalMs));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), Integer.toString(lingerMs));
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
