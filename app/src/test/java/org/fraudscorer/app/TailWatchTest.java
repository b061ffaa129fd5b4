package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * What {@code tail} says while it follows a topic ({@link TailCommand.Watch}): a cluster silent for 15 s and its
 * return, once each; partitions added are assigned from their beginning; a deleted topic ends it. (TailCommandIT runs the
 * last two on a real broker; stopping the shared test broker is not possible, so the silence is played here.)
 */
class TailWatchTest {
    private static final long SECOND = 1_000_000_000L;

    /** A consumer whose metadata answers are scripted: a list of partitions, or null for no answer in time. */
    private static final class Scripted extends MockConsumer<byte[], byte[]> {
        List<PartitionInfo> answer;

        Scripted() {
            super(AutoOffsetResetStrategy.EARLIEST.name());
        }

        @Override
        public synchronized List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
            if (answer == null) {
                throw new org.apache.kafka.common.errors.TimeoutException("no answer");
            }
            return answer;
        }
    }

    private static List<PartitionInfo> partitions(int n) {
        List<PartitionInfo> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(new PartitionInfo("t", i, null, null, null));
        }
        return l;
    }

    @Test
    void aSilentClusterIsSaidOnceAfter15SecondsAndItsReturnOnce() {
        Scripted consumer = new Scripted();
        TopicPartition p0 = new TopicPartition("t", 0);
        consumer.assign(List.of(p0));
        StringWriter err = new StringWriter();
        TailCommand.Watch watch = new TailCommand.Watch(consumer, List.of(p0), "broker:9092", new PrintWriter(err));
        long t = System.nanoTime();
        consumer.answer = null;
        for (int s = 2; s <= 40; s += 2) { // 40 s without an answer, checked every 2 s
            watch.check(t + s * SECOND);
        }
        assertThat(err.toString().lines()).containsExactly("warning: Kafka at broker:9092 has not answered for 15 s: "
                + "no record can arrive meanwhile; tail goes on and shows them when it answers");
        consumer.answer = partitions(1);
        watch.check(t + 42 * SECOND);
        watch.check(t + 44 * SECOND);
        assertThat(err.toString().lines()).hasSize(2).last().isEqualTo("Kafka at broker:9092 answers again");
    }

    @Test
    void addedPartitionsAreReadFromTheirBeginningAndADeletedTopicEndsIt() {
        Scripted consumer = new Scripted();
        TopicPartition p0 = new TopicPartition("t", 0);
        consumer.assign(List.of(p0));
        StringWriter err = new StringWriter();
        TailCommand.Watch watch = new TailCommand.Watch(consumer, List.of(p0), "b:1", new PrintWriter(err));
        long t = System.nanoTime();
        consumer.answer = partitions(3);
        watch.check(t + 3 * SECOND);
        assertThat(consumer.assignment()).containsExactlyInAnyOrder(p0, new TopicPartition("t", 1),
                new TopicPartition("t", 2));
        consumer.answer = List.of();
        assertThatThrownBy(() -> watch.check(t + 6 * SECOND)).hasMessage("topic t was deleted while tail read it (or "
                + "this client may no longer describe it)");
        assertThat(err.toString()).isEmpty();
    }
}
