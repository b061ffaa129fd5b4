package org.fraudscorer.scorer.app;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.StreamsConfig;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.scorer.config.ClientSettings;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;

/**
 * What a cluster with ACLs lets this client do, asked once before Kafka Streams starts, so that a scorer missing an
 * ACL refuses to start with one line naming every missing grant, instead of starting and then failing (a group),
 * failing its first transaction over and over (a transactional id), never receiving a model (the model topic) or
 * calling a topic it may not see "not found".
 *
 * <p>It asks the cluster, it does not try: topics and the group are described with their authorized operations
 * (KIP-430), the transactional ids under the application id's prefix are described (a missing grant answers
 * "not authorized", a granted one "not found"), and the creation of an internal topic is validated without creating it
 * ({@code validateOnly}). A cluster without an authorizer allows everything and passes. Limits: a transactional id
 * granted DESCRIBE but not WRITE passes here and fails the first transaction, as before.
 */
public final class AccessCheck {
    private AccessCheck() {
    }

    /** Whether a topic is there for this client: present, absent, or hidden (no ACL lets it describe the topic). */
    public enum Visibility { PRESENT, MISSING, HIDDEN }

    /**
     * One topic as this client sees it.
     *
     * @param allowed the operations the cluster authorises on it, or null when the cluster did not say (then none is
     *                assumed missing)
     */
    public record TopicAccess(String topic, Visibility visibility, Set<AclOperation> allowed) {
        /** Whether {@code op} is allowed (present topics only; an unknown set allows everything). */
        public boolean allows(AclOperation op) {
            return visibility == Visibility.PRESENT && (allowed == null || allowed.contains(op)
                    || allowed.contains(AclOperation.ALL));
        }
    }

    /**
     * One look at the cluster before Kafka Streams starts, with this scorer's own client settings: for a scorer that
     * creates no topics, it refuses to start, naming them, when a topic its topology reads or writes is missing (Kafka
     * Streams would otherwise rebalance for minutes with the source missing, or fail each transaction on a missing
     * sink, without the topic's name in the reason); on a cluster with ACLs it refuses to start, naming every grant
     * it lacks ({@link #missingGrants}). Returns why challengers cannot be shadow-scored (the shadow topic missing or
     * not writable), or null when they can.
     */
    public static String forScorer(ScorerConfig config, EventFamily family, boolean createsNone) throws Exception {
        Topics t = config.topics();
        boolean raw = family == EventFamily.RAW_EVENTS;
        Map<String, AclOperation> needed = new LinkedHashMap<>();
        needed.put(t.input(), AclOperation.READ);
        needed.put(t.flagged(), AclOperation.WRITE);
        needed.put(t.clean(), AclOperation.WRITE);
        needed.put(t.deadLetter(), AclOperation.WRITE);
        if (raw) {
            needed.put(t.labels(), AclOperation.READ);
        }
        String servers = config.clientProperties().getProperty("bootstrap.servers");
        Properties streams = config.streamsProperties();
        String applicationId = streams.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        boolean transactions = !StreamsConfig.AT_LEAST_ONCE.equals(
                streams.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE));
        try (Admin admin = Admin.create(ClientSettings.forAdmin(config.clientProperties()))) {
            List<String> listed = new ArrayList<>(needed.keySet());
            listed.add(t.shadow());
            listed.add(t.models());
            Map<String, TopicAccess> access = topics(admin, listed);
            List<String> missing = needed.keySet().stream()
                    .filter(n -> access.get(n).visibility() == Visibility.MISSING).toList();
            if (createsNone && !missing.isEmpty()) {
                throw new IllegalStateException((missing.size() == 1 ? "topic " : "topics ")
                        + String.join(", ", missing) + " not found on " + servers + ", and this scorer creates no "
                        + "topics (--create-topics 0): create " + (missing.size() == 1 ? "it" : "them")
                        + " (or check the name), or start with --create-topics auto");
            }
            // The model topic may not exist yet (the watcher waits for it); when it does, the scorer must read it.
            if (access.get(t.models()).visibility() != Visibility.MISSING) {
                needed.put(t.models(), AclOperation.READ);
            }
            List<String> grants = missingGrants(admin, needed, applicationId, transactions, raw);
            if (!grants.isEmpty()) {
                throw new IllegalStateException("the cluster at " + servers + " does not allow this scorer's client "
                        + String.join("; ", grants) + ": ask its administrator for these ACLs "
                        + "(docs/secured-cluster.md)");
            }
            TopicAccess shadow = access.get(t.shadow());
            if (shadow.visibility() == Visibility.MISSING) {
                return "shadow topic " + t.shadow() + " does not exist and this scorer creates no topics: create it "
                        + "(or start with --create-topics), then restart this scorer, to shadow-score a challenger";
            }
            if (!shadow.allows(AclOperation.WRITE)) {
                return "this scorer's client may not write to shadow topic " + t.shadow() + " (no WRITE ACL): grant "
                        + "it, then restart this scorer, to shadow-score a challenger";
            }
            return null;
        }
    }

    /** Each topic's visibility and allowed operations, in the order given (one describe request). */
    public static Map<String, TopicAccess> topics(Admin admin, Collection<String> topics)
            throws InterruptedException, java.util.concurrent.TimeoutException {
        Map<String, KafkaFuture<TopicDescription>> futures = admin.describeTopics(topics,
                new DescribeTopicsOptions().includeAuthorizedOperations(true)).topicNameValues();
        Map<String, TopicAccess> result = new LinkedHashMap<>();
        for (String topic : topics) {
            try {
                TopicDescription d = futures.get(topic).get(60, TimeUnit.SECONDS);
                result.put(topic, new TopicAccess(topic, Visibility.PRESENT, d.authorizedOperations()));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    result.put(topic, new TopicAccess(topic, Visibility.MISSING, Set.of()));
                } else if (e.getCause() instanceof TopicAuthorizationException) {
                    result.put(topic, new TopicAccess(topic, Visibility.HIDDEN, Set.of()));
                } else {
                    throw new IllegalStateException("could not describe topic " + topic + ": " + e.getCause(), e);
                }
            }
        }
        return result;
    }

    /**
     * The grants a scorer lacks, in words ("READ on topic transactions"), empty when it has them all.
     *
     * @param needed        each topic and the operation the scorer does on it (present topics; a missing one is
     *                      reported by the caller)
     * @param applicationId the Streams application id: its consumer group, its transactional ids and internal topics
     *                      are named after it
     * @param transactions  whether the scorer writes in transactions (exactly-once)
     * @param internalTopics whether the topology has internal topics (repartition, changelogs) to create
     */
    public static List<String> missingGrants(Admin admin, Map<String, AclOperation> needed, String applicationId,
                                             boolean transactions, boolean internalTopics)
            throws InterruptedException, java.util.concurrent.TimeoutException {
        List<String> missing = new ArrayList<>();
        Map<String, TopicAccess> access = topics(admin, needed.keySet());
        needed.forEach((topic, op) -> {
            TopicAccess a = access.get(topic);
            if (a.visibility() == Visibility.HIDDEN) {
                missing.add(op + " on topic " + topic + " (it is hidden from this client: no DESCRIBE)");
            } else if (a.visibility() == Visibility.PRESENT && !a.allows(op)) {
                missing.add(op + " on topic " + topic);
            }
        });
        if (!groupAllowsRead(admin, applicationId)) {
            missing.add("READ on group " + applicationId);
        }
        if (transactions && !transactionalIdsVisible(admin, applicationId + "-")) {
            missing.add("WRITE on transactional ids prefixed " + applicationId + "-");
        }
        if (internalTopics && !mayCreate(admin, applicationId + "-access-check-changelog")) {
            missing.add("CREATE (and READ, WRITE) on topics prefixed " + applicationId + "- (its internal topics)");
        }
        return missing;
    }

    private static boolean groupAllowsRead(Admin admin, String group) throws InterruptedException,
            java.util.concurrent.TimeoutException {
        try {
            Set<AclOperation> ops = admin.describeConsumerGroups(List.of(group),
                            new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true))
                    .describedGroups().get(group).get(60, TimeUnit.SECONDS).authorizedOperations();
            return ops == null || ops.contains(AclOperation.READ) || ops.contains(AclOperation.ALL);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupAuthorizationException) {
                return false;
            }
            return true; // e.g. the group does not exist yet: describing it was allowed
        }
    }

    private static boolean transactionalIdsVisible(Admin admin, String prefix) throws InterruptedException,
            java.util.concurrent.TimeoutException {
        String id = prefix + "access-check";
        try {
            admin.describeTransactions(List.of(id)).description(id).get(60, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            return !(e.getCause() instanceof TransactionalIdAuthorizationException);
        }
    }

    private static boolean mayCreate(Admin admin, String topic) throws InterruptedException,
            java.util.concurrent.TimeoutException {
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())),
                    new CreateTopicsOptions().validateOnly(true)).all().get(60, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            return !(e.getCause() instanceof TopicAuthorizationException
                    || e.getCause() instanceof org.apache.kafka.common.errors.ClusterAuthorizationException);
        }
    }
}
