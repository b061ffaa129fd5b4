package org.fraudscorer.scorer.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fraudscorer.scorer.config.ClientSettings;

/**
 * Reads a topic from its beginning to the end offsets of now, outside any consumer group (nothing committed), only
 * committed records: the history reads of {@code retrain}, {@code backfill}, the console's labels and the model
 * topic's champion ({@code publish}).
 */
public final class TopicReader {
    private TopicReader() {
    }

    /**
     * The consumer settings of a history read: the user's, without a group (nothing is committed), reading only
     * committed records, with room for the largest record, and the product's consumer defaults unless the user set
     * them.
     */
    public static Properties readerProperties(Properties kafka) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(1 << 20));
        p.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return ClientSettings.withConsumerDefaults(p);
    }

    /**
     * Hands every record of {@code topic}, from the beginning to the end offsets of now, to {@code each}, within
     * {@code timeout} (listing and offsets included); a null topic reads nothing. Returns those end offsets: the
     * records read are those below them (an empty map for a null topic).
     *
     * @throws IllegalArgumentException when the topic does not exist ({@link NoSuchTopic}), the cluster does not
     *         answer, or its end is not reached in time
     */
    public static Map<TopicPartition, Long> readToEnd(Properties kafka, String topic, Duration timeout,
                                                      Consumer<ConsumerRecord<byte[], byte[]>> each) {
        if (topic == null) {
            return Map.of();
        }
        Properties p = readerProperties(kafka);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + timeout.toNanos(); // for the whole read, listing and offsets included
            Duration listing = Duration.ofMillis(Math.min(30_000, timeout.toMillis()));
            Map<String, List<PartitionInfo>> topics;
            try {
                topics = consumer.listTopics(listing);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                throw new IllegalArgumentException("cannot reach Kafka at " + p.get("bootstrap.servers")
                        + " to read topic " + topic + " (no answer within " + listing.toSeconds() + " s)", e);
            }
            List<PartitionInfo> infos = topics.get(topic);
            if (infos == null || infos.isEmpty()) {
                throw new NoSuchTopic("topic " + topic + " does not exist at " + p.get("bootstrap.servers"));
            }
            List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end;
            try {
                end = consumer.endOffsets(parts, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                throw new IllegalArgumentException("could not read topic " + topic + " to its end within "
                        + timeout.toSeconds() + " s (its end offsets did not come)", e);
            }
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalArgumentException("could not read topic " + topic + " to its end within "
                            + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        each.accept(r);
                    }
                }
            }
            return Map.copyOf(end);
        }
    }

    /** The topic to read does not exist (distinct from a read that failed: nothing was ever written to it). */
    public static final class NoSuchTopic extends IllegalArgumentException {
        NoSuchTopic(String message) {
            super(message);
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
