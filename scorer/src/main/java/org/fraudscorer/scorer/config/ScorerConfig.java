package org.fraudscorer.scorer.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything a scorer instance needs. Kafka and Streams settings are plain properties: any key of
 * {@link StreamsConfig} (and of the embedded clients, e.g. {@code security.protocol}, {@code sasl.jaas.config},
 * {@code ssl.truststore.location}) passes through unchanged, from a properties file and then the command line.
 *
 * @param topKFeatures     contributing features listed in each flagged record
 * @param maxFutureSkewMs  a record stamped further than this ahead of the scorer's clock is refused (0 = no check)
 * @param maxEventAgeMs    a record stamped longer than this ago is refused (0 = no check: replays of history are
 *                         legitimate, so this is opt-in)
 * @param compactClean     clean records without the input event (the decision and its provenance only, keyed like the
 *                         input); flagged records always keep it. Off by default: every record then keeps the event
 * @param inputKeyedByCard raw events arrive keyed by their card ({@code CUSTOMER_ID} as decimal text), so the card
 *                         stage reads the input's partitions directly instead of repartitioning by card; an event
 *                         keyed otherwise is a dead letter ({@code KEY_NOT_CARD}). Off by default (docs/latency.md)
 * @param duplicateWindowMs raw events: a payment whose {@code TRANSACTION_ID} the card stage already took with a
 *                         {@code TX_DATETIME} within this much of its own is a dead letter ({@code DUPLICATE_EVENT})
 *                         instead of being stored and scored twice; 0 = no check, at most 30 days. Default
 *                         {@link #DEFAULT_DUPLICATE_WINDOW_MS}
 */
public record ScorerConfig(Topics topics, Properties kafka, int maxEventBytes, int topKFeatures, long maxFutureSkewMs,
                           long maxEventAgeMs, boolean compactClean, boolean inputKeyedByCard,
                           long duplicateWindowMs) {
    /** The Streams producer's default {@code batch.size}; see {@link #streamsProperties()}. */
    public static final int PRODUCER_BATCH_BYTES = 256 * 1024;
    /** The Streams producer's default {@code buffer.memory}: 256 batches of {@link #PRODUCER_BATCH_BYTES}. */
    public static final long PRODUCER_BUFFER_BYTES = 64L * 1024 * 1024;

    public static final String DEFAULT_APPLICATION_ID = "fraud-scorer";
    /**
     * Longest application id: it begins the names of the scorers' internal topics
     * ({@code <id>-terminal-histories-changelog}), which Kafka allows 249 characters.
     */
    public static final int MAX_APPLICATION_ID_LENGTH = 200;

    /**
     * Why Kafka Streams could not run under {@code applicationId}, or null. The id begins the names of the raw-event
     * scorer's internal topics and names its state directory, so it takes what a topic name takes: an id such as
     * {@code 'a b'} was found out only once the scorer ran, by four failed stream-thread episodes and their stack
     * traces ('Invalid topics: [a b-by-terminal-repartition, ...]'), exit 1.
     */
    public static String applicationIdProblem(String applicationId) {
        if (!Topics.legal(applicationId, MAX_APPLICATION_ID_LENGTH)) {
            return "invalid application id '" + applicationId + "' (1 to " + MAX_APPLICATION_ID_LENGTH
                    + " letters, digits, '.', '_', '-': it begins the names of the scorers' internal topics)";
        }
        return null;
    }
    /** Five minutes: far above NTP-synchronised skew, far below a misconfigured clock (hours, days, years). */
    public static final long DEFAULT_MAX_FUTURE_SKEW_MS = 5 * 60 * 1000L;
    /**
     * One day: an upstream retry (a producer without idempotence, a replayed batch) resends within minutes or hours;
     * each event taken is remembered this long and a day more (on its card's clock), in its card's record (36 bytes).
     */
    public static final long DEFAULT_DUPLICATE_WINDOW_MS = 24 * 3600 * 1000L;
    /** 30 days, the card history's own horizon: a copy later than that could not change a card feature. */
    public static final long MAX_DUPLICATE_WINDOW_MS = 30 * 24 * 3600 * 1000L;

    /** With the default time checks: future skew 5 minutes, no maximum age. */
    public ScorerConfig(Topics topics, Properties kafka, int maxEventBytes, int topKFeatures) {
        this(topics, kafka, maxEventBytes, topKFeatures, DEFAULT_MAX_FUTURE_SKEW_MS, 0);
    }

    /**
     * With the defaults of the options after these: every record keeps the input event, raw events are repartitioned
     * by card, and duplicates are looked for within {@link #DEFAULT_DUPLICATE_WINDOW_MS}.
     */
    public ScorerConfig(Topics topics, Properties kafka, int maxEventBytes, int topKFeatures, long maxFutureSkewMs,
                        long maxEventAgeMs) {
        this(topics, kafka, maxEventBytes, topKFeatures, maxFutureSkewMs, maxEventAgeMs, false, false,
                DEFAULT_DUPLICATE_WINDOW_MS);
    }

    /** This configuration with compact clean records on or off. */
    public ScorerConfig withCompactClean(boolean compact) {
        return new ScorerConfig(topics, kafka, maxEventBytes, topKFeatures, maxFutureSkewMs, maxEventAgeMs, compact,
                inputKeyedByCard, duplicateWindowMs);
    }

    /** This configuration with raw events read as keyed by card (no repartition by card) or not. */
    public ScorerConfig withInputKeyedByCard(boolean keyedByCard) {
        return new ScorerConfig(topics, kafka, maxEventBytes, topKFeatures, maxFutureSkewMs, maxEventAgeMs,
                compactClean, keyedByCard, duplicateWindowMs);
    }

    /** This configuration with another duplicate window for raw events (0 = no check). */
    public ScorerConfig withDuplicateWindowMs(long windowMs) {
        return new ScorerConfig(topics, kafka, maxEventBytes, topKFeatures, maxFutureSkewMs, maxEventAgeMs,
                compactClean, inputKeyedByCard, windowMs);
    }

    public ScorerConfig {
        Properties copy = new Properties();
        copy.putAll(kafka);
        kafka = copy;
        if (maxEventBytes < 64) {
            throw new IllegalArgumentException("max event size must be at least 64 bytes, got " + maxEventBytes);
        }
        if (maxFutureSkewMs < 0 || maxEventAgeMs < 0) {
            throw new IllegalArgumentException("time limits must be ≥ 0 (0 = off), got skew " + maxFutureSkewMs
                    + " ms and age " + maxEventAgeMs + " ms");
        }
        if (duplicateWindowMs < 0 || duplicateWindowMs > MAX_DUPLICATE_WINDOW_MS) {
            throw new IllegalArgumentException("the duplicate window must be between 0 (off) and "
                    + MAX_DUPLICATE_WINDOW_MS + " ms (30 days), got " + duplicateWindowMs + " ms");
        }
        if (topKFeatures < 0) {
            throw new IllegalArgumentException("top features must be ≥ 0, got " + topKFeatures);
        }
    }

    /**
     * The stream threads' producer {@code max.block.ms} under exactly-once: 10 minutes. With Kafka's 60 s, a commit
     * caught by a longer outage gave up while its request ({@code TxnOffsetCommit}, then {@code EndTxn}) stayed queued
     * in the producer: Kafka Streams closed the tasks as corrupted and read their committed offsets again, the
     * transaction could not be aborted (the producer refuses another operation while one that timed out is pending)
     * and committed when the broker came back, so the records it held were decided a second time (BrokerOutageIT: two
     * timeouts within one outage). Waiting, the commit completes, or fails for good (fenced, a rebalance) and is
     * aborted: exactly once for outages up to twice this. The stream thread decides nothing meanwhile, which it could
     * not do anyway; {@code /health} says DEGRADED from 15 s ({@code BrokerWatch}). Not unbounded: a send to a deleted
     * output topic, or a cluster whose transaction coordinator never answers (a one-broker cluster left with the
     * default replication of {@code __transaction_state}), blocks for as long, and then reaches Kafka Streams' own
     * handling as before instead of hanging the thread silently.
     */
    static final String EXACTLY_ONCE_MAX_BLOCK_MS = Integer.toString(10 * 60 * 1000);

    /**
     * Streams properties with this product's defaults under the user's: exactly-once v2, a stable application
     * id, read_committed model consumption, and producer settings that never lose a record.
     *
     * <p>The producer batches up to {@value #PRODUCER_BATCH_BYTES} bytes per partition (Kafka's default is 16 KiB):
     * a scored record is about 1.1 KB, so the default batch holds about 14 of them and per-batch costs (requests,
     * broker validation, transaction bookkeeping) dominate; a larger batch raises capacity without changing latency at
     * a fixed rate, because batches still leave at every commit. It stays under the 1 MiB request and message limits
     * of a default broker. Every partition with an open batch holds a whole batch of the producer's
     * {@code buffer.memory}, so that is raised to {@value #PRODUCER_BUFFER_BYTES} bytes: room for 256 output
     * partitions per stream thread before a send waits for memory. Override either with
     * {@code -p producer.batch.size=…} / {@code -p producer.buffer.memory=…}. The measurements behind both are in
     * docs/speed.md.
     *
     * <p>{@code num.stream.threads} defaults to the cores the JVM may use ({@link #defaultStreamThreads()}), not
     * Kafka Streams' 1: scoring is CPU work done in the stream thread (parse, network, write, compress), about a core
     * per stream thread at capacity, so one thread would cap an instance near one core whatever the machine. Threads
     * beyond the input's partition count idle.
     */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), Integer.toString(PRODUCER_BATCH_BYTES));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), Long.toString(PRODUCER_BUFFER_BYTES));
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        for (Map.Entry<String, String> d : ClientSettings.CONSUMER_DEFAULTS.entrySet()) {
            p.put(StreamsConfig.consumerPrefix(d.getKey()), d.getValue());
        }
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(defaultStreamThreads()));
        String guarantee = kafka.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.putAll(LatencyProfile.DEFAULT.properties(guarantee)); // commit interval, linger, compression: LatencyProfile
        if (!StreamsConfig.AT_LEAST_ONCE.equals(guarantee)) {
            p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_BLOCK_MS_CONFIG), EXACTLY_ONCE_MAX_BLOCK_MS);
        }
        // Every input is read as bytes and every processor sends what it cannot handle to the dead-letter topic with
        // its reason, so these handlers only see what no processor caught: they fail, and the stream thread's
        // handler (ScorerApp) replaces the thread a bounded number of times, then stops the scorer with the reason.
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                org.apache.kafka.streams.errors.LogAndFailExceptionHandler.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true"); // the same for global stores
        // A record without a timestamp would fail the default extractor, before any processor, on every restart.
        p.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, ArrivalTimestampExtractor.class.getName());
        // Production errors keep Kafka Streams' default, fail: under exactly-once a refused send breaks the
        // transaction, so nothing can be resumed there. Outputs too large for the producer are caught before they
        // are sent (maxOutputBytes): they become dead letters like any other refusal.
        p = layered(p, kafka);
        // Each stream thread's partition assignor builds its own StreamsConfig from the main consumer's settings,
        // which Kafka Streams filters to consumer keys, and that config warns "Processing exception handler is not
        // enabled for the GlobalThread" whatever the application set (once per stream thread at start-up). Passing
        // the effective value to the main consumer too keeps that warning for scorers that really disabled it.
        String global = StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG;
        p.putIfAbsent(StreamsConfig.mainConsumerPrefix(global), p.get(global)); // a Boolean as well as a String
        if (!p.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("bootstrap.servers is not set (use --bootstrap-servers or a properties file)");
        }
        return p;
    }

    /**
     * The largest scored record the scorer sends: the producer's {@code max.request.size} (Kafka's default 1 MiB
     * unless set, with or without the {@code producer.} prefix) less the key and headers an input may carry
     * ({@link #maxEnvelopeBytes()}) and 1 KiB for the batch framing.
     * A larger output is a dead letter ({@code OUTPUT_TOO_LARGE}) instead of a send Kafka would refuse, which under
     * exactly-once would fail the stream thread on the same record after every restart.
     */
    public int maxOutputBytes() {
        return Math.max(1, maxRequestBytes() - 1024 - maxEnvelopeBytes());
    }

    /**
     * The most a record's key and headers may take ({@code Envelope}): 16 KiB, or an eighth of the producer's
     * {@code max.request.size} where that is smaller. An input with more is a dead letter ({@code OVERSIZE}) written
     * without its headers and value, since its outputs carry them on.
     */
    public int maxEnvelopeBytes() {
        return Math.min(16_384, maxRequestBytes() / 8);
    }

    /** The stream threads this instance runs: {@code num.stream.threads} as given, else the default above. */
    public int streamThreads() {
        return Integer.parseInt(streamsProperties().getProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG).trim());
    }

    private int maxRequestBytes() {
        Object v = kafka.getProperty(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                kafka.getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1048576"));
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("max.request.size must be a whole number of bytes, got '" + v + "'");
        }
    }

    /** The default {@code num.stream.threads}: the processors available to the JVM (its container's CPU limit). */
    private static int defaultStreamThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Client properties (no Streams keys) for the model watcher and the CLI's producers and consumers. */
    public Properties clientProperties() {
        Properties p = new Properties();
        for (Map.Entry<Object, Object> e : kafka.entrySet()) {
            String k = e.getKey().toString();
            if (!StreamsConfig.configDef().names().contains(k) || isClientKey(k)) {
                p.put(k, e.getValue());
            }
        }
        return p;
    }

    /** A Streams setting that every client takes too: the servers, the connection, timeouts and socket buffers. */
    private static boolean isClientKey(String k) {
        return k.equals(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG) || isConnectionKey(k) || k.equals("request.timeout.ms")
                || k.equals(StreamsConfig.RECEIVE_BUFFER_CONFIG) || k.equals(StreamsConfig.SEND_BUFFER_CONFIG);
    }

    /**
     * How a client reaches and authenticates to the cluster, apart from the servers: {@code security.*},
     * {@code ssl.*}, {@code sasl.*}, {@code client.dns.lookup}. Every client of an application needs the same.
     */
    public static boolean isConnectionKey(String k) {
        return k.startsWith("security.") || k.startsWith("ssl.") || k.startsWith("sasl.") || k.equals("client.dns.lookup");
    }

    /** Reads a Java properties file (e.g. client.properties with TLS/SASL settings). */
    public static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("properties file " + file + " is a directory, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("properties file " + file + " does not exist");
        }
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (java.nio.charset.CharacterCodingException e) { // it said 'Input length = 1'
            throw new IllegalArgumentException("properties file " + file + " is not UTF-8 text (a key store, an "
                    + "archive?): give a file of key=value lines");
        }
        return p;
    }

    /** The prefixes Kafka Streams gives a setting for one of its clients. */
    private static final List<String> CLIENT_PREFIXES = List.of(StreamsConfig.MAIN_CONSUMER_PREFIX,
            StreamsConfig.RESTORE_CONSUMER_PREFIX, StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.PRODUCER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX);

    /** A setting's name without its client prefix ({@code producer.linger.ms} → {@code linger.ms}). */
    private static String unprefixed(String key) {
        for (String prefix : CLIENT_PREFIXES) {
            if (key.startsWith(prefix)) {
                return key.substring(prefix.length());
            }
        }
        return key;
    }

    /**
     * {@code defaults} under {@code user}: every user setting wins, including over a default given under a client
     * prefix. Kafka Streams ranks {@code producer.linger.ms} above {@code linger.ms}, so without this a user's
     * {@code -p linger.ms=0} or {@code -p auto.offset.reset=latest} would be silently beaten by this product's
     * {@code producer.linger.ms} or {@code consumer.auto.offset.reset}: a prefixed default is left out when the user
     * set the same setting under its plain name.
     */
    public static Properties layered(Properties defaults, Properties user) {
        Properties p = new Properties();
        defaults.forEach((k, v) -> {
            String key = k.toString();
            String plain = unprefixed(key);
            if (plain.equals(key) || !user.containsKey(plain)) {
                p.put(k, v);
            }
        });
        p.putAll(user);
        return p;
    }

    /** Every setting Kafka declares as a password, of the producer, the consumer, the admin client and Streams. */
    private static final Set<String> PASSWORD_SETTINGS = passwordSettings();

    private static Set<String> passwordSettings() {
        Set<String> names = new HashSet<>();
        for (ConfigDef def : List.of(ProducerConfig.configDef(),
                ConsumerConfig.configDef(), org.apache.kafka.clients.admin.AdminClientConfig.configDef(),
                StreamsConfig.configDef())) {
            def.configKeys().forEach((name, key) -> {
                if (key.type == ConfigDef.Type.PASSWORD) {
                    names.add(name);
                }
            });
        }
        return Set.copyOf(names);
    }

    /**
     * Keys whose values must never be printed: every setting Kafka's clients declare as a password (with or without a
     * client prefix), and by name anything like a password, passphrase, JAAS config, key, token or credential (for
     * settings of plugins Kafka does not declare).
     */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return PASSWORD_SETTINGS.contains(unprefixed(key)) || k.contains("password") || k.contains("passphrase")
                || k.contains("jaas") || k.contains("secret") || k.endsWith(".key") || k.contains("token")
                || k.contains("credentials");
    }

    /** The properties with secret values masked, for logs. */
    public static String describe(Properties p) {
        StringBuilder s = new StringBuilder();
        masked(p).forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return s.toString();
    }

    /** The settings sorted by key, each {@linkplain #isSecret secret} value replaced by {@code [hidden]}. */
    public static SortedMap<String, String> masked(Map<?, ?> settings) {
        SortedMap<String, String> out = new TreeMap<>();
        settings.forEach((k, v) -> out.put(k.toString(), isSecret(k.toString()) ? "[hidden]" : String.valueOf(v)));
        return out;
    }
}
