package org.fraudscorer.scorer.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.fraudscorer.scorer.config.Topics;

/**
 * Creates the scorer's topics when missing (the model topic compacted, one partition) and waits until every
 * partition accepts writes: {@code createTopics} returns before leaders are ready, and producing at once can
 * fail with NOT_LEADER_OR_FOLLOWER.
 */
public final class TopicSetup {
    private TopicSetup() {
    }

    public static void ensure(Properties client, Topics topics, int partitions, short replication)
            throws InterruptedException, ExecutionException {
        Map<String, NewTopic> wanted = new HashMap<>();
        for (String t : List.of(topics.input(), topics.flagged(), topics.clean(), topics.deadLetter())) {
            wanted.put(t, new NewTopic(t, partitions, replication));
        }
        wanted.put(topics.models(), new NewTopic(topics.models(), 1, replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        try (Admin admin = Admin.create(client)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (NewTopic t : wanted.values()) {
                if (!existing.contains(t.name())) {
                    missing.add(t);
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitWritable(admin, wanted.keySet(), Duration.ofSeconds(60));
        }
    }

    /** Polls until {@code listOffsets(latest)} answers for every partition of the topics. */
    public static void awaitWritable(Admin admin, Set<String> topics, Duration timeout)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get().forEach((name, d) -> d.partitions()
                        .forEach(p -> specs.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(specs).all().get();
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
