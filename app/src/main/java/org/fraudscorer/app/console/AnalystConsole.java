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
        try {
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
        } catch (IOException | RuntimeException e) {
            if (httpServer != null) {
                httpServer.close();
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
    private final class Assigner {
        private final java.util.Set<org.apache.kafka.common.TopicPartition> assigned = new java.util.HashSet<>();
        private long nextCheckMs;

        /** Assigns the partitions that appeared since the last check; whether any partition is assigned. */
        boolean check(long nowMs) {
            if (nowMs < nextCheckMs) {
                return !assigned.isEmpty();
            }
            nextCheckMs = nowMs + (assigned.isEmpty() ? 1_000 : PARTITION_CHECK_MS);
            List<org.apache.kafka.common.TopicPartition> fresh = new java.util.ArrayList<>();
            for (org.apache.kafka.common.PartitionInfo p : consumer.partitionsFor(config.flaggedTopic())) {
                var tp = new org.apache.kafka.common.TopicPartition(p.topic(), p.partition());
                if (!assigned.contains(tp)) {
                    fresh.add(tp);
                }
            }
            if (fresh.isEmpty()) {
                return !assigned.isEmpty();
            }
            var committed = consumer.committed(new java.util.HashSet<>(fresh));
            var begin = consumer.beginningOffsets(fresh);
            var end = consumer.endOffsets(fresh);
            List<org.apache.kafka.common.TopicPartition> all = new java.util.ArrayList<>(assigned);
            all.addAll(fresh);
            consumer.assign(all);
            for (org.apache.kafka.common.TopicPartition tp : fresh) {
                var c = committed.get(tp);
                long latest = Math.max(begin.get(tp), end.get(tp) - config.maxAlerts());
                // below the beginning (deleted by retention): the offset reset reads from the earliest
                consumer.seek(tp, c == null ? begin.get(tp) : Math.min(c.offset(), latest));
            }
            assigned.addAll(fresh); // only once positions are set: a failure above leaves them to the next check
            return true;
        }
    }

    private void read() {
        try {
            Assigner assigner = new Assigner();
            while (running) {
                try {
                    if (!assigner.check(System.currentTimeMillis())) {
                        sleep(250); // the topic does not exist yet
                        continue;
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
        ticker.shutdownNow();
        server.close();
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        labels.close();
        kafkaWatch.close();
    }
}
