package org.fraudscorer.bench;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.scorer.broker.EmbeddedKafkaBroker;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.serde.TransactionJson;

/**
 * End-to-end cost of the scorer on a real (embedded, single-node KRaft) broker, against a pass-through topology.
 *
 * <p>For each of {@code passthrough} and {@code scorer}, on the same broker with its own topics (3 partitions
 * each, the scorer's topic layout) and the same Streams properties ({@link ScorerConfig#streamsProperties()}:
 * exactly_once_v2, commit every 100 ms, lz4):
 * <ol>
 *   <li><b>capacity</b>: {@code --backlog} events are written to the input topic before the application starts;
 *       capacity = events / (time from the first to the last output record a read_committed consumer sees).</li>
 *   <li><b>latency</b>: a producer sends at {@code --rate} events/s for {@code --seconds}; a read_committed
 *       consumer records send → receive time (nanoTime carried in the record key, same JVM) in an HdrHistogram,
 *       skipping the first {@code --warmup} seconds; sustained rate = outputs received / time.</li>
 * </ol>
 * An unmeasured round of each topology ({@code warmup-passthrough}, {@code warmup-scorer}: half the backlog, a
 * shorter fixed-rate phase, their own topics) runs first. The pass-through topology reads the input as byte[] and writes it unchanged (byte[] serdes) to the clean topic.
 * The scorer is {@link ScorerApp} itself (parse, preprocess, network, decision, scored-record JSON, routing) with a
 * 29-16-16-1 model whose threshold flags about 0.5% of events. Broker, Streams app, producer and consumer share
 * this JVM and the machine's cores.
 */
public final class StreamBench {
    private static final FeatureSchema SCHEMA = FeatureSchema.CREDITCARD;

    private StreamBench() {
    }

    record Result(String mode, long backlog, double capacity, double offered, double sustained, long measured,
                  double p50, double p99, double p999, double max, long flagged, long clean, long dlq,
                  String cpuPerEvent) {
        String json() {
            return String.format(Locale.ROOT,
                    "{\"mode\": \"%s\", \"backlog\": %d, \"capacity_eps\": %.1f, \"offered_eps\": %.1f, \"sustained_eps\": %.1f,"
                            + " \"latency_samples\": %d, \"p50_ms\": %.2f, \"p99_ms\": %.2f, \"p999_ms\": %.2f, \"max_ms\": %.2f,"
                            + " \"flagged\": %d, \"clean\": %d, \"dlq\": %d, \"capacity_cpu_per_event\": %s}",
                    mode, backlog, capacity, offered, sustained, measured, p50, p99, p999, max, flagged, clean, dlq,
                    cpuPerEvent);
        }
    }

    public static void main(String[] args) throws Exception {
        double rate = 3000;
        int seconds = 30;
        int warmup = 5;
        int backlog = 100_000;
        Path json = null;
        List<String> modes = List.of("passthrough", "scorer");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--backlog" -> backlog = Integer.parseInt(args[++i]);
                case "--json" -> json = Path.of(args[++i]);
                case "--modes" -> modes = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        byte[][] payloads = payloads(4096);
        ModelBundle model = BenchData.withFlaggedShare(BenchData.model(new int[] {16, 16}, 7L), 0.005, 7L);
        Path dir = Files.createTempDirectory("fraud-bench-broker");
        List<Result> results = new ArrayList<>();
        long t0 = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0)) {
            // An unmeasured round of each topology first, so that no measured round pays for warming up the broker,
            // the clients and the JIT. Profiling showed the JIT compiler threads using more CPU than the broker while
            // the first round of a topology ran: with only a pass-through warm-up, the scorer's capacity round
            // competed with the compilation of its own code (parser, writer, model) and read ~20% low.
            for (String mode : modes) {
                runMode(broker, "warmup-" + mode, model, payloads, rate, Math.min(seconds, 8), Math.min(warmup, 2),
                        Math.max(1, backlog / 2));
            }
            for (String mode : modes) {
                results.add(runMode(broker, mode, model, payloads, rate, seconds, warmup, backlog));
            }
        }
        StringBuilder out = new StringBuilder("{\"rate\": ").append(rate).append(", \"seconds\": ").append(seconds)
                .append(", \"backlog\": ").append(backlog).append(", \"wall_s\": ")
                .append(String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9)).append(", \"results\": [");
        for (int i = 0; i < results.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(results.get(i).json());
        }
        out.append("]}");
        System.out.println(out);
        if (json != null) {
            Files.writeString(json, out + "\n");
        }
        System.exit(0); // Kafka's non-daemon threads must not keep the benchmark alive
    }

    static byte[][] payloads(int n) {
        BenchData.Rows rows = BenchData.rows(n, 0.005, 99L);
        int in = SCHEMA.inputCount();
        byte[][] p = new byte[n][];
        double[] row = new double[in];
        for (int r = 0; r < n; r++) {
            System.arraycopy(rows.inputs(), r * in, row, 0, in);
            p[r] = TransactionJson.write(SCHEMA, "tx-" + r, row, rows.labels()[r]);
        }
        return p;
    }

    static Result runMode(EmbeddedKafkaBroker broker, String mode, ModelBundle model, byte[][] payloads, double rate,
                          int seconds, int warmup, int backlog) throws Exception {
        Topics topics = new Topics(mode + ".transactions", mode + ".transactions.flagged", mode + ".transactions.clean",
                mode + ".transactions.dlq", mode + ".models");
        for (String t : List.of(topics.input(), topics.flagged(), topics.clean(), topics.deadLetter(), topics.models())) {
            broker.createTopic(t, t.equals(topics.models()) ? 1 : 3);
        }
        String bootstrap = broker.bootstrapServers();
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", bootstrap);
        kafka.put("application.id", "bench-" + mode);
        kafka.put("state.dir", Files.createTempDirectory("fraud-bench-streams").toString());
        ScorerConfig config = new ScorerConfig(topics, kafka, 16384, 3);
        System.err.printf(Locale.ROOT, "[%s] writing a backlog of %,d events...%n", mode, backlog);
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (int i = 0; i < backlog; i++) {
                producer.send(record(topics.input(), payloads[i % payloads.length]));
            }
            producer.flush();
        }
        AutoCloseable app;
        long appStart = System.nanoTime();
        String topology = mode.startsWith("warmup-") ? mode.substring("warmup-".length()) : mode;
        if (topology.equals("scorer")) {
            ScorerApp s = ScorerApp.start(config, model, new ScorerApp.Options("127.0.0.1", -1, 0));
            app = s;
        } else if (topology.equals("passthrough")) {
            StreamsBuilder b = new StreamsBuilder();
            b.stream(topics.input(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                    .to(topics.clean(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
            KafkaStreams streams = new KafkaStreams(b.build(), config.streamsProperties());
            streams.start();
            app = () -> streams.close(Duration.ofSeconds(30));
        } else {
            throw new IllegalArgumentException("unknown mode " + mode + " (passthrough, scorer)");
        }
        try (app; KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, "bench-view-" + mode)) {
            consumer.subscribe(List.of(topics.flagged(), topics.clean(), topics.deadLetter()));
            long[] counts = new long[3];
            // 1. capacity: drain the backlog.
            long first = 0;
            long last = 0;
            long seen = 0;
            long deadline = System.nanoTime() + 240_000_000_000L;
            CpuAccount cpu = null; // started at the first output, like the capacity window
            while (seen < backlog && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    if (seen == 0) {
                        first = now;
                        cpu = new CpuAccount("bench-" + mode + "-");
                    }
                    last = now;
                    seen++;
                    count(counts, r.topic(), topics);
                }
            }
            double capacity = seen > 1 ? (seen - 1) / ((last - first) / 1e9) : 0;
            String cpuPerEvent = cpu == null ? "null" : cpu.stop().json(Math.max(1, seen - 1));
            System.err.printf(Locale.ROOT, "[%s] backlog: %,d outputs, first after %.1f s, %.0f events/s, CPU per event %s"
                            + " (JVM uptime %,d ms)%n", mode, seen, (first - appStart) / 1e9, capacity, cpuPerEvent,
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
            if (seen < backlog) {
                throw new IllegalStateException(mode + ": only " + seen + " of " + backlog + " backlog outputs arrived");
            }
            // 2. latency at a fixed rate.
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong sent = new AtomicLong();
            String input = topics.input();
            Thread producerThread = new Thread(() -> produceAtRate(bootstrap, input, payloads, rate, running, sent),
                    "bench-producer");
            Histogram latency = new Histogram(3_600_000_000_000L, 3); // ns
            long start = System.nanoTime();
            long measureFrom = start + warmup * 1_000_000_000L;
            long stopAt = start + seconds * 1_000_000_000L;
            producerThread.start();
            long received = 0;
            long receivedInWindow = 0;
            long drainDeadline = Long.MAX_VALUE;
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    received++;
                    count(counts, r.topic(), topics);
                    long sentAt = ByteBuffer.wrap(r.key()).getLong();
                    if (sentAt >= measureFrom && sentAt < stopAt) {
                        latency.recordValue(Math.min(Math.max(0, now - sentAt), latency.getHighestTrackableValue()));
                        receivedInWindow++;
                    }
                }
                long now = System.nanoTime();
                if (running.get() && now >= stopAt) {
                    running.set(false);
                    producerThread.join();
                    drainDeadline = now + 60_000_000_000L;
                }
                if (!running.get() && (received >= sent.get() || now > drainDeadline)) {
                    break;
                }
            }
            double sustained = receivedInWindow / ((stopAt - measureFrom) / 1e9);
            Result res = new Result(mode, backlog, capacity, rate, sustained, latency.getTotalCount(),
                    latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                    latency.getValueAtPercentile(99.9) / 1e6, latency.getMaxValue() / 1e6, counts[0], counts[1], counts[2],
                    cpuPerEvent);
            System.err.printf(Locale.ROOT, "[%s] sent %,d at %.0f/s, received %,d; %s%n", mode, sent.get(), rate, received,
                    res.json());
            return res;
        }
    }

    private static void count(long[] counts, String topic, Topics topics) {
        counts[topic.equals(topics.flagged()) ? 0 : topic.equals(topics.clean()) ? 1 : 2]++;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, byte[] value) {
        byte[] key = ByteBuffer.allocate(8).putLong(System.nanoTime()).array();
        return new ProducerRecord<>(topic, null, System.currentTimeMillis(), key, value);
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String group) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static void produceAtRate(String bootstrap, String topic, byte[][] payloads, double rate,
                                      AtomicBoolean running, AtomicLong sent) {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            long start = System.nanoTime();
            long n = 0;
            while (running.get()) {
                producer.send(record(topic, payloads[(int) (n % payloads.length)]));
                n++;
                sent.set(n);
                long wait = start + (long) (n * 1e9 / rate) - System.nanoTime();
                if (wait > 1_000_000) {
                    Thread.sleep(wait / 1_000_000);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
