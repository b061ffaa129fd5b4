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
 * compacted, one partition), and waits until every partition accepts writes. Existing topics are left as they are,
 * and no create request is sent for them.
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

    /**
     * The model topic: compacted (the latest file per key is kept), and records up to the largest model file a scorer
     * loads ({@link org.fraudscorer.common.model.ModelFile#MAX_BYTES}) plus the record's own overhead, where the
     * broker's default (about 1 MiB) would refuse a large ensemble's publication.
     */
    public static final Map<String, String> MODEL_TOPIC_CONFIG = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
            String.valueOf(org.fraudscorer.common.model.ModelFile.MAX_BYTES + (1 << 20)));

    public static void ensure(Properties client, Topics topics, int partitions) {
        try (Admin admin = Admin.create(client)) {
            ensure(admin, topics, partitions);
        }
    }

    /**
     * Creates the topics the cluster does not list, and waits for all of them. Topics that exist are not created
     * again: on a cluster with ACLs the scorer's principal may describe, read and write its topics without the right
     * to create any, and Kafka refuses a create request for lack of that right before it looks whether the topic
     * exists.
     */
    public static void ensure(Admin admin, Topics topics, int partitions) {
        java.util.Set<String> existing;
        try {
            existing = admin.listTopics().names().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not list the cluster's topics: "
                    + (e.getCause() != null ? e.getCause() : e), e);
        }
        Map<String, Integer> wanted = new java.util.LinkedHashMap<>();
        for (String t : List.of(topics.input(), topics.flagged(), topics.clean(), topics.deadLetter(), topics.labels(),
                topics.shadow())) {
            wanted.put(t, partitions);
        }
        wanted.put(topics.models(), 1);
        wanted.forEach((t, n) -> {
            if (existing.contains(t)) {
                KafkaTopics.awaitReady(admin, t, Duration.ofSeconds(60));
            } else {
                KafkaTopics.createAndAwait(admin, t, n, t.equals(topics.models()) ? MODEL_TOPIC_CONFIG : Map.of(),
                        Duration.ofSeconds(60));
            }
        });
    }

    /** The partition count of {@code topic}. */
    public static int partitions(Properties client, String topic) throws Exception {
        try (Admin admin = Admin.create(client)) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(60, java.util.concurrent.TimeUnit.SECONDS)
                    .get(topic).partitions().size();
        }
    }

    /**
     * Why the input's partitions cannot be spread evenly over this instance's stream threads, or null when they
     * can. A creditcard scorer runs one task per input partition; with 3 partitions on 2 threads one thread serves
     * two of them and, under load, falls behind while the other idles: on the 2-core reference machine that tripled
     * the exactly-once p99 against 4 partitions (docs/latency.md). Fewer partitions than threads only leaves threads
     * idle, which is not a reason to warn.
     */
    public static String threadBalance(String input, int partitions, int threads) {
        if (threads < 2 || partitions <= threads || partitions % threads == 0) {
            return null;
        }
        return "input topic " + input + " has " + partitions + " partitions for " + threads + " stream threads: "
                + "some threads serve " + (partitions / threads + 1) + " partitions and others " + partitions / threads
                + ", and under load the busiest sets the latency tail; give a single instance a multiple of "
                + "num.stream.threads partitions, or set num.stream.threads to divide them (docs/latency.md)";
    }

    /**
     * Checks where the card store's histories live before a raw-event scorer starts.
     *
     * <p>Read as keyed by card, the card store is co-partitioned with the input: its task for input partition p holds
     * the cards the producer's partitioner sends to p. Kafka Streams sizes the store's changelog by the task count,
     * the larger partition count of the input and the labels topic (both feed that task), and refuses to run once
     * the changelog no longer matches it. That guards the input's partition count only if the input sets the task
     * count, so a labels topic with more partitions than the input is refused.
     *
     * <p>Either way, an application id whose card histories were built in the other mode is refused: the
     * repartition places a card by its 8-byte id, the producer by its decimal text, so the histories would sit in
     * other tasks than their cards' events and every card would silently start afresh. The mode is told by the
     * by-customer repartition topic, which only the repartitioning topology creates, beside the card changelog.
     *
     * @throws IllegalStateException with a one-line reason
     */
    public static void checkCardPlacement(Properties client, Topics topics, String applicationId,
                                          boolean inputKeyedByCard) {
        String changelog = applicationId + "-customer-histories-changelog";
        String repartition = applicationId + "-by-customer-repartition";
        try (Admin admin = Admin.create(client)) {
            java.util.Set<String> existing = admin.listTopics().names().get(60, java.util.concurrent.TimeUnit.SECONDS);
            if (existing.contains(changelog) && existing.contains(repartition) == inputKeyedByCard) {
                throw new IllegalStateException("application id " + applicationId + " holds card histories built "
                        + (inputKeyedByCard ? "with" : "without") + " the repartition by card, so they cannot serve "
                        + (inputKeyedByCard ? "--input-keyed-by-card" : "a scorer without --input-keyed-by-card")
                        + ": use a new application id and backfill it (docs/latency.md)");
            }
            if (!inputKeyedByCard) {
                return;
            }
            var described = admin.describeTopics(List.of(topics.input(), topics.labels())).allTopicNames()
                    .get(60, java.util.concurrent.TimeUnit.SECONDS);
            int input = described.get(topics.input()).partitions().size();
            int labels = described.get(topics.labels()).partitions().size();
            if (labels > input) {
                throw new IllegalStateException("--input-keyed-by-card needs the labels topic " + topics.labels()
                        + " (" + labels + " partitions) to have no more partitions than the input topic "
                        + topics.input() + " (" + input + "), so that the card store stays co-partitioned with the input");
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot check the topics of " + applicationId + ", " + topics.input()
                    + " and " + topics.labels() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot check the topics of " + applicationId + ": no answer in 60 s", e);
        }
    }
}
