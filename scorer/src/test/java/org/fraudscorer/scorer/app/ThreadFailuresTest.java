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
        ThreadFailures h = new ThreadFailures(now::get);
        Exception poison = new StreamsException("task 0_1 failed",
                new IllegalStateException("record too large\nfor the producer"));
        for (int i = 0; i < ThreadFailures.MAX_REPLACEMENTS; i++) {
            assertThat(h.handle(poison)).isEqualTo(REPLACE_THREAD);
            assertThat(h.reason()).isNull();
            now.addAndGet(1_000);
        }
        assertThat(h.handle(poison)).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(h.reason()).isEqualTo("stream thread failed 4 times within 5 min, stopping: StreamsException caused by "
                + "java.lang.IllegalStateException: record too large for the producer");
    }

    @Test
    void failuresFarApartAreEachReplaced() {
        AtomicLong now = new AtomicLong(0);
        ThreadFailures h = new ThreadFailures(now::get);
        for (int i = 0; i < 10; i++) {
            assertThat(h.handle(new RuntimeException("broker went away"))).isEqualTo(REPLACE_THREAD);
            now.addAndGet(ThreadFailures.WINDOW_MS / 2 + 1);
        }
        assertThat(h.reason()).isNull();
    }
}
