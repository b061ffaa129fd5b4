package org.fraudscorer.scorer.config;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The Kafka client settings of a command that is not the scorer ({@code produce}, {@code backfill}, the console):
 * the product's tuning defaults, under what the user gave ({@code --kafka-config}, {@code -p}), under what the command
 * needs to keep its promise. A user value that contradicts a needed one is refused, naming both, rather than silently
 * replaced (the user asked for something the command would not do) or silently obeyed (the command would then report
 * events as delivered that the broker may lose, or show alerts from aborted transactions).
 */
public final class ClientSettings {
    private ClientSettings() {
    }

    /** A setting the command cannot work without, and why (shown when a user value contradicts it). */
    public record Needed(String key, String value, String why) {
    }

    /** Producer settings behind "delivered": acknowledged by every in-sync replica, never written twice on a retry. */
    public static final Needed ACKS_ALL = new Needed("acks", "all",
            "an event counts as sent only once every in-sync replica has it");
    public static final Needed IDEMPOTENT = new Needed("enable.idempotence", "true",
            "a retried send must not write an event twice");
    /** Consumer setting behind "flagged": only alerts of committed transactions are alerts. */
    public static final Needed READ_COMMITTED = new Needed("isolation.level", "read_committed",
            "an alert of an aborted transaction was never decided");

    /**
     * The socket receive buffer ({@code receive.buffer.bytes}) of this product's consumers, the scorer's included:
     * {@code -1}, the operating system's, which Linux grows with the traffic, instead of Kafka's fixed 64 KiB. A fetch
     * response larger than the buffer fills it while the consumer is busy between polls; a segment that arrives
     * then is dropped, and TCP sends it again only after its minimum retransmission timeout, 200 ms on Linux, so every
     * record of that response waits about 200 ms (docs/latency.md, "Where the tail comes from"). A user's
     * {@code receive.buffer.bytes} still wins. Used by the scorer's stream threads and model watcher, the console,
     * the demo, and every read of a topic's history ({@code retrain}, {@code backfill}, label and model history).
     */
    public static final String RECEIVE_BUFFER_BYTES = "-1";

    /**
     * What every consumer of this product starts from, under the user's settings: the {@link #RECEIVE_BUFFER_BYTES
     * receive buffer}, and reading never creates a topic ({@code allow.auto.create.topics=false}: on a broker that
     * creates topics on demand, Kafka's default, a consumer of a missing topic made it with the broker's defaults; the
     * console then showed "live" on a flagged topic no scorer writes to). One map, so that a default added here
     * reaches the scorer's stream threads ({@code ScorerConfig}, with the consumer prefix), the model watcher, the
     * console and its label tail, {@code tail}, the demo's view, every history read and the stream benchmark's
     * measuring consumer.
     */
    public static final Map<String, String> CONSUMER_DEFAULTS = Map.of(ConsumerConfig.RECEIVE_BUFFER_CONFIG,
            RECEIVE_BUFFER_BYTES, ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");

    /** Puts each of {@link #CONSUMER_DEFAULTS} into {@code consumer} where it has no value yet; returns it. */
    public static Properties withConsumerDefaults(Properties consumer) {
        CONSUMER_DEFAULTS.forEach(consumer::putIfAbsent);
        return consumer;
    }

    /**
     * The settings of {@code kafka} that the admin client defines (the servers, the connection and its security,
     * timeouts, retries, socket buffers, {@code client.id}); producer and consumer settings, which it would log as
     * unknown, are left out. For a command's admin requests made with the properties of its producer.
     */
    public static Properties forAdmin(Properties kafka) {
        Set<String> known = AdminClientConfig.configNames();
        Properties p = new Properties();
        kafka.forEach((k, v) -> {
            if (known.contains(k.toString())) {
                p.put(k, v);
            }
        });
        return p;
    }

    /**
     * {@code defaults} under {@code user} under {@code needed}.
     *
     * @throws IllegalArgumentException one line naming the user's value and the needed one
     */
    public static Properties of(Properties user, Map<String, String> defaults, Needed... needed) {
        Properties productDefaults = new Properties();
        productDefaults.putAll(defaults);
        Properties p = ScorerConfig.layered(productDefaults, user); // the scorer's own layering, user on top
        for (Needed n : needed) {
            Object given = user.get(n.key());
            if (given != null && !same(n.key(), given.toString(), n.value())) {
                throw new IllegalArgumentException(n.key() + "=" + given + " (from -p or the properties file) cannot "
                        + "be used here: this command needs " + n.key() + "=" + n.value() + " (" + n.why() + ")");
            }
            p.put(n.key(), n.value());
        }
        return p;
    }

    private static boolean same(String key, String a, String b) {
        String x = a.trim().toLowerCase(Locale.ROOT);
        String y = b.trim().toLowerCase(Locale.ROOT);
        if (key.equals("acks")) {
            x = x.equals("-1") ? "all" : x;
            y = y.equals("-1") ? "all" : y;
        }
        return x.equals(y);
    }
}
