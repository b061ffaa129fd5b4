package org.fraudscorer.scorer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {

    @Test
    void aFailureThatComesBackEveryTimeStopsTheClientWithItsReasonInsteadOfLoopingForever() {
        AtomicLong now = new AtomicLong(1_000);
        ThreadFailures h = new ThreadFailures(now::get, 1);
        Exception poison = new StreamsException("task 0_1 failed",
                new IllegalStateException("record too large\nfor the producer"));
        for (int i = 0; i < ThreadFailures.MAX_REPLACEMENTS; i++) {
            assertThat(h.handle(poison)).isEqualTo(REPLACE_THREAD);
            assertThat(h.reason()).isNull();
            now.addAndGet(1_000);
        }
        assertThat(h.handle(poison)).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(h.reason()).isEqualTo("stream threads failed in 4 episodes within 5 min, stopping: StreamsException "
                + "caused by java.lang.IllegalStateException: record too large for the producer");
    }

    /** A missing source topic is named: Kafka Streams' message says "one or more" (found by a hunt). */
    @Test
    void aMissingSourceTopicNamesTheTopicsTheScorerReads() {
        AtomicLong now = new AtomicLong(1_000);
        ThreadFailures h = new ThreadFailures(now::get, 1, "transactions");
        Exception missing = new org.apache.kafka.streams.errors.MissingSourceTopicException("One or more source topics "
                + "were missing during rebalance");
        for (int i = 0; i < ThreadFailures.MAX_REPLACEMENTS; i++) {
            assertThat(h.handle(missing)).isEqualTo(REPLACE_THREAD);
            now.addAndGet(30_000);
        }
        assertThat(h.handle(missing)).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(h.reason()).endsWith("One or more source topics were missing during rebalance (this scorer reads "
                + "transactions: was one deleted? the threads recover if it is created again, with its partitions, "
                + "within the episodes left)");
    }

    /**
     * Stores built for another model stop the client on the first failure: the thread was replaced three times (about
     * 2.5 minutes) while the other tasks wrote state of the serving model's delay (found by a helper session).
     */
    @Test
    void storesThatDoNotFitTheModelStopTheClientAtOnce() {
        ThreadFailures h = new ThreadFailures(() -> 0, 2);
        Exception wrapped = new StreamsException("task 1_0 failed",
                new org.fraudscorer.scorer.topology.IncompatibleStateException("terminal 7's history was built for "
                        + "models with a 6-day label delay"));
        assertThat(h.handle(wrapped)).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(h.reason()).isEqualTo("the stores do not fit the serving model, stopping: terminal 7's history "
                + "was built for models with a 6-day label delay");
    }

    @Test
    void failuresFarApartAreEachReplaced() {
        AtomicLong now = new AtomicLong(0);
        ThreadFailures h = new ThreadFailures(now::get, 2);
        for (int i = 0; i < 10; i++) {
            assertThat(h.handle(new RuntimeException("broker went away"))).isEqualTo(REPLACE_THREAD);
            now.addAndGet(ThreadFailures.WINDOW_MS / 2 + 1);
        }
        assertThat(h.reason()).isNull();
    }

    /** Every thread of a 4-thread client failing at once (a broker outage) is one episode, not the budget's end. */
    @Test
    void everyThreadFailingAtOnceIsOneEpisode() {
        AtomicLong now = new AtomicLong(0);
        ThreadFailures h = new ThreadFailures(now::get, 4);
        for (int round = 0; round < ThreadFailures.MAX_REPLACEMENTS; round++) {
            for (int thread = 0; thread < 4; thread++) {
                assertThat(h.handle(new RuntimeException("task timed out"))).isEqualTo(REPLACE_THREAD);
                now.addAndGet(500);
            }
            now.addAndGet(ThreadFailures.EPISODE_MS);
        }
        assertThat(h.reason()).isNull();
        assertThat(h.handle(new RuntimeException("task timed out"))).as("a fourth episode within 5 min")
                .isEqualTo(SHUTDOWN_CLIENT);
    }

    /** A poison pill that fails every replacement of a 4-thread client at once still stops it, after 3 episodes. */
    @Test
    void aFailureRepeatedFasterThanThreadsCanFailTogetherStillStops() {
        AtomicLong now = new AtomicLong(0);
        ThreadFailures h = new ThreadFailures(now::get, 4);
        int replaced = 0;
        while (h.handle(new RuntimeException("poison")) == REPLACE_THREAD) {
            replaced++;
            now.addAndGet(200);
            assertThat(replaced).isLessThanOrEqualTo(4 * ThreadFailures.MAX_REPLACEMENTS);
        }
        assertThat(replaced).isEqualTo(4 * ThreadFailures.MAX_REPLACEMENTS);
    }
}
