package org.fraudscorer.scorer.testing;

import java.util.Map;

import org.fraudscorer.scorer.broker.KafkaTopics;

/**
 * The Kafka broker a test runs against, whichever way {@link KafkaBrokerExtension} obtained it: an external cluster
 * ({@code KAFKA_BOOTSTRAP_SERVERS}), a Testcontainers container, or the in-JVM {@code EmbeddedKafkaBroker}.
 * Tests should use only this interface, so they run unchanged on all three.
 */
public interface TestBroker {

    /** Value for {@code bootstrap.servers}. Stays the same across {@link #restart()}. */
    String bootstrapServers();

    /** Which path was taken: {@code external}, {@code testcontainers} or {@code embedded}. */
    String kind();

    /** Creates the topic (an existing one is fine) and waits until every partition accepts writes. */
    default void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** As {@link #createTopic(String, int)}, with topic configs (only applied if the topic is new). */
    default void createTopic(String name, int partitions, Map<String, String> configs) {
        KafkaTopics.createAndAwait(bootstrapServers(), name, partitions, configs);
    }

    /** Whether {@link #restart()} is supported: only for the embedded broker. */
    default boolean canRestart() {
        return false;
    }

    /** Stops the broker and starts it again on the same address and data; blocks until it serves again. */
    default void restart() {
        throw new UnsupportedOperationException("restart is not supported by the " + kind() + " broker");
    }
}
