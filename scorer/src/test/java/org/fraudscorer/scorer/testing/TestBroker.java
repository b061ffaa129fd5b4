package org.fraudscorer.scorer.testing;

import java.util.Map;

import org.fraudscorer.scorer.broker.KafkaTopics;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

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

    /** Environment variable that lets the restart tests skip on a broker that cannot be restarted (never set by CI). */
    String ALLOW_NO_RESTART_ENV = "FRAUD_ALLOW_NO_BROKER_RESTART";

    /** Whether {@link #restart()} is supported: the embedded and the Testcontainers broker, not an external one. */
    default boolean canRestart() {
        return false;
    }

    /**
     * For a test that restarts the broker: returns if it can; otherwise fails, unless {@value #ALLOW_NO_RESTART_ENV}=1
     * is set, in which case the test is skipped (aborted) with the reason. A restart test is never skipped quietly.
     */
    default void requireRestart(String test) {
        if (canRestart()) {
            return;
        }
        String why = test + " stops and starts the broker, and the " + kind() + " broker at " + bootstrapServers()
                + " cannot be restarted from a test";
        if ("1".equals(System.getenv(ALLOW_NO_RESTART_ENV))) {
            Assumptions.abort(why + " (skipped: " + ALLOW_NO_RESTART_ENV + "=1)");
        }
        Assertions.fail(why + "; set " + ALLOW_NO_RESTART_ENV + "=1 to skip it knowingly");
    }

    /** Stops the broker and starts it again on the same address and data; blocks until it serves again. */
    default void restart() {
        throw new UnsupportedOperationException("restart is not supported by the " + kind() + " broker");
    }

    /**
     * As {@link #restart()}, with the broker kept down for {@code down} between the stop and the start: an outage
     * the clients' timeouts can run out in.
     */
    default void restartAfter(java.time.Duration down) {
        throw new UnsupportedOperationException("restart is not supported by the " + kind() + " broker");
    }
}
