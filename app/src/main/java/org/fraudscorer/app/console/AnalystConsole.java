package org.fraudscorer.app.console;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fraudscorer.scorer.config.ClientSettings;

/**
 * The analyst console: reads every partition of {@code transactions.flagged} (read_committed, its own consumer group
 * remembering where it stopped, from the earliest offset the first time), holds the latest alerts in an
 * {@link AlertBuffer}, serves the page and its live stream ({@link ConsoleServer}), and turns analysts' verdicts
 * into labels ({@link LabelWriter}).
 * <pre>
 *   ./fraud console --bootstrap-servers localhost:9092 --scorer-metrics http://127.0.0.1:9464/metrics
 * </pre>
 */
public final class AnalystConsole implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AnalystConsole.class);
    private final ConsoleConfig config;
    private final AlertBuffer buffer;
    private final LabelWriter labels;
    private final ScorerMetricsReader scorer;
    private final ConsoleServer server;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    /** Reads the labels topic from where the verdict history ended: other consoles' verdicts, as they are written. */
    private final KafkaConsumer<String, byte[]> labelTail;
    private final Thread labelReader;
    private final ScheduledExecutorService ticker;
    private final org.fraudscorer.scorer.app.BrokerWatch kafkaWatch;
    private volatile boolean running = true;

    /**
     * The alert consumer's settings: the connection's, read_committed, from the earliest offset with batches of 500
     * unless given otherwise, in the group of {@code --group-id} (over a shared properties file's {@code group.id},
     * which names some other application's group).
     */
    public static Properties consumerProperties(ConsoleConfig config) {
        Map<String, String> defaults = new HashMap<>(ClientSettings.CONSUMER_DEFAULTS);
        defaults.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        defaults.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        Properties p = ClientSettings.of(config.kafka(), defaults, ClientSettings.READ_COMMITTED);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        return p;
    }

    private AnalystConsole(ConsoleConfig config) throws IOException {
        this.config = config;
        this.buffer = new AlertBuffer(config.maxAlerts());
        this.scorer = config.scorerMetrics() == null ? null : new ScorerMetricsReader(config.scorerMetrics());
        Properties c = consumerProperties(config);
        // Built in order, each undone if a later one fails (a port in use, a bad property).
        this.labels = new LabelWriter(new KafkaProducer<>(LabelWriter.producerProperties(config.kafka()),
                new StringSerializer(), new ByteArraySerializer()), config.labelsTopic(), 100_000, System::currentTimeMillis);
        ConsoleServer httpServer = null;
        KafkaConsumer<String, byte[]> tail = null;
        try {
            tail = new KafkaConsumer<>(labelTailProperties(config), new StringDeserializer(),
                    new ByteArrayDeserializer());
            // where the history read below ends at the latest: the tail reads from there (a verdict read twice is
            // taken once)
            Map<org.apache.kafka.common.TopicPartition, Long> tailFrom = endOffsets(tail, config.labelsTopic());
            LabelWriter.History history = LabelWriter.history(config.kafka(), config.labelsTopic(),
                    Duration.ofSeconds(10));
            for (Verdict v : history.verdicts()) {
                labels.remember(v);
                buffer.verdict(v, history.probability(v)); // counted in precision again, as before the restart
            }
            labels.historyRead(history);
            if (history.incomplete() != null) {
                LOG.warn("the verdicts already on {} were not all read ({} read: {}): alerts reviewed before this "
                        + "start may show as unreviewed, and a click on one writes its label again",
                        config.labelsTopic(), history.verdicts().size(), history.incomplete());
            }
            httpServer = new ConsoleServer(config, buffer, labels, scorer, System::currentTimeMillis);
            this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
            this.labelTail = tail;
            this.tailFrom = tailFrom;
        } catch (IOException | RuntimeException e) {
            if (httpServer != null) {
                httpServer.close();
            }
            if (tail != null) {
                tail.close(Duration.ZERO);
            }
            labels.close();
            throw e;
        }
        this.server = httpServer;
        this.kafkaWatch = org.fraudscorer.scorer.app.BrokerWatch.start(ClientSettings.forAdmin(config.kafka()),
                "fraud-console-broker-watch", "new alerts wait, and verdicts cannot be written until it does; the "
                        + "console retries on its own");
        server.watch(kafkaWatch);
        this.reader = new Thread(this::read, "console-flagged-reader");
        reader.setDaemon(true);
        reader.start();
        this.labelReader = new Thread(this::readLabels, "console-labels-reader");
        labelReader.setDaemon(true);
        labelReader.start();
        // two threads: the page's figures go out every second while a scrape of a slow scorer waits on the other
        this.ticker = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "console-ticker");
            t.setDaemon(true);
            return t;
        });
        if (scorer != null) {
            ticker.scheduleWithFixedDelay(() -> guarded("scorer metrics read", scorer::read), 1, 1, TimeUnit.SECONDS);
        }
        ticker.scheduleWithFixedDelay(() -> guarded("console tick", server::stats), 1, 1, TimeUnit.SECONDS);
    }

    /** Starts reading, serving and writing; {@link #close()} stops all three. */
    public static AnalystConsole start(ConsoleConfig config) throws IOException {
        return new AnalystConsole(config);
    }

    /** The page's address: the host it is bound to; for a wildcard, a name analysts use, else this machine's IP. */
    public String url() {
        return url(config.host(), config.hostNames(), server.port());
    }

    static String url(String bound, java.util.Set<String> hostNames, int port) {
        String host = bound;
        if (bound.equals("0.0.0.0") || bound.equals("::")) {
            // the console answers only IP addresses and --console-host-names: name one of those
            host = hostNames.stream().sorted().findFirst().orElseGet(AnalystConsole::siteAddress);
        }
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/";
    }

    /** This machine's first non-loopback IPv4 address, or 127.0.0.1 when it has none. */
    private static String siteAddress() {
        try {
            for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                for (var a : java.util.Collections.list(nic.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && nic.isUp()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (java.net.SocketException e) {
            // no interface listed: the loopback address still reaches it from this machine
        }
        return "127.0.0.1";
    }

    public int port() {
        return server.port();
    }

    /** The label writer, which also holds how the verdict history was read at start. */
    LabelWriter labels() {
        return labels;
    }

    /** The alert buffer (tests, and the demo's summary). */
    public AlertBuffer buffer() {
        return buffer;
    }

    /** How often the reader asks whether the flagged topic has new partitions (or exists at last). */
    static final long PARTITION_CHECK_MS = 10_000;

    /**
     * Assigns every partition of one topic to a consumer (no group shares them out), checking for new partitions every
     * {@link #PARTITION_CHECK_MS} (every second while the topic has none), each new one placed where {@code start}
     * says. Both readers use it: the flagged topic's, and the labels topic's tail.
     */
    static final class AllPartitions {
        private final KafkaConsumer<String, byte[]> consumer;
        private final String topic;
        private final java.util.function.Function<List<org.apache.kafka.common.TopicPartition>,
                Map<org.apache.kafka.common.TopicPartition, Long>> start;
        private final java.util.Set<org.apache.kafka.common.TopicPartition> assigned = new java.util.HashSet<>();
        private long nextCheckMs;

        AllPartitions(KafkaConsumer<String, byte[]> consumer, String topic,
                      java.util.function.Function<List<org.apache.kafka.common.TopicPartition>,
                              Map<org.apache.kafka.common.TopicPartition, Long>> start) {
            this.consumer = consumer;
            this.topic = topic;
            this.start = start;
        }

        /** Assigns the partitions that appeared since the last check; whether any partition is assigned. */
        boolean check(long nowMs) {
            if (nowMs < nextCheckMs) {
                return !assigned.isEmpty();
            }
            nextCheckMs = nowMs + (assigned.isEmpty() ? 1_000 : PARTITION_CHECK_MS);
            List<org.apache.kafka.common.TopicPartition> fresh = new java.util.ArrayList<>();
            for (org.apache.kafka.common.PartitionInfo p : consumer.partitionsFor(topic)) {
                var tp = new org.apache.kafka.common.TopicPartition(p.topic(), p.partition());
                if (!assigned.contains(tp)) {
                    fresh.add(tp);
                }
            }
            if (fresh.isEmpty()) {
                return !assigned.isEmpty();
            }
            Map<org.apache.kafka.common.TopicPartition, Long> from = start.apply(fresh);
            List<org.apache.kafka.common.TopicPartition> all = new java.util.ArrayList<>(assigned);
            all.addAll(fresh);
            consumer.assign(all);
            for (org.apache.kafka.common.TopicPartition tp : fresh) {
                consumer.seek(tp, from.get(tp));
            }
            assigned.addAll(fresh); // only once positions are set: a failure above leaves them to the next check
            return true;
        }
    }

    /**
     * Where a flagged partition new to this console starts: its latest {@code maxAlerts} offsets that the group had
     * already read (see {@link #read}); from its beginning if the group never read it.
     */
    private Map<org.apache.kafka.common.TopicPartition, Long> flaggedStart(
            List<org.apache.kafka.common.TopicPartition> fresh) {
        var committed = consumer.committed(new java.util.HashSet<>(fresh));
        var begin = consumer.beginningOffsets(fresh);
        var end = consumer.endOffsets(fresh);
        Map<org.apache.kafka.common.TopicPartition, Long> from = new java.util.HashMap<>();
        for (org.apache.kafka.common.TopicPartition tp : fresh) {
            var c = committed.get(tp);
            long latest = Math.max(begin.get(tp), end.get(tp) - config.maxAlerts());
            // below the beginning (deleted by retention): the offset reset reads from the earliest
            from.put(tp, c == null ? begin.get(tp) : Math.min(c.offset(), latest));
        }
        return from;
    }

    /**
     * Every partition of the flagged topic, assigned to this console (not shared out by its group): each console shows
     * every alert, however many run in one group (the default group is the same for every analyst who starts one,
     * and a group shares its partitions out, so each page showed some partitions' alerts only, and a partition taken
     * back from another member resumed where that one had stopped: the alerts it had read never came back). The group
     * keeps only where this console stopped. On a partition's assignment, it reads again its latest
     * {@code maxAlerts} offsets (up to that many alerts: transaction markers and unreadable records take offsets
     * too) that the group had already read: a restarted console starts with an empty buffer, and without this the
     * alerts read before the restart but not yet reviewed would not come back until new ones pushed them out of sight.
     * A partition the group never read is read from its beginning.
     */
    private void read() {
        try {
            AllPartitions assigner = new AllPartitions(consumer, config.flaggedTopic(), this::flaggedStart);
            while (running) {
                try {
                    if (!assigner.check(System.currentTimeMillis())) {
                        if (server.flaggedTopic.missing(System.currentTimeMillis())) {
                            LOG.warn("topic {} does not exist: no alert can come until it does (the scorer creates "
                                    + "it; is --flagged-topic the scorer's?); the console keeps checking",
                                    config.flaggedTopic());
                        }
                        sleep(250); // the topic does not exist yet
                        continue;
                    }
                    if (server.flaggedTopic.found()) {
                        LOG.info("topic {} exists now: reading its alerts", config.flaggedTopic());
                    }
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                        buffer.add(r.value(), r.topic() + "-" + r.partition() + "@" + r.offset(),
                                System.currentTimeMillis()).ifPresent(server::alert);
                    }
                } catch (WakeupException e) {
                    break;
                } catch (RuntimeException e) {
                    // A broker or authorisation problem: say so and keep trying; the page keeps what it has.
                    LOG.warn("reading {} failed, retrying in 1 s: {}", config.flaggedTopic(), e.toString());
                    sleep(1000);
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private final Map<org.apache.kafka.common.TopicPartition, Long> tailFrom;

    /** The label tail's settings: the alert consumer's, without a group (it keeps no position). */
    public static Properties labelTailProperties(ConsoleConfig config) {
        Properties p = consumerProperties(config);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return p;
    }

    /** The end offsets of the topic's partitions now; empty when it does not exist yet, or the cluster is slow. */
    private static Map<org.apache.kafka.common.TopicPartition, Long> endOffsets(KafkaConsumer<String, byte[]> c,
                                                                                String topic) {
        try {
            List<org.apache.kafka.common.TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(5))
                    .stream().map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            return parts.isEmpty() ? Map.of() : c.endOffsets(parts, Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            return Map.of(); // the tail then reads those partitions from their beginning: nothing is missed
        }
    }

    /**
     * Takes the verdicts written to the labels topic after the history read at start, this console's and other
     * consoles' (in another group, or on another host): without it, a verdict given on one console stayed
     * "unreviewed" on the others, whose click wrote the label again, and whose precision kept a verdict the labels
     * topic had corrected. Verdicts in the same order as on the topic (an alert's labels share a key, so a partition).
     */
    private void readLabels() {
        AllPartitions assigner = new AllPartitions(labelTail, config.labelsTopic(), fresh -> {
            var begin = labelTail.beginningOffsets(fresh);
            Map<org.apache.kafka.common.TopicPartition, Long> from = new java.util.HashMap<>();
            fresh.forEach(tp -> from.put(tp, tailFrom.getOrDefault(tp, begin.get(tp))));
            return from;
        });
        try {
            while (running) {
                try {
                    if (!assigner.check(System.currentTimeMillis())) {
                        if (server.labelsTopic.missing(System.currentTimeMillis())) {
                            LOG.warn("topic {} does not exist: verdicts cannot be saved until it does (the console "
                                    + "does not create it; the scorer does: is --labels-topic the scorer's?); the "
                                    + "console keeps checking", config.labelsTopic());
                        }
                        sleep(250);
                        continue;
                    }
                    if (server.labelsTopic.found()) {
                        LOG.info("topic {} exists now: verdicts can be saved", config.labelsTopic());
                    }
                    for (ConsumerRecord<String, byte[]> r : labelTail.poll(Duration.ofMillis(250))) {
                        Verdict v = LabelWriter.fromHeaders(r.headers());
                        if (v != null) {
                            labels.remember(v);
                            buffer.verdict(v, LabelWriter.probability(r.headers()));
                            server.broadcast("verdict", server.verdictJson(v));
                        }
                    }
                } catch (WakeupException e) {
                    break;
                } catch (RuntimeException e) {
                    LOG.warn("reading {} failed, retrying in 1 s: {}", config.labelsTopic(), e.toString());
                    sleep(1000);
                }
            }
        } finally {
            labelTail.close(Duration.ofSeconds(5));
        }
    }

    /** Runs a periodic task; a failure (an Error too) is logged, not left to cancel every later run. */
    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.warn("{} failed: {}", what, e.toString());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops reading, serving and writing; idempotent (a shutdown hook and the owner may both call it). */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        consumer.wakeup();
        labelTail.wakeup();
        ticker.shutdownNow();
        server.close();
        try {
            reader.join(10_000);
            labelReader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        labels.close();
        kafkaWatch.close();
    }
}
