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
    void autoGivesTheLeastMultipleOfTheThreadsFromThreeUp() {
        assertThat(java.util.stream.IntStream.rangeClosed(1, 5).map(TopicSetup::autoPartitions))
                .containsExactly(3, 4, 3, 4, 5);
        assertThat(TopicSetup.autoPartitions(8)).isEqualTo(8);
        assertThat(TopicSetup.autoPartitions(0)).isEqualTo(3); // -p num.stream.threads=0: no division by zero
    }

    @Test
    void anEvenSpreadOneThreadOrIdleThreadsAreNoWarning() {
        assertThat(TopicSetup.threadBalance("tx", 4, 2)).isNull();
        assertThat(TopicSetup.threadBalance("tx", 6, 3)).isNull();
        assertThat(TopicSetup.threadBalance("tx", 3, 1)).isNull();
        assertThat(TopicSetup.threadBalance("tx", 2, 4)).as("fewer partitions than threads: threads idle").isNull();
        assertThat(TopicSetup.threadBalance("tx", 3, 3)).isNull();
    }

    @Test
    void aModelTopicThatDeletesOrRefusesTheModelIsNamedWithWhatToChange() {
        assertThat(TopicSetup.modelTopicProblem("m", "compact", 1 << 20, 1000)).isNull();
        assertThat(TopicSetup.modelTopicProblem("m", " Compact ", 1 << 20, 0)).isNull();
        assertThat(TopicSetup.modelTopicProblem("m", "delete", Long.MAX_VALUE, 0)).startsWith("model topic m has "
                + "cleanup.policy=delete: the broker deletes the champion's record after the topic's retention")
                .contains("set cleanup.policy=compact");
        assertThat(TopicSetup.modelTopicProblem("m", "compact,delete", Long.MAX_VALUE, 0))
                .as("compacted and deleted: the champion goes too").contains("cleanup.policy=compact,delete");
        assertThat(TopicSetup.modelTopicProblem("m", "compact", 1_048_588, 2_000_000)).isEqualTo("model topic m takes "
                + "records up to max.message.bytes=1048588, and this model's record is 2000000 bytes; raise "
                + "max.message.bytes to at least 2000000 (docs/commands.md, \"Models\")");
        assertThat(TopicSetup.modelRecordBytes(1000, "default")).isEqualTo(1000 + 7 + 512);
    }
}
