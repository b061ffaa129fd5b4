package org.fraudscorer.scorer.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.TopicConfig;
import org.fraudscorer.scorer.broker.KafkaTopics;
import org.fraudscorer.scorer.config.Topics;

/**
 * Creates the scorer's topics when missing, with the cluster's default replication factor (the model topic
 * compacted, one partition), and waits until every partition accepts writes. Existing topics are left as they are.
 */
public final class TopicSetup {
    private TopicSetup() {
    }

    /** Whether {@code topic} exists (the cluster lists it). */
    public static boolean exists(Properties client, String topic) throws Exception {
        try (Admin admin = Admin.create(client)) {
            return admin.listTopics().names().get(60, java.util.concurrent.TimeUnit.SECONDS).contains(topic);
        }
    }

    public static void ensure(Properties client, Topics topics, int partitions) {
        try (Admin admin = Admin.create(client)) {
            for (String t : List.of(topics.input(), topics.flagged(), topics.clean(), topics.deadLetter(),
                    topics.labels(), topics.shadow())) {
                KafkaTopics.createAndAwait(admin, t, partitions, Map.of(), Duration.ofSeconds(60));
            }
            KafkaTopics.createAndAwait(admin, topics.models(), 1,
                    Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT), Duration.ofSeconds(60));
        }
    }
}
