package org.fraudscorer.scorer.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Topic creation that returns only once the topic is usable, with public client APIs only, so it works against
 * any broker (embedded, Testcontainers, or an external cluster).
 *
 * <p>Why the wait: {@code Admin.createTopics()} completes when the controller has accepted the topic, before the
 * partition leaders have loaded it. Producing at once can get {@code NOT_LEADER_OR_FOLLOWER}; an idempotent
 * producer may then get stuck on {@code OUT_OF_ORDER_SEQUENCE_NUMBER} and drop records after
 * {@code delivery.timeout.ms}. A successful {@code listOffsets(latest)} on every partition means every leader
 * serves the partition.
 */
public final class KafkaTopics {

    /** Default time allowed for creation plus readiness. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final long RETRY_PAUSE_MS = 50;

    private KafkaTopics() {
    }

    /**
     * Creates the topic with the broker's default replication factor and waits until every partition answers
     * {@code listOffsets(latest)}. An existing topic is not an error: it is only waited for, so callers may
     * run this at every start against a persistent broker. An existing topic keeps its partition count and configs.
     *
     * @throws IllegalStateException if the topic is not ready within {@code timeout}
     */
    public static void createAndAwait(Admin admin, String name, int partitions, Map<String, String> configs,
                                      Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        NewTopic topic = new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
        try {
            admin.createTopics(List.of(topic)).all().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create topic " + name, e.getCause());
            }
        } catch (Exception e) {
            throw failure("could not create topic " + name, e);
        }
        awaitReady(admin, name, deadline);
    }

    /**
     * {@link #createAndAwait(Admin, String, int, Map, Duration)} with a plaintext admin client on
     * {@code bootstrapServers} and {@link #DEFAULT_TIMEOUT}: for tests, benchmarks and local brokers.
     */
    public static void createAndAwait(String bootstrapServers, String name, int partitions, Map<String, String> configs) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            createAndAwait(admin, name, partitions, configs, DEFAULT_TIMEOUT);
        }
    }

    /** Waits until every partition of an existing topic answers {@code listOffsets(latest)}. */
    public static void awaitReady(Admin admin, String name, Duration timeout) {
        awaitReady(admin, name, System.nanoTime() + timeout.toNanos());
    }

    private static void awaitReady(Admin admin, String name, long deadline) {
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames()
                        .get(remainingMs(deadline), TimeUnit.MILLISECONDS).get(name);
                Map<TopicPartition, OffsetSpec> latest = description.partitions().stream()
                        .map(p -> new TopicPartition(name, p.partition()))
                        .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
                admin.listOffsets(latest).all().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic " + name, e);
            } catch (Exception e) {
                // Typically UnknownTopicOrPartition / NotLeaderOrFollower / LeaderNotAvailable while leaders load.
                last = e;
                sleep(RETRY_PAUSE_MS);
            }
        }
        throw new IllegalStateException("topic " + name + " not ready in time", last);
    }

    private static long remainingMs(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static IllegalStateException failure(String message, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new IllegalStateException(message, e);
    }
}
