package org.fraudscorer.scorer.app;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.scorer.broker.KafkaTopics;
import org.fraudscorer.scorer.config.ClientSettings;
import org.fraudscorer.scorer.config.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the scorer's topics when missing, with the cluster's default replication factor (the model topic
 * compacted, one partition), and waits until every partition accepts writes. Existing topics are left as they are,
 * and no create request is sent for them.
 */
public final class TopicSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {
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

    /**
     * Why an existing model topic would lose or refuse a model, or null when it keeps them.
     *
     * <ul>
     *   <li>A cleanup policy other than {@code compact} ({@code delete}, or {@code compact,delete}) deletes the
     *       champion's record once the topic's retention has passed; a scorer that starts after that finds no
     *       champion and serves its start-up {@code --model} again: a rollback nobody asked for. That is what a topic
     *       auto-created by the broker (its default policy) does.</li>
     *   <li>A {@code max.message.bytes} below the record refuses the publication.</li>
     * </ul>
     *
     * @param recordBytes the size of the record to publish (file, key and the batch's overhead), or 0 to check the
     *                    cleanup policy only
     */
    public static String modelTopicProblem(String topic, String cleanupPolicy, long maxMessageBytes,
                                           long recordBytes) {
        List<String> policies = Arrays.stream(cleanupPolicy.split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
        if (!policies.equals(List.of(TopicConfig.CLEANUP_POLICY_COMPACT))) {
            return "model topic " + topic + " has cleanup.policy=" + cleanupPolicy + ": the broker deletes the "
                    + "champion's record after the topic's retention, and a scorer started after that serves its "
                    + "--model again; set cleanup.policy=compact (docs/commands.md, \"Models\")";
        }
        if (recordBytes > maxMessageBytes) {
            return "model topic " + topic + " takes records up to max.message.bytes=" + maxMessageBytes + ", and this "
                    + "model's record is " + recordBytes + " bytes; raise max.message.bytes to at least " + recordBytes
                    + " (docs/commands.md, \"Models\")";
        }
        return null;
    }

    /** A model record's size on the broker: the file, its key, and a generous bound on one record's batch overhead. */
    public static long modelRecordBytes(int fileBytes, String key) {
        return fileBytes + key.getBytes(StandardCharsets.UTF_8).length + 512L;
    }

    /**
     * Readies the model topic for a publication ({@code publish}, {@code retrain}): creates it when the cluster does
     * not list it, as the scorer does ({@link #MODEL_TOPIC_CONFIG}, one partition), so that a publication before any
     * scorer ran is never left to the broker's auto-creation (a deleting topic with 1 MiB records, in as many
     * partitions as the broker's default); refuses an existing topic that would lose or refuse the model
     * ({@link #modelTopicProblem}).
     *
     * @param recordBytes the record's size ({@link #modelRecordBytes}), or 0 for a tombstone
     * @return null, or a one-line note when the topic's settings could not be read (no right to describe its
     *         configuration: the publication then goes ahead unchecked) or it has more than one partition (the
     *         scorers warn of it too: {@link org.fraudscorer.scorer.model.ModelWatcher#partitionsProblem}), or when
     *         it was created: a mistyped {@code --model-topic} was created and published to, "published" said, and
     *         no scorer ever read it (a hands-on week)
     * @throws IllegalStateException with a one-line reason
     */
    public static String prepareModelTopic(Properties kafka, String topic, long recordBytes) {
        try (Admin admin = Admin.create(ClientSettings.forAdmin(kafka))) {
            java.util.Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            if (!existing.contains(topic)) {
                KafkaTopics.createAndAwait(admin, topic, 1, MODEL_TOPIC_CONFIG, Duration.ofSeconds(60));
                return "model topic " + topic + " did not exist: created it; only scorers started with --model-topic "
                        + topic + " follow it (a scorer creates its model topic when it starts), so check the name";
            }
            String partitions = partitionsProblem(admin, topic);
            Config config;
            try {
                config = describe(admin, topic);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.AuthorizationException) {
                    return "the settings of model topic " + topic + " were not checked (not authorized to describe "
                            + "its configuration)" + (partitions == null ? "" : "; " + partitions);
                }
                throw e;
            }
            String problem = modelTopicProblem(topic, config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value(),
                    Long.parseLong(config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value()), recordBytes);
            if (problem != null) {
                throw new IllegalStateException(problem);
            }
            return partitions;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking model topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not check model topic " + topic + ": "
                    + (e.getCause() != null ? e.getCause() : e), e);
        }
    }

    /**
     * The model topic's retention problem ({@link #modelTopicProblem} without a record), or null when it keeps the
     * champion, or it does not exist; says so when this client may not read its settings: advice for the start-up log.
     */
    public static String modelTopicRetention(Properties client, String topic) {
        return retention(client, topic, true);
    }

    /**
     * The model topic's retention problem alone, or null: also when it does not exist or its settings may not be
     * read (the publication says so then). For a check before work that would be lost ({@code retrain}).
     */
    public static String modelTopicRetentionProblem(Properties client, String topic) {
        return retention(client, topic, false);
    }

    private static String retention(Properties client, String topic, boolean sayUnchecked) {
        try (Admin admin = Admin.create(client)) {
            if (!admin.listTopics().names().get(60, TimeUnit.SECONDS).contains(topic)) {
                return null;
            }
            Config config = describe(admin, topic);
            return modelTopicProblem(topic, config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value(), Long.MAX_VALUE, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            if (sayUnchecked && e.getCause() instanceof AuthorizationException) {
                return "model topic " + topic + ": its cleanup.policy was not checked, this client may not describe "
                        + "its configuration (no DESCRIBE_CONFIGS ACL); it must be compact (docs/commands.md, "
                        + "\"Models\")";
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    /** {@link org.fraudscorer.scorer.model.ModelWatcher#partitionsProblem} for {@code topic}, or null if unknown. */
    private static String partitionsProblem(Admin admin, String topic)
            throws InterruptedException, TimeoutException {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS)
                    .get(topic);
            return org.fraudscorer.scorer.model.ModelWatcher.partitionsProblem(topic, d.partitions().size());
        } catch (ExecutionException e) {
            return null; // not visible to this client: the publication says what it meets
        }
    }

    /** The settings of {@code topic}, as the cluster describes them. */
    private static Config describe(Admin admin, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(60, TimeUnit.SECONDS).get(resource);
    }

    /**
     * As {@link #ensure(Admin, Topics, int, Set)}, with an admin client on {@code client}.
     *
     * @param optional topics whose creation may be refused (with a warning): the scorer works without them
     */
    public static void ensure(Properties client, Topics topics, int partitions, Set<String> optional) {
        try (Admin admin = Admin.create(ClientSettings.forAdmin(client))) {
            ensure(admin, topics, partitions, optional);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the topics", e);
        }
    }

    /**
     * The topics a scorer of {@code family} can do without: the shadow and model topics, and the labels where the
     * family has no label feedback (creditcard).
     */
    public static Set<String> optional(Topics topics, EventFamily family) {
        return family.labelFeedback() ? Set.of(topics.shadow(), topics.models())
                : Set.of(topics.shadow(), topics.models(), topics.labels());
    }

    /** Whether a topic is there for this client. */
    public enum Visibility {
        PRESENT, MISSING,
        /**
         * Without DESCRIBE on a topic the cluster answers the same whether it exists or not (it does not disclose
         * existence).
         */
        NOT_VISIBLE,
        /** The cluster gave another answer, or none in time: left to the steps after (they retry, or say why). */
        UNKNOWN
    }

    /** Each topic's {@link Visibility}, in the order given: one describe request, 60 s at most, nothing created. */
    public static Map<String, Visibility> visibility(Admin admin, Collection<String> topics)
            throws InterruptedException {
        Map<String, KafkaFuture<TopicDescription>> futures = admin.describeTopics(topics,
                new DescribeTopicsOptions().timeoutMs(60_000)).topicNameValues();
        Map<String, Visibility> result = new java.util.LinkedHashMap<>();
        for (String topic : topics) {
            Visibility v;
            try {
                futures.get(topic).get(60, TimeUnit.SECONDS);
                v = Visibility.PRESENT;
            } catch (ExecutionException e) {
                v = e.getCause() instanceof UnknownTopicOrPartitionException ? Visibility.MISSING
                        : e.getCause() instanceof TopicAuthorizationException ? Visibility.NOT_VISIBLE
                        : Visibility.UNKNOWN;
            } catch (TimeoutException e) {
                v = Visibility.UNKNOWN;
            }
            result.put(topic, v);
        }
        return result;
    }

    /**
     * Creates the topics the cluster says are missing, and waits for all of them. Topics that exist are not created
     * again: on a cluster with ACLs the scorer's principal may describe, read and write its topics without the right
     * to create any, and Kafka refuses a create request for lack of that right before it looks whether the topic
     * exists. A topic not visible to this client (no DESCRIBE: it may exist) is left alone; the access check names
     * it if the scorer needs it. A refused creation stops the start, naming the topics, unless the topic is optional.
     */
    public static void ensure(Admin admin, Topics topics, int partitions, Set<String> optional)
            throws InterruptedException {
        Map<String, Integer> wanted = new java.util.LinkedHashMap<>();
        for (String t : topics.all()) {
            if (!t.equals(topics.models())) {
                wanted.put(t, partitions);
            }
        }
        wanted.put(topics.models(), 1); // last, as the warnings name it
        Map<String, Visibility> visibility = visibility(admin, wanted.keySet());
        List<String> refused = new java.util.ArrayList<>();
        List<String> skipped = new java.util.ArrayList<>();
        wanted.forEach((t, n) -> {
            switch (visibility.get(t)) {
                case PRESENT -> KafkaTopics.awaitReady(admin, t, Duration.ofSeconds(60));
                case NOT_VISIBLE -> { }
                case MISSING, UNKNOWN -> { // an existing topic is only waited for (TopicExists is not an error)
                    try {
                        KafkaTopics.createAndAwait(admin, t, n, t.equals(topics.models()) ? MODEL_TOPIC_CONFIG
                                : Map.of(), Duration.ofSeconds(60));
                    } catch (IllegalStateException e) {
                        if (!(e.getCause() instanceof AuthorizationException)) {
                            throw e;
                        }
                        (optional.contains(t) ? skipped : refused).add(t);
                    }
                }
            }
        });
        if (!refused.isEmpty()) {
            throw new IllegalStateException("this scorer's client may not create " + (refused.size() == 1
                    ? "topic " : "topics ") + String.join(", ", refused) + " (no CREATE ACL): create "
                    + (refused.size() == 1 ? "it" : "them") + ", or grant this client CREATE on "
                    + (refused.size() == 1 ? "it" : "them") + " (docs/secured-cluster.md)");
        }
        if (!skipped.isEmpty()) {
            LOG.warn("this scorer's client may not create {} (no CREATE ACL): it starts without {} (no shadow "
                    + "scoring without the shadow topic; the model watcher waits for the model topic)",
                    String.join(", ", skipped), skipped.size() == 1 ? "it" : "them");
        }
    }

    /** The partition count of {@code topic}. */
    public static int partitions(Properties client, String topic) throws Exception {
        try (Admin admin = Admin.create(client)) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
        }
    }

    /**
     * The partitions {@code --create-topics auto} gives: the least multiple of the stream threads from 3 up (4 on 2
     * threads), so that no thread serves more input partitions than another (docs/latency.md). A thread count below
     * 1 counts as 1 (3 partitions).
     */
    public static int autoPartitions(int streamThreads) {
        int threads = Math.max(1, streamThreads);
        return (3 + threads - 1) / threads * threads;
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
     * Checks, before a scorer starts, that the application id's stores were built for its model: the stores of a
     * raw-event deployment (its card and terminal changelogs) are refused to a model of another family, which would
     * dead-letter every payment of that deployment while reporting UP (the start-up checks compared the model with the
     * topic's champion only, and a deployment serving its --model has none; found by a helper session); terminal
     * histories built for another label delay are refused to a raw-event model, which stopped on the first payment
     * of an old terminal and, before that, wrote histories of its own delay for new ones, so that no model could
     * serve the application id afterwards. The delay is read from the newest records of the terminal changelog.
     * Then, for a raw-event model, {@link #checkCardPlacement}.
     *
     * @throws IllegalStateException with a one-line reason
     */
    public static void checkState(Properties client, Topics topics, String applicationId, ModelBundle model,
                                  boolean inputKeyedByCard) {
        java.util.Set<String> existing = null;
        try {
            existing = topicNames(client);
        } catch (ExecutionException | TimeoutException e) {
            storesUnchecked(applicationId, model, e);
        }
        String unfit = existing == null ? null : storesProblem(client, existing, applicationId, model);
        if (unfit != null) {
            throw new IllegalStateException(unfit + "; serve a model that fits them, or give model "
                    + model.modelVersion() + " an --application-id (and a --model-topic) of its own, warmed with "
                    + "'./fraud backfill'");
        }
        if (model.family().keepsState()) {
            checkCardPlacement(client, topics, applicationId, inputKeyedByCard, existing);
        }
    }

    /**
     * What makes the stores of {@code applicationId} unfit for {@code model} ({@link #checkState}), or null: also when
     * it has none, or the cluster does not answer (said in the log). For {@code publish --replace-misfit-champion},
     * whose model must fit the deployment's scorers rather than the topic's champion.
     */
    public static String storesProblem(Properties client, String applicationId, ModelBundle model) {
        try {
            return storesProblem(client, topicNames(client), applicationId, model);
        } catch (ExecutionException | TimeoutException e) {
            storesUnchecked(applicationId, model, e);
            return null;
        }
    }

    private static void storesUnchecked(String applicationId, ModelBundle model, Exception e) {
        LOG.warn("the stores of application id {} were not checked against model {}: {}", applicationId,
                model.modelVersion(), e.toString());
    }

    private static String storesProblem(Properties client, java.util.Set<String> existing, String applicationId,
                                        ModelBundle model) {
        String cards = changelog(applicationId, org.fraudscorer.scorer.topology.FraudTopology.CARD_STORE);
        String terminals = changelog(applicationId, org.fraudscorer.scorer.topology.FraudTopology.TERMINAL_STORE);
        if (!model.family().keepsState()) {
            return existing.contains(cards) || existing.contains(terminals) ? "application id " + applicationId
                    + " holds the card and terminal histories of a raw-event deployment (" + (existing.contains(cards)
                    ? cards : terminals) + "), whose payments model " + model.modelVersion() + ", reading "
                    + model.family().description() + ", would dead-letter one by one" : null;
        }
        int delay = model.labelDelayDays().orElse(-1);
        int stored = existing.contains(terminals) ? storedDelay(client, terminals) : -1;
        return stored >= 0 && stored != delay ? "application id " + applicationId + " holds terminal histories built "
                + "for a " + stored + "-day label delay (" + terminals + "), and model " + model.modelVersion() + "'s is "
                + delay + " days: its terminal features would mix both" : null;
    }

    /** The cluster's topics, as this client sees them (60 s at most). */
    private static java.util.Set<String> topicNames(Properties client)
            throws ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(ClientSettings.forAdmin(client))) {
            return admin.listTopics().names().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the topics", e);
        }
    }

    /**
     * The label delay of the newest terminal history records on {@code changelog} (the last records of each partition,
     * committed ones only), or -1 when none is found within 10 s in all: checked no further, the stage itself refuses.
     */
    static int storedDelay(Properties client, String changelog) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer =
                     new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                             org.fraudscorer.scorer.model.ModelWatcher.consumerProperties(client),
                             new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                             new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(changelog,
                    left(deadline)).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> ends = consumer.endOffsets(partitions, left(deadline));
            Map<org.apache.kafka.common.TopicPartition, Long> begins = consumer.beginningOffsets(partitions,
                    left(deadline));
            for (var tp : partitions) {
                consumer.seek(tp, Math.max(begins.get(tp), ends.get(tp) - STATE_RECORDS_READ));
            }
            int delay = -1;
            long newest = Long.MIN_VALUE;
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(tp -> consumer.position(tp)
                    < ends.get(tp))) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    int d = org.fraudscorer.common.features.events.TerminalHistory.delayDaysOf(r.value());
                    if (d >= 0 && r.timestamp() >= newest) {
                        delay = d;
                        newest = r.timestamp();
                    }
                }
            }
            return delay;
        } catch (org.apache.kafka.common.KafkaException e) {
            LOG.warn("the label delay of {} was not read: {}", changelog, e.toString());
            return -1;
        }
    }

    /** What is left until {@code deadline} ({@link System#nanoTime}), at least a millisecond. */
    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000L, deadline - System.nanoTime()));
    }

    /** The changelog topic Kafka Streams keeps for {@code store} of {@code applicationId}. */
    private static String changelog(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }

    /** How many of the newest records of each terminal changelog partition {@link #storedDelay} reads. */
    private static final int STATE_RECORDS_READ = 50;

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
     * <p>{@code listed} is the cluster's topics when {@link #checkState} could list them, or null: then they are
     * listed here, and a cluster that does not answer refuses the start.
     *
     * @throws IllegalStateException with a one-line reason
     */
    private static void checkCardPlacement(Properties client, Topics topics, String applicationId,
                                           boolean inputKeyedByCard, java.util.Set<String> listed) {
        String changelog = changelog(applicationId, org.fraudscorer.scorer.topology.FraudTopology.CARD_STORE);
        String repartition = applicationId + "-by-customer-repartition";
        try (Admin admin = Admin.create(client)) {
            java.util.Set<String> existing = listed != null ? listed
                    : admin.listTopics().names().get(60, TimeUnit.SECONDS);
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
                    .get(60, TimeUnit.SECONDS);
            int input = described.get(topics.input()).partitions().size();
            int labels = described.get(topics.labels()).partitions().size();
            if (labels > input) {
                throw new IllegalStateException("--input-keyed-by-card needs the labels topic " + topics.labels()
                        + " (" + labels + " partitions) to have no more partitions than the input topic "
                        + topics.input() + " (" + input + "), so that the card store stays co-partitioned with the input");
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot check the topics of " + applicationId + ", " + topics.input()
                    + " and " + topics.labels() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot check the topics of " + applicationId + ": no answer in 60 s", e);
        }
    }
}
