package org.fraudscorer.scorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The start-up advice on spreading the input's partitions over the stream threads. */
class TopicSetupTest {

    @Test
    void partitionsThatDoNotDivideOverTheThreadsAreNamedWithTheBusiestAndTheLeastLoad() {
        assertThat(TopicSetup.threadBalance("tx", 3, 2)).isEqualTo("input topic tx has 3 partitions for 2 stream "
                + "threads: some threads serve 2 partitions and others 1, and under load the busiest sets the latency "
                + "tail; give a single instance a multiple of num.stream.threads partitions, or set num.stream.threads "
                + "to divide them (docs/latency.md)");
        assertThat(TopicSetup.threadBalance("tx", 10, 4)).contains("10 partitions for 4 stream threads",
                "some threads serve 3 partitions and others 2");
        assertThat(TopicSetup.threadBalance("tx", 7, 3)).contains("serve 3 partitions and others 2");
    }

    @Test
    void anEvenSpreadOneThreadOrIdleThreadsAreNoWarning() {
        assertThat(TopicSetup.threadBalance("tx", 4, 2)).isNull();
        assertThat(TopicSetup.threadBalance("tx", 6, 3)).isNull();
        assertThat(TopicSetup.threadBalance("tx", 3, 1)).isNull();
        assertThat(TopicSetup.threadBalance("tx", 2, 4)).as("fewer partitions than threads: threads idle").isNull();
        assertThat(TopicSetup.threadBalance("tx", 3, 3)).isNull();
    }
}
