package org.fraudscorer.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until the scorers of an application id have stored a backfill ({@code backfill --wait}): their consumer group
 * has consumed everything sent, topic by topic in the order a history record crosses them. First the input topic up to
 * its end when the wait starts; then the by-customer repartition topic (absent with {@code --input-keyed-by-card}) up
 * to its end once the input is consumed, and the by-terminal one likewise: a record reaches each topic only after the
 * one before is consumed, and under exactly-once in the same transaction as that consumption, so each end taken then
 * holds every history record. Ends are the last stable offsets (open transactions not counted); a partition the group
 * never committed on counts from its first record kept. A repartition topic that does not exist yet means no scorer of
 * the application id ever started: it is waited for. Live events sent meanwhile are waited for too, up to those ends.
 */
final class BackfillWait {
    /** How often the group's offsets are read. */
    static final Duration POLL = Duration.ofMillis(500);
    /** How often progress is reported. */
    static final Duration REPORT = Duration.ofSeconds(10);

    private BackfillWait() {
    }

    /** The repartition topics a raw-event scorer of {@code applicationId} reads, in the order records cross them. */
    static List<String> repartitionTopics(String applicationId) {
        return List.of(applicationId + "-by-customer-repartition", applicationId + "-by-terminal-repartition");
    }

    /**
     * Waits up to {@code timeout}; returns null once every stage is consumed, else why not (the stage and its lag).
     *
     * @param progress told every {@link #REPORT} what is still to be consumed
     */
    static String await(Admin admin, String applicationId, String inputTopic, Duration timeout,
                        Consumer<String> progress) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = System.nanoTime() + REPORT.toNanos();
        List<String> pending = new ArrayList<>();
        pending.add(inputTopic);
        pending.addAll(repartitionTopics(applicationId));
        Map<TopicPartition, Long> ends = null;
        String problem = null;
        while (!pending.isEmpty()) {
            String topic = pending.get(0);
            if (ends == null) {
                Set<String> existing = admin.listTopics().names().get();
                String byTerminal = repartitionTopics(applicationId).get(1);
                if (!existing.contains(topic)) {
                    if (topic.endsWith("-by-customer-repartition") && existing.contains(byTerminal)) {
                        pending.remove(0); // keyed by card: no by-customer topic
                        continue;
                    }
                    problem = "no scorer of application id " + applicationId + " has started: " + topic + " does "
                            + "not exist";
                } else {
                    ends = ends(admin, topic);
                }
            }
            if (ends != null) {
                long lag = lag(admin, applicationId, ends);
                if (lag == 0) {
                    pending.remove(0);
                    ends = null;
                    continue;
                }
                problem = String.format(Locale.ROOT, "lag %,d on %s", lag, topic);
            }
            if (System.nanoTime() - deadline >= 0) {
                return problem;
            }
            if (System.nanoTime() - nextReport >= 0) {
                progress.accept(problem);
                nextReport = System.nanoTime() + REPORT.toNanos();
            }
            Thread.sleep(POLL.toMillis());
        }
        return null;
    }

    private static Map<TopicPartition, Long> ends(Admin admin, String topic)
            throws InterruptedException, ExecutionException {
        var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        Map<TopicPartition, OffsetSpec> latest = description.partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /** What the group has still to consume of {@code ends}: per partition, the end less its committed offset. */
    private static long lag(Admin admin, String group, Map<TopicPartition, Long> ends)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> uncommitted = new HashMap<>();
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            if (c == null) {
                uncommitted.put(e.getKey(), OffsetSpec.earliest());
            } else {
                lag += Math.max(0, e.getValue() - c.offset());
            }
        }
        if (!uncommitted.isEmpty()) {
            for (var info : admin.listOffsets(uncommitted).all().get().entrySet()) {
                lag += Math.max(0, ends.get(info.getKey()) - info.getValue().offset());
            }
        }
        return lag;
    }
}
