package org.fraudscorer.scorer.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.devkafka.EmbeddedKafkaBroker;
import org.fraudscorer.devkafka.TempDir;
import org.fraudscorer.scorer.broker.KafkaTopics;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.serde.TransactionJson;
import org.fraudscorer.scorer.serde.TransactionParser;

/**
 * Soak run (not a CI test): an embedded broker, one in-process scorer (exactly_once_v2) and a producer at a fixed
 * rate for N minutes. Every 10 s it samples heap used after a GC, the scorer group's consumer lag, the size of the
 * Streams state directory, and the output rate; at the end it prints the table and a verdict: flat when the last
 * third of the samples averages no higher than the first third (within a tolerance). Everything runs in this JVM,
 * so the heap figure includes the broker's and the producer's heap.
 * <pre>
 *   scripts/soak.sh --minutes 10 --rate 1000
 * </pre>
 */
public final class SoakRun {
    private static final FeatureSchema SCHEMA = FeatureSchema.CREDITCARD;

    private record Sample(int second, long heapUsedAfterGc, long lag, long stateDirBytes, long brokerDirBytes,
                          double producedPerSec, double outPerSec) {
    }

    private SoakRun() {
    }

    /**
     * Exact accounting by id, not by count (where a loss and a duplicate would cancel out): which ids the broker
     * acknowledged, which came out (flagged, clean or dead letter), and every id seen more than once or not ours.
     */
    static final class Ledger {
        private final BitSet acknowledged = new BitSet();
        private final BitSet seen = new BitSet();
        private final List<String> duplicated = new ArrayList<>();
        private final List<String> foreign = new ArrayList<>();

        synchronized void acknowledged(long n) {
            acknowledged.set(Math.toIntExact(n));
        }

        synchronized void seen(String key) {
            long n = key != null && key.startsWith(ID_PREFIX) ? parse(key.substring(ID_PREFIX.length())) : -1;
            if (n < 0 || n > Integer.MAX_VALUE) {
                foreign.add(key);
            } else if (seen.get((int) n)) {
                duplicated.add(key);
            } else {
                seen.set((int) n);
            }
        }

        private static long parse(String digits) {
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        synchronized long distinctSeen() {
            return seen.cardinality();
        }

        /** Acknowledged ids that never came out. */
        synchronized long missing() {
            BitSet m = (BitSet) acknowledged.clone();
            m.andNot(seen);
            return m.cardinality();
        }

        /** Ids that came out but were never acknowledged. */
        synchronized long unacknowledged() {
            BitSet u = (BitSet) seen.clone();
            u.andNot(acknowledged);
            return u.cardinality();
        }

        synchronized List<String> duplicated() {
            return List.copyOf(duplicated);
        }

        synchronized List<String> foreign() {
            return List.copyOf(foreign);
        }
    }

    private static final String ID_PREFIX = "soak-";

    public static void main(String[] args) throws Exception {
        int minutes = 10;
        int rate = 1_000;
        int sampleSeconds = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> minutes = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--sample-seconds" -> sampleSeconds = Integer.parseInt(args[++i]);
                case "--help", "-h" -> {
                    System.out.println("usage: SoakRun [--minutes N (10)] [--rate events/s (1000)] [--sample-seconds S (10)]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see --help)");
            }
        }
        if (minutes < 1 || rate < 1 || sampleSeconds < 1) {
            throw new IllegalArgumentException("--minutes, --rate and --sample-seconds must be positive");
        }
        System.exit(run(minutes, rate, sampleSeconds) ? 0 : 1);
    }

    static boolean run(int minutes, int rate, int sampleSeconds) throws Exception {
        TempDir temp = TempDir.create("fraud-soak-"); // closed in the finally below, after the broker
        Path root = temp.path();
        Path stateDir = temp.dir("state");
        Topics topics = new Topics("soak.in", "soak.flagged", "soak.clean", "soak.dlq", "soak.models");
        String appId = "soak-scorer";
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<Sample> samples = new ArrayList<>();
        System.out.printf("soak: %d min at %d events/s, sample every %d s, data in %s%n", minutes, rate, sampleSeconds, root);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(root.resolve("kafka"), 0)) {
            for (String t : List.of(topics.input(), topics.flagged(), topics.clean(), topics.deadLetter())) {
                KafkaTopics.createAndAwait(broker.bootstrapServers(), t, 3, Map.of());
            }
            KafkaTopics.createAndAwait(broker.bootstrapServers(), topics.models(), 1, Map.of("cleanup.policy", "compact"));
            Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            p.put("application.id", appId);
            p.put("state.dir", stateDir.toString());
            ModelBundle model = ModelFixtures.bundle(7);
            AtomicLong produced = new AtomicLong();
            AtomicLong out = new AtomicLong();
            Ledger ledger = new Ledger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            try (ScorerApp app = ScorerApp.start(new ScorerConfig(topics, p, TransactionParser.DEFAULT_MAX_BYTES, 3),
                    model, new ScorerApp.Options("127.0.0.1", -1, 0));
                 Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                if (!app.awaitRunning(Duration.ofSeconds(120))) {
                    throw new IllegalStateException("scorer not running after 120 s");
                }
                final int r = rate;
                long endAt = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
                Thread producer = new Thread(() -> produce(broker.bootstrapServers(), topics.input(), r, endAt, produced, ledger, failure),
                        "soak-producer");
                AtomicBoolean counting = new AtomicBoolean(true);
                Thread counter = new Thread(() -> count(broker.bootstrapServers(), topics, out, ledger, counting, failure), "soak-counter");
                counter.setDaemon(true);
                producer.start();
                counter.start();
                long start = System.nanoTime();
                long lastProduced = 0;
                long lastOut = 0;
                long lastT = start;
                System.out.println(header());
                while (producer.isAlive()) {
                    long next = start + TimeUnit.SECONDS.toNanos((long) (samples.size() + 1) * sampleSeconds);
                    producer.join(Math.max(1, (next - System.nanoTime()) / 1_000_000));
                    // A sample every period, and a last one when the producer stops at the end of the final period
                    if (producer.isAlive() || System.nanoTime() >= next - TimeUnit.SECONDS.toNanos(1)) {
                        long now = System.nanoTime();
                        memory.gc();
                        long heap = memory.getHeapMemoryUsage().getUsed();
                        long prod = produced.get();
                        long o = out.get();
                        double secs = (now - lastT) / 1e9;
                        Sample s = new Sample((int) Math.round((now - start) / 1e9), heap,
                                lag(admin, appId, topics.input()), dirSize(stateDir), dirSize(root.resolve("kafka")),
                                (prod - lastProduced) / secs, (o - lastOut) / secs);
                        samples.add(s);
                        System.out.println(row(s));
                        lastProduced = prod;
                        lastOut = o;
                        lastT = now;
                    }
                }
                if (failure.get() != null) {
                    throw new IllegalStateException("soak failed", failure.get());
                }
                // Drain: every produced event must come out exactly once (read_committed).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (out.get() < produced.get() && System.nanoTime() < deadline) {
                    Thread.sleep(200); // polling a counter fed by another thread
                }
                Thread.sleep(3_000); // a quiet period: duplicates, if any, show up in the ledger
                System.out.printf("produced %d, outputs %d (flagged + clean + DLQ), final lag %d%n", produced.get(), out.get(),
                        lag(admin, appId, topics.input()));
                counting.set(false);
                counter.join(5_000);
                return verdict(samples, rate, produced.get(), out.get(), ledger);
            }
        } finally {
            temp.close();
        }
    }

    private static String header() {
        return String.format("%6s %12s %9s %12s %13s %11s %11s", "t(s)", "heapGC(MiB)", "lag", "stateDir(KiB)",
                "brokerDir(MiB)", "in(ev/s)", "out(ev/s)");
    }

    private static String row(Sample s) {
        return String.format("%6d %12.1f %9d %12.1f %13.1f %11.0f %11.0f", s.second, s.heapUsedAfterGc / 1048576.0, s.lag,
                s.stateDirBytes / 1024.0, s.brokerDirBytes / 1048576.0, s.producedPerSec, s.outPerSec);
    }

    /** Compares the first third of the samples with the last third. */
    private static boolean verdict(List<Sample> samples, int rate, long produced, long out, Ledger ledger) {
        int third = Math.max(1, samples.size() / 3);
        List<Sample> first = samples.subList(0, third);
        List<Sample> last = samples.subList(samples.size() - third, samples.size());
        double heapFirst = avg(first, s -> s.heapUsedAfterGc) / 1048576.0;
        double heapLast = avg(last, s -> s.heapUsedAfterGc) / 1048576.0;
        double lagFirst = avg(first, s -> s.lag);
        double lagLast = avg(last, s -> s.lag);
        double stateFirst = avg(first, s -> s.stateDirBytes) / 1024.0;
        double stateLast = avg(last, s -> s.stateDirBytes) / 1024.0;
        double outLast = avg(last, s -> (long) s.outPerSec);
        // Tolerances: heap within 15 % + 16 MiB (GC noise, JIT), lag within one second of input, state within 10 % + 64 KiB.
        boolean heapFlat = heapLast <= heapFirst * 1.15 + 16;
        boolean lagFlat = lagLast <= lagFirst + rate;
        boolean stateFlat = stateLast <= stateFirst * 1.10 + 64;
        boolean keepsUp = outLast >= 0.95 * rate;
        // Every acknowledged id out exactly once: none missing, none twice, none unknown, and the counts agree
        boolean exact = produced == out && ledger.distinctSeen() == produced && ledger.missing() == 0
                && ledger.unacknowledged() == 0 && ledger.duplicated().isEmpty() && ledger.foreign().isEmpty();
        System.out.printf("%-22s %14s %14s  %s%n", "verdict", "first third", "last third", "");
        System.out.printf("%-22s %14.1f %14.1f  %s%n", "heap after GC (MiB)", heapFirst, heapLast, heapFlat ? "flat" : "GROWING");
        System.out.printf("%-22s %14.0f %14.0f  %s%n", "consumer lag", lagFirst, lagLast, lagFlat ? "flat" : "GROWING");
        System.out.printf("%-22s %14.1f %14.1f  %s%n", "state dir (KiB)", stateFirst, stateLast, stateFlat ? "flat" : "GROWING");
        System.out.printf("%-22s %14s %14.0f  %s%n", "output rate (ev/s)", "", outLast, keepsUp ? "keeps up" : "FALLS BEHIND");
        System.out.printf("%-22s %14d %14d  %s%n", "produced / outputs", produced, out, exact ? "exact" : "MISMATCH");
        System.out.printf("%-22s %14d %14d  missing %d, twice %d %s, unknown %d %s%n", "ids acked / out once",
                produced, ledger.distinctSeen(), ledger.missing(), ledger.duplicated().size(),
                ledger.duplicated().stream().limit(5).toList(), ledger.foreign().size(),
                ledger.foreign().stream().limit(5).toList());
        boolean ok = heapFlat && lagFlat && stateFlat && keepsUp && exact;
        System.out.println("VERDICT: " + (ok ? "FLAT (no growth in heap, lag or state; every event out exactly once)" : "NOT FLAT"));
        return ok;
    }

    private static double avg(List<Sample> s, java.util.function.ToLongFunction<Sample> f) {
        return s.stream().mapToLong(f).average().orElse(0);
    }

    /** Sends made-up transactions (unique ids) at {@code rate}/s in 10 ms slices until {@code endAt}. */
    private static void produce(String bootstrap, String topic, int rate, long endAt, AtomicLong produced, Ledger ledger,
                                AtomicReference<Throwable> failure) {
        double[][] rows = ModelFixtures.transactions(10_000, 99);
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(c, new StringSerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            long n = 0;
            while (System.nanoTime() < endAt) {
                long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
                for (; n < due; n++) {
                    String id = ID_PREFIX + n;
                    long sent = n;
                    p.send(new ProducerRecord<>(topic, id, TransactionJson.write(SCHEMA, id, rows[(int) (n % rows.length)], null)),
                            (m, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                } else {
                                    ledger.acknowledged(sent);
                                    produced.incrementAndGet();
                                }
                            });
                }
                Thread.sleep(10); // pacing by the clock
            }
            p.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    /** Counts records on the three output topics with a read_committed consumer. */
    private static void count(String bootstrap, Topics topics, AtomicLong out, Ledger ledger, AtomicBoolean counting,
                              AtomicReference<Throwable> failure) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : topics.outputs()) {
                consumer.partitionsFor(t, Duration.ofSeconds(30)).forEach(i -> parts.add(new TopicPartition(t, i.partition())));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (counting.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    ledger.seen(r.key()); // the scorer keeps the input key (the id) on every output, dead letters too
                    out.incrementAndGet();
                }
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    /** Sum over the input partitions of (end offset − the group's committed offset). */
    static long lag(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                .forEach(pi -> latest.put(new TopicPartition(topic, pi.partition()), OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
        long lag = 0;
        for (var e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += e.getValue().offset() - (c == null ? 0 : c.offset());
        }
        return lag;
    }

    static long dirSize(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // a segment deleted while walking
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }
}
