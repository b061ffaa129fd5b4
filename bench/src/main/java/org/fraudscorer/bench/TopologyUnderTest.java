package org.fraudscorer.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.fraudscorer.bench.StreamBench.Cluster;
import org.fraudscorer.bench.StreamBench.Result;
import org.fraudscorer.bench.StreamBench.Settings;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.scorer.broker.KafkaTopics;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;

/**
 * One topology under test: its topics, its running (and, between measurements, paused) app, its view consumer; it
 * measures its capacity (a backlog drained) and its latency (a load at a fixed rate). {@link BenchTopologies} builds
 * and starts the topology itself.
 */
final class TopologyUnderTest implements AutoCloseable {
    final String mode;
    /** The Streams application id: its threads' and clients' names start with it. */
    final String appId;
    final Topics topics;
    final KafkaStreams streams;
    final AutoCloseable app;
    final KafkaConsumer<byte[], byte[]> consumer;
    final long[] counts = new long[3];
    final List<Double> capacities = new ArrayList<>();
    final List<JsonNode> cpu = new ArrayList<>();
    /** {@code --trace DIR}: each latency sample (send wall-clock ms, latency µs), to find when the tail happens. */
    final Path trace;
    /** {@code --trace-offsets MS}, 0 when off. */
    final int traceOffsets;
    /** {@code --partitions}: of the input and of each output topic. */
    final int partitions;
    /** Whether the broker runs in this process (the embedded one): its threads' CPU is then in the accounts. */
    final boolean brokerInProcess;

    private TopologyUnderTest(String mode, String appId, Topics topics, KafkaStreams streams, AutoCloseable app,
                              KafkaConsumer<byte[], byte[]> consumer, Path trace, int traceOffsets,
                              int partitions, boolean brokerInProcess) {
        this.mode = mode;
        this.appId = appId;
        this.topics = topics;
        this.streams = streams;
        this.app = app;
        this.consumer = consumer;
        this.trace = trace;
        this.traceOffsets = traceOffsets;
        this.partitions = partitions;
        this.brokerInProcess = brokerInProcess;
    }

    /**
     * Starts the topology {@code mode} with the {@code --kafka} (and {@code --profile}) properties on top of the
     * scorer's defaults, and its measuring consumer at the {@code --isolation} level; leaves it paused.
     */
    static TopologyUnderTest start(Cluster cluster, String prefix, String mode, ModelBundle model, Path stateDir,
                                   Settings settings) throws Exception {
        String base = prefix + mode;
        Topics topics = new Topics(base + ".transactions", base + ".transactions.flagged",
                base + ".transactions.clean", base + ".transactions.dlq", base + ".models");
        List<TopicPartition> outputs = new ArrayList<>();
        try (Admin admin = Admin.create(cluster.client())) {
            for (String t : List.of(topics.input(), topics.flagged(), topics.clean(), topics.deadLetter(),
                    topics.models())) {
                int partitions = t.equals(topics.models()) ? 1 : settings.partitions();
                KafkaTopics.createAndAwait(admin, t, partitions, Map.of(), KafkaTopics.DEFAULT_TIMEOUT);
                if (!t.equals(topics.input()) && !t.equals(topics.models())) {
                    for (int p = 0; p < partitions; p++) {
                        outputs.add(new TopicPartition(t, p));
                    }
                }
            }
        }
        String appId = prefix + appId(mode);
        Properties kafka = StreamBench.streamsProperties(cluster, appId, stateDir, settings.kafka());
        ScorerConfig config = new ScorerConfig(topics, kafka, 16384, 3);
        BenchTopologies.Started started = BenchTopologies.start(mode, config, model);
        KafkaStreams streams = started.streams();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        streams.pause();
        KafkaConsumer<byte[], byte[]> consumer =
                StreamBench.consumer(cluster, settings.isolation(), settings.consumer());
        consumer.assign(outputs);
        consumer.seekToEnd(outputs);
        outputs.forEach(consumer::position); // resolve the end offsets now, before any output exists
        System.err.printf(Locale.ROOT, "[%s] started (%s), paused%n", mode, streams.state());
        return new TopologyUnderTest(mode, appId, topics, streams, started.app(), consumer, settings.trace(),
                settings.traceOffsets(), settings.partitions(), settings.embedded());
    }

    static String appId(String mode) {
        return "bench-" + mode + "-app"; // thread names start with it; "-app" keeps "parse" from matching "parse-score"
    }

    /** Writes {@code backlog} events while paused, resumes, times the drain, pauses again. */
    void capacity(KafkaProducer<byte[], byte[]> producer, byte[][] payloads, int backlog) throws Exception {
        for (int i = 0; i < backlog; i++) {
            producer.send(LoadSchedule.record(topics.input(), payloads[i % payloads.length], System.nanoTime()));
        }
        producer.flush();
        // CPU from the resume: under exactly-once the first transaction's work (up to a commit interval) comes before
        // the first visible output, and its events are counted in
        CpuAccount account = new CpuAccount(appId + "-", brokerInProcess);
        long resumed = System.nanoTime();
        streams.resume();
        long first = 0;
        long last = 0;
        long seen = 0;
        long deadline = System.nanoTime() + 240_000_000_000L;
        while (seen < backlog && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                long now = System.nanoTime();
                if (seen == 0) {
                    first = now;
                }
                last = now;
                seen++;
                count(counts, r.topic(), topics);
            }
        }
        streams.pause();
        if (seen < backlog) {
            throw new IllegalStateException(mode + ": only " + seen + " of " + backlog + " backlog outputs arrived");
        }
        // from the resume, as the CPU account: under exactly-once the first outputs become visible only at the first
        // commit, and timing from them left out the time their events took (+15-25% on a short drain)
        double capacity = seen > 0 && last > resumed ? seen / ((last - resumed) / 1e9) : 0;
        JsonNode perEvent = account.stop().perEvent(Math.max(1, seen));
        System.err.printf(Locale.ROOT, "[%s] backlog of %,d drained: first output after %.2f s, %.0f events/s, CPU per"
                + " event %s%n", mode, seen, (first - resumed) / 1e9, capacity, perEvent);
        capacities.add(capacity);
        cpu.add(perEvent);
    }

    /** A latency run's result, and its {@code --trace} samples (null without it), to write once it is printed. */
    record Latency(Result result, Trace trace) {
    }

    /**
     * A latency run's {@code --trace} samples: each latency sample (send wall-clock ms, latency µs) and each input
     * acknowledgement. Written after the results are printed: written first, a failure lost a whole run's results.
     */
    record Trace(Path dir, String mode, long[] sent, int[] micros, int samples, AckTrace acks) {
        void write() throws IOException {
            Path file = dir.resolve(mode + "-latency.csv");
            TraceCsv.write(file, sent, micros, samples);
            System.err.printf(Locale.ROOT, "trace of %,d samples: %s%n", samples, file);
            Path ackFile = dir.resolve(mode + "-produce.csv");
            TraceCsv.write(ackFile, acks.sentMillis, acks.micros, acks.count());
            System.err.printf(Locale.ROOT, "input acknowledgements: %s%n", ackFile);
        }
    }

    /**
     * Events/s at which the events due in the measured window ({@code window} ns long) arrived: those received over
     * the time they took to arrive, from the first's arrival to the last's, but at least the window (nanoTime; 0
     * when none arrived). The offered rate when they kept pace, less when they came spread out over longer (an
     * outage). Over the window alone it was the offered rate whenever nothing was lost, however late: 1,000/s beside
     * a p99 of 29 s through a broker outage.
     */
    static double sustained(long receivedInWindow, long window, long firstArrival, long lastArrival) {
        return receivedInWindow == 0 ? 0 : receivedInWindow / (Math.max(window, lastArrival - firstArrival) / 1e9);
    }

    /** Resumes, offers {@code rate} events/s for {@code seconds}, records due → receive latency, pauses. */
    Latency latency(Cluster cluster, byte[][] payloads, double rate, int seconds, int warmup, int backlog)
            throws Exception {
        List<Double> measured = capacities;
        List<JsonNode> measuredCpu = cpu;
        streams.resume();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        String input = topics.input();
        Histogram latency = new Histogram(3_600_000_000_000L, 3); // ns
        int traceCap = trace == null ? 0 : (int) Math.min(Integer.MAX_VALUE - 8, (long) (rate * seconds * 1.2));
        AckTrace acks = trace == null ? null : new AckTrace(traceCap);
        long[] traceSent = new long[traceCap];
        int[] traceMicros = new int[traceCap];
        int traced = 0;
        Admin samplerAdmin = null;
        OffsetSampler sampler = null;
        if (traceOffsets > 0) {
            samplerAdmin = Admin.create(cluster.client());
            List<TopicPartition> outputs = new ArrayList<>(OffsetSampler.partitions(topics.flagged(), partitions));
            outputs.addAll(OffsetSampler.partitions(topics.clean(), partitions));
            sampler = new OffsetSampler(samplerAdmin, appId, OffsetSampler.partitions(input, partitions), outputs,
                    trace.resolve(mode + "-offsets.csv")).start(traceOffsets);
        }
        long start = System.nanoTime();
        long measureFrom = start + warmup * 1_000_000_000L;
        long stopAt = start + seconds * 1_000_000_000L;
        LoadSchedule schedule = new LoadSchedule(start, measureFrom, stopAt, rate);
        Histogram fromSend = new Histogram(3_600_000_000_000L, 3); // ns, the same events from their actual send
        Thread producerThread = new Thread(() -> schedule.produce(cluster, input, payloads, sent, acks),
                "bench-producer");
        producerThread.start();
        long received = 0;
        long receivedInWindow = 0;
        long firstWindowArrival = 0;
        long lastWindowArrival = 0;
        long drainDeadline = Long.MAX_VALUE;
        try {
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    received++;
                    count(counts, r.topic(), topics);
                    ByteBuffer key = ByteBuffer.wrap(r.key());
                    long due = key.getLong();
                    long sentAt = key.getLong();
                    if (due >= measureFrom && due < stopAt) {
                        // from when it was due, or from its send if that was earlier: the producer sleeps in whole
                        // milliseconds, so an event can leave up to a millisecond early, and is in flight from then
                        long from = Math.min(due, sentAt);
                        latency.recordValue(Math.min(Math.max(0, now - from), latency.getHighestTrackableValue()));
                        fromSend.recordValue(Math.min(Math.max(0, now - sentAt), fromSend.getHighestTrackableValue()));
                        if (receivedInWindow++ == 0) {
                            firstWindowArrival = now;
                        }
                        lastWindowArrival = now;
                        if (traced < traceCap) {
                            traceSent[traced] = r.timestamp(); // the producer's wall clock, carried through
                            traceMicros[traced++] = (int) Math.min(Integer.MAX_VALUE, Math.max(0, now - from) / 1000);
                        }
                    }
                }
                long now = System.nanoTime();
                if (running.get() && now >= stopAt) {
                    // the producer sends every event due before stopAt, late ones included, then closes; this loop
                    // keeps reading meanwhile (waiting for it here timed the last events' arrival late)
                    running.set(false);
                }
                if (!running.get() && drainDeadline == Long.MAX_VALUE && !producerThread.isAlive()) {
                    drainDeadline = now + 60_000_000_000L; // every event is sent: 60 s for the last ones to arrive
                }
                if (!running.get() && producerThread.isAlive() && now > stopAt + 300_000_000_000L) {
                    throw new IllegalStateException(mode + ": the load producer did not finish within 5 minutes of "
                            + "the end of the run");
                }
                if (drainDeadline != Long.MAX_VALUE && (received >= sent.get() || now > drainDeadline)) {
                    break;
                }
            }
        } finally {
            // on a failure (the cluster given up, the run stopped): the load must not outlive the measurement
            producerThread.interrupt();
        }
        streams.pause();
        if (sampler != null) {
            try {
                sampler.close();
            } finally {
                samplerAdmin.close();
            }
            System.err.printf(Locale.ROOT, "offsets sampled every %d ms: %s%s%n", traceOffsets,
                    trace.resolve(mode + "-offsets.csv"), sampler.failure() == null ? ""
                            : " (stopped early: " + sampler.failure() + ")");
        }
        double sustained = sustained(receivedInWindow, stopAt - measureFrom, firstWindowArrival,
                lastWindowArrival);
        double median = StreamBench.median(measured);
        JsonNode medianCpu = measuredCpu.get(measured.indexOf(StreamBench.lowerMedian(measured)));
        Result res = new Result(mode, backlog, median, measured, rate, sustained, latency.getTotalCount(),
                latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                latency.getValueAtPercentile(99.9) / 1e6, latency.getMaxValue() / 1e6, counts[0], counts[1], counts[2],
                medianCpu, fromSend.getValueAtPercentile(99) / 1e6, schedule.lag.getValueAtPercentile(99) / 1e6,
                schedule.lag.getMaxValue() / 1e6, schedule.dueInWindow.get() - receivedInWindow);
        if (res.missing() > 0) {
            System.err.printf(Locale.ROOT, "[%s] %,d events due in the measured window never arrived within 60 s"
                    + " of the producer's end: not in the latency figures%n", mode, res.missing());
        }
        System.err.printf(Locale.ROOT, "[%s] sent %,d (offered at %.0f/s), received %,d; %s%n", mode, sent.get(), rate,
                received, res.node());
        return new Latency(res, trace == null ? null
                : new Trace(trace, mode, traceSent, traceMicros, traced, acks));
    }

    @Override
    public void close() throws Exception {
        try {
            app.close(); // first: a failure to close the measuring consumer must not leave the app in its group
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (ConcurrentModificationException e) {
                // closed by the shutdown hook while the run's thread polls it: that thread fails, the process ends,
                // and an assigned consumer (no group) leaves nothing on the cluster
            }
        }
    }

    private static void count(long[] counts, String topic, Topics topics) {
        counts[topic.equals(topics.flagged()) ? 0 : topic.equals(topics.clean()) ? 1 : 2]++;
    }
}
