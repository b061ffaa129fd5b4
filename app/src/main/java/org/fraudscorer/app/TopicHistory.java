package org.fraudscorer.app;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fraudscorer.scorer.serde.RawEventFields;
import org.fraudscorer.scorer.serde.RawEventParser;
import org.fraudscorer.trainer.data.RawEvents;

/**
 * Past payments and their labels read from Kafka topics for {@code ./fraud backfill}: each topic from its earliest
 * offset to its end when the read starts (read_committed), parsed as the scorer parses them. A payment seen twice
 * (an at-least-once archive) counts once; a label joins its payment by transaction id (the last label wins). What
 * cannot be used is counted, never sent: unparseable records, and labels for payments not in the events read — they
 * stay where they are on their topics.
 *
 * @param events        the payments (label −1 where none arrived), in the order read
 * @param badEvents     records of the events topic the parser refused
 * @param duplicates    payments whose transaction id was read before
 * @param badLabels     records of the labels topic the parser refused
 * @param unknownLabels labels for payments not among the events
 * @param firstUnknown  the transaction id of the first such label (−1 if none)
 */
record TopicHistory(RawEvents events, long badEvents, long duplicates, long badLabels, long unknownLabels,
                    long firstUnknown) {
    private static final int MAX_BYTES = 1 << 20;

    /** Reads {@code eventsTopic} and, unless null, {@code labelsTopic}. */
    static TopicHistory read(Properties kafka, String eventsTopic, String labelsTopic, Duration timeout) {
        Map<Long, Integer> index = new HashMap<>();
        LongList ids = new LongList();
        LongList times = new LongList();
        LongList customers = new LongList();
        LongList terminals = new LongList();
        LongList amounts = new LongList(); // raw bits of the doubles
        long[] counts = new long[5]; // bad events, duplicates, bad labels, unknown labels, first unknown
        counts[4] = -1;
        RawEventParser events = new RawEventParser(RawEventParser.Kind.EVENT, MAX_BYTES);
        RawEventFields f = new RawEventFields();
        readTopic(kafka, eventsTopic, timeout, r -> {
            if (r.value() == null || !events.parse(r.value(), f).isOk()) {
                counts[0]++;
            } else if (index.putIfAbsent(f.transactionId, ids.size) != null) {
                counts[1]++;
            } else {
                ids.add(f.transactionId);
                times.add(f.epochSeconds);
                customers.add(f.customerId);
                terminals.add(f.terminalId);
                amounts.add(Double.doubleToRawLongBits(f.amount));
            }
        });
        byte[] labels = null;
        if (labelsTopic != null) {
            byte[] l = new byte[ids.size];
            java.util.Arrays.fill(l, (byte) -1);
            RawEventParser parser = new RawEventParser(RawEventParser.Kind.LABEL, MAX_BYTES);
            readTopic(kafka, labelsTopic, timeout, r -> {
                if (r.value() == null || !parser.parse(r.value(), f).isOk()) {
                    counts[2]++;
                    return;
                }
                Integer i = index.get(f.transactionId);
                if (i == null) {
                    counts[4] = counts[3]++ == 0 ? f.transactionId : counts[4];
                } else {
                    l[i] = (byte) (f.fraud ? 1 : 0);
                }
            });
            labels = l;
        }
        double[] a = new double[amounts.size];
        for (int i = 0; i < a.length; i++) {
            a[i] = Double.longBitsToDouble(amounts.a[i]);
        }
        RawEvents read = new RawEvents(eventsTopic, ids.toArray(), times.toArray(), customers.toArray(),
                terminals.toArray(), a, labels);
        return new TopicHistory(read, counts[0], counts[1], counts[2], counts[3], counts[4]);
    }

    private static void readTopic(Properties kafka, String topic, Duration timeout,
                                  Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions, no group: the read commits nothing
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = c.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist");
            }
            List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp, timeout) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " took longer than " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        each.accept(r);
                    }
                }
            }
        }
    }

    /** A growable long array: a month is a few hundred thousand payments, five columns of them. */
    private static final class LongList {
        long[] a = new long[1024];
        int size;

        void add(long v) {
            if (size == a.length) {
                a = java.util.Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(a, size);
        }
    }
}
