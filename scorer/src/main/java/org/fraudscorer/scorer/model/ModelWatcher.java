package org.fraudscorer.scorer.model;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted model topic and offers every model file published there to the {@link ModelRegistry}.
 * It reads the whole topic from the beginning with its own partition assignment (no consumer group): every
 * scorer instance must see every model, and on start it catches up to the latest published version.
 *
 * <p>The record key says which slot a file is for: {@link ModelRegistry#CHALLENGER_KEY} offers a challenger (shadow
 * scoring) and its tombstone demotes it; any other key offers a champion, and a champion's tombstone is ignored (it
 * only lets compaction forget a name: the serving model stays).
 */
public final class ModelWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelWatcher.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final ModelRegistry registry;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;

    public ModelWatcher(Properties clientProperties, String topic, ModelRegistry registry) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024));
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.registry = registry;
        this.thread = new Thread(this::run, "model-watcher");
        this.thread.setDaemon(true);
    }

    public ModelWatcher start() {
        thread.start();
        return this;
    }

    /** Waits until the topic's content at start time has been read (so a restarted scorer serves the latest model). */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = waitForPartitions();
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String origin = topic + "-" + r.partition() + "@" + r.offset();
                    boolean challenger = ModelRegistry.CHALLENGER_KEY.equals(r.key());
                    if (r.value() == null) {
                        if (challenger) {
                            registry.demoteChallenger(origin);
                        }
                        continue; // a champion's tombstone deletes a key from the compacted topic; it is not a model
                    }
                    if (challenger) {
                        registry.offerChallenger(r.value(), origin);
                    } else {
                        registry.offer(r.value(), origin);
                    }
                }
                if (caughtUp.getCount() > 0 && partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("model watcher stopped: {}", e.toString());
        } finally {
            caughtUp.countDown();
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private List<TopicPartition> waitForPartitions() {
        while (running) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            }
            LOG.warn("model topic {} not found yet; serving the start-up model", topic);
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
