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
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeAclsOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTransactionsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.streams.StreamsConfig;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.scorer.config.ClientSettings;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.app.TopicSetup.Visibility;
import org.fraudscorer.scorer.config.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a cluster with ACLs lets the scorer's client do, asked before Kafka Streams starts, so that a scorer missing a
 * grant refuses to start with one line naming the grants it found missing, instead of starting and then failing (its
 * group), failing every transaction while it reports UP (its transactional ids), never receiving a model (the model
 * topic), or calling a topic it may not see "not found".
 *
 * <p>It asks, it does not try: the topics and the group are described with their authorized operations (KIP-430), a
 * transactional id under the application id's prefix is described (without the grant the answer is "not
 * authorized", with it "not found"), and the creation of an internal topic is validated without creating it. A
 * cluster without an authorizer is not asked about grants at all. What it cannot see it lets pass (fail open), with a
 * warning where a question got another answer or none within 15 s: READ on a group that does not exist (Kafka 4
 * answers "not found" to a principal with DESCRIBE, and a principal without READ never creates the group: Kafka Streams
 * then stops with the reason at its first join), a transactional id granted DESCRIBE but not WRITE, an authorizer that
 * reports no operations. {@link Mode#WARN} and {@link Mode#OFF} ({@code --access-check}) are the way out of a refusal
 * that is wrong for a cluster.
 */
public final class AccessCheck {
    private static final Logger LOG = LoggerFactory.getLogger(AccessCheck.class);
    /** The bound on each question to the cluster. */
    private static final int TIMEOUT_MS = 15_000;

    private AccessCheck() {
    }

    /** What a scorer does when its client lacks a grant: refuse to start (default), start with a warning, not ask. */
    public enum Mode { REFUSE, WARN, OFF }

    /**
     * One topic as this client sees it.
     *
     * @param allowed the operations the cluster authorises on it, or null when it did not say (then any is allowed)
     */
    public record TopicAccess(String topic, Visibility visibility, Set<AclOperation> allowed) {
        /** Whether {@code op} is allowed: on a present topic whose operations contain it or were not reported. */
        public boolean allows(AclOperation op) {
            return visibility == Visibility.UNKNOWN
                    || visibility == Visibility.PRESENT && (allowed == null || allowed.contains(op));
        }
    }

    /**
     * The scorer's look at the cluster, after its topics were created when it creates them: with {@code --create-topics
     * 0}, a topic its topology reads or writes that is missing refuses the start, naming it (Kafka Streams would
     * otherwise rebalance for minutes with the source missing, or fail each transaction on a missing sink, without
     * the topic's name); then the grants ({@link #missingGrants}), refused or warned of by {@code mode}.
     *
     * @return why challengers cannot be shadow-scored (the shadow topic missing or not writable), or null when they can
     */
    public static String forScorer(ScorerConfig config, EventFamily family, boolean createsNone, Mode mode)
            throws InterruptedException {
        Topics t = config.topics();
        Map<String, AclOperation> needed = new LinkedHashMap<>();
        needed.put(t.input(), AclOperation.READ);
        for (String output : t.outputs()) {
            needed.put(output, AclOperation.WRITE);
        }
        if (family.labelFeedback()) {
            needed.put(t.labels(), AclOperation.READ);
        }
        String servers = config.clientProperties().getProperty("bootstrap.servers");
        Properties streams = config.streamsProperties();
        String applicationId = streams.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        boolean transactions = !StreamsConfig.AT_LEAST_ONCE.equals(
                streams.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE));
        try (Admin admin = Admin.create(ClientSettings.forAdmin(config.clientProperties()))) {
            List<String> described = new ArrayList<>(needed.keySet());
            described.add(t.shadow());
            described.add(t.models());
            Map<String, Visibility> visible = TopicSetup.visibility(admin, described);
            List<String> missing = needed.keySet().stream().filter(n -> visible.get(n) == Visibility.MISSING).toList();
            if (createsNone && !missing.isEmpty()) {
                throw new IllegalStateException((missing.size() == 1 ? "topic " : "topics ")
                        + String.join(", ", missing) + " not found on " + servers + ", and this scorer creates no "
                        + "topics (--create-topics 0): create " + (missing.size() == 1 ? "it" : "them")
                        + " (or check the name), or start with --create-topics auto");
            }
            String noShadow = visible.get(t.shadow()) != Visibility.MISSING ? null : "shadow topic " + t.shadow()
                    + " does not exist" + (createsNone ? " and this scorer creates no topics: create it (or start "
                    + "with --create-topics)" : ": create it") + ", then restart this scorer, to shadow-score a "
                    + "challenger";
            if (mode == Mode.OFF || !hasAuthorizer(admin)) {
                return noShadow;
            }
            // The model topic may not exist yet (the watcher waits for it); when it does, the scorer must read it.
            if (visible.get(t.models()) != Visibility.MISSING) {
                needed.put(t.models(), AclOperation.READ);
            }
            Map<String, TopicAccess> access = topics(admin, described);
            List<String> grants = missingGrants(admin, access, needed, applicationId, transactions,
                    family.keepsState());
            if (!grants.isEmpty()) {
                String why = "the cluster at " + servers + " does not allow this scorer's client "
                        + String.join("; ", grants) + ": ask its administrator for these ACLs "
                        + "(docs/secured-cluster.md)";
                if (mode == Mode.REFUSE) {
                    throw new IllegalStateException(why + ", or start with --access-check warn");
                }
                LOG.warn("{} (--access-check warn: starting anyway)", why);
            }
            if (noShadow != null) {
                return noShadow;
            }
            if (!access.get(t.shadow()).allows(AclOperation.WRITE)) {
                return "this scorer's client may not write to shadow topic " + t.shadow() + " (no WRITE ACL, or the "
                        + "topic is not visible to it): grant it, then restart this scorer, to shadow-score a challenger";
            }
            return null;
        }
    }

    /**
     * Whether the cluster has an authorizer: a question about ACLs (matching none) is answered, or refused for lack
     * of a grant, rather than refused with "security disabled".
     */
    static boolean hasAuthorizer(Admin admin) throws InterruptedException {
        try {
            admin.describeAcls(new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC,
                            "fraud-access-check-" + java.util.UUID.randomUUID(), PatternType.LITERAL),
                    AccessControlEntryFilter.ANY), new DescribeAclsOptions().timeoutMs(TIMEOUT_MS))
                    .values().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            return !(e.getCause() instanceof SecurityDisabledException);
        } catch (TimeoutException e) {
            return true;
        }
    }

    /**
     * Each topic's visibility and allowed operations, in the order given (one describe request, 15 s at most); a topic
     * the cluster gave another answer about, or none in time, is {@link Visibility#UNKNOWN} (with a warning).
     */
    public static Map<String, TopicAccess> topics(Admin admin, Collection<String> topics) throws InterruptedException {
        Map<String, KafkaFuture<TopicDescription>> futures = admin.describeTopics(topics,
                new DescribeTopicsOptions().includeAuthorizedOperations(true).timeoutMs(TIMEOUT_MS)).topicNameValues();
        Map<String, TopicAccess> result = new LinkedHashMap<>();
        for (String topic : topics) {
            try {
                Set<AclOperation> ops = futures.get(topic).get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
                        .authorizedOperations();
                // Described, so DESCRIBE is allowed: a set without it is an authorizer that reports nothing.
                result.put(topic, new TopicAccess(topic, Visibility.PRESENT,
                        ops == null || !ops.contains(AclOperation.DESCRIBE) ? null : ops));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    result.put(topic, new TopicAccess(topic, Visibility.MISSING, Set.of()));
                } else if (e.getCause() instanceof TopicAuthorizationException) {
                    result.put(topic, new TopicAccess(topic, Visibility.NOT_VISIBLE, Set.of()));
                } else {
                    LOG.warn("ACLs on topic {} not checked: {}", topic, e.getCause().toString());
                    result.put(topic, new TopicAccess(topic, Visibility.UNKNOWN, null));
                }
            } catch (TimeoutException e) {
                LOG.warn("ACLs on topic {} not checked: no answer within {} s", topic, TIMEOUT_MS / 1000);
                result.put(topic, new TopicAccess(topic, Visibility.UNKNOWN, null));
            }
        }
        return result;
    }

    /**
     * The grants a scorer lacks, in words ("READ on topic transactions"), empty when it has every one this check can
     * see (see the class comment for what it cannot). A missing topic is not a grant: the caller reports it.
     *
     * @param needed         each topic and the operation the scorer does on it
     * @param applicationId  the Streams application id: its group, transactional ids and internal topics are named
     *                       after it
     * @param transactions   whether the scorer writes in transactions (exactly-once)
     * @param internalTopics whether the topology has internal topics (repartition, changelogs) to create
     */
    public static List<String> missingGrants(Admin admin, Map<String, AclOperation> needed, String applicationId,
                                             boolean transactions, boolean internalTopics) throws InterruptedException {
        return missingGrants(admin, topics(admin, needed.keySet()), needed, applicationId, transactions,
                internalTopics);
    }

    private static List<String> missingGrants(Admin admin, Map<String, TopicAccess> access,
                                              Map<String, AclOperation> needed, String applicationId,
                                              boolean transactions, boolean internalTopics) throws InterruptedException {
        List<String> missing = new ArrayList<>();
        needed.forEach((topic, op) -> {
            TopicAccess a = access.get(topic);
            if (a.visibility() == Visibility.NOT_VISIBLE) {
                missing.add(op + " on topic " + topic + " (not visible to this client: it does not exist, or no ACL "
                        + "lets it DESCRIBE it)");
            } else if (a.visibility() == Visibility.PRESENT && !a.allows(op)) {
                missing.add(op + " on topic " + topic);
            }
        });
        if (!groupAllowsRead(admin, applicationId)) {
            missing.add("READ on group " + applicationId);
        }
        if (transactions && !transactionalIdsDescribable(admin, applicationId + "-")) {
            missing.add("WRITE on transactional ids prefixed " + applicationId + "-");
        }
        if (internalTopics && !internalTopicsAvailable(admin, applicationId + "-")) {
            missing.add("ALL on topics prefixed " + applicationId + "- (Kafka Streams creates and uses its internal "
                    + "topics there)");
        }
        return missing;
    }

    /**
     * False only when the cluster says no. A group that does not exist cannot show its READ: Kafka 4 answers "not
     * found" to a principal with DESCRIBE (fail open; see the class comment).
     */
    private static boolean groupAllowsRead(Admin admin, String group) throws InterruptedException {
        try {
            Set<AclOperation> ops = admin.describeConsumerGroups(List.of(group), new DescribeConsumerGroupsOptions()
                            .includeAuthorizedOperations(true).timeoutMs(TIMEOUT_MS))
                    .describedGroups().get(group).get(TIMEOUT_MS, TimeUnit.MILLISECONDS).authorizedOperations();
            return ops == null || !ops.contains(AclOperation.DESCRIBE) || ops.contains(AclOperation.READ);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupAuthorizationException) {
                return false;
            }
            if (!(e.getCause() instanceof GroupIdNotFoundException)) { // not there: DESCRIBE was allowed
                LOG.warn("READ on group {} not checked: {}", group, e.getCause().toString());
            }
            return true;
        } catch (TimeoutException e) {
            LOG.warn("READ on group {} not checked: no answer within {} s", group, TIMEOUT_MS / 1000);
            return true;
        }
    }

    /**
     * False only when the cluster refuses to describe a transactional id under the prefix (WRITE implies DESCRIBE; a
     * DESCRIBE-only grant passes, see the class comment).
     */
    private static boolean transactionalIdsDescribable(Admin admin, String prefix) throws InterruptedException {
        String id = prefix + "access-check";
        try {
            admin.describeTransactions(List.of(id), new DescribeTransactionsOptions().timeoutMs(TIMEOUT_MS))
                    .description(id).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TransactionalIdAuthorizationException) {
                return false;
            }
            if (!(e.getCause() instanceof TransactionalIdNotFoundException)) {
                LOG.warn("WRITE on transactional ids prefixed {} not checked: {}", prefix, e.getCause().toString());
            }
            return true;
        } catch (TimeoutException e) {
            LOG.warn("WRITE on transactional ids prefixed {} not checked: no answer within {} s", prefix,
                    TIMEOUT_MS / 1000);
            return true;
        }
    }

    /**
     * Whether Kafka Streams can have its internal topics: it may create one under the prefix (validated, not created),
     * or, refused that, an administrator created changelog or repartition topics there already (Streams only creates
     * missing ones; a warning says the rest is assumed). A question without an answer lets it pass, with a warning.
     */
    private static boolean internalTopicsAvailable(Admin admin, String prefix) throws InterruptedException {
        try {
            admin.createTopics(List.of(new NewTopic(prefix + "access-check-changelog", Optional.empty(),
                    Optional.empty())), new CreateTopicsOptions().validateOnly(true).timeoutMs(TIMEOUT_MS))
                    .all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicAuthorizationException)) {
                LOG.warn("CREATE on topics prefixed {} not checked: {}", prefix, e.getCause().toString());
                return true;
            }
        } catch (TimeoutException e) {
            LOG.warn("CREATE on topics prefixed {} not checked: no answer within {} s", prefix, TIMEOUT_MS / 1000);
            return true;
        }
        try {
            List<String> created = admin.listTopics(new ListTopicsOptions().timeoutMs(TIMEOUT_MS)).names()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).stream().filter(n -> n.startsWith(prefix)
                            && (n.endsWith("-changelog") || n.endsWith("-repartition"))).sorted().toList();
            if (created.isEmpty()) {
                return false;
            }
            LOG.warn("this client may not create topics prefixed {}, and {} are there ({}): assuming an administrator "
                    + "created every internal topic Kafka Streams needs", prefix, created.size(), created);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("internal topics prefixed {} not checked: {}", prefix, e instanceof ExecutionException
                    ? e.getCause().toString() : "no answer within " + TIMEOUT_MS / 1000 + " s");
            return true;
        }
    }
}
