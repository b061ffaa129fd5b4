package org.fraudscorer.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.model.AtomicFiles;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.scorer.app.BrokerCheck;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.devkafka.EmbeddedKafkaBroker;
import org.fraudscorer.devkafka.TempDir;
import org.fraudscorer.scorer.cli.CliErrors;
import org.fraudscorer.scorer.cli.KafkaOptions;
import org.fraudscorer.trainer.cli.Outputs;
import org.fraudscorer.scorer.config.ClientSettings;
import org.fraudscorer.scorer.config.LatencyProfile;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.serde.TransactionJson;
import org.fraudscorer.scorer.topology.ScoredRecordWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * End-to-end cost of the scorer on a real (embedded, single-node KRaft) broker, against a pass-through topology and
 * against the scorer's first stages alone.
 *
 * <p>Topologies, each with its own topics ({@code --partitions}, 3 unless given) and the same Streams properties
 * ({@link ScorerConfig#streamsProperties()}: exactly_once_v2, commit every 100 ms, lz4, 256 KiB producer batches,
 * one stream thread per core; {@code --kafka key=value} adds or overrides one for all):
 * <ul>
 *   <li>{@code passthrough}: byte[] in → the same bytes out. Kafka's own cost, nothing decoded.</li>
 *   <li>{@code parse-write}: the pass-through with the scorer's serdes both ways — each event decoded by the
 *       scorer's parser and written by the scorer's {@link ScoredRecordWriter}: the event and the scoring fields, with
 *       a constant probability and the decision CLEAN. The same bytes in and out as the scorer's clean records, so
 *       what remains between this and {@code scorer} is the scorer's own work (preprocessing, network, decision,
 *       explanations, metrics, routing to two topics).</li>
 *   <li>{@code parse}: the scorer's parser in, the event's bytes out unchanged (a record ~290 bytes smaller than
 *       the scorer's).</li>
 *   <li>{@code serde-passthrough}: a conventional JSON serde pass-through ({@link EventSerde}): events decoded into
 *       objects and encoded again.</li>
 *   <li>{@code scorer}: {@link ScorerApp} itself, with a 29-16-16-1 model whose threshold flags about 0.5% of
 *       events; {@code scorer-compact}: the same with {@code --clean-records compact} (clean records without the
 *       input event).</li>
 *   <li>Not in the default set: {@code identity} (one processor node that only forwards) and {@code parse-score}
 *       (parse + preprocessing + network + decision, input forwarded).</li>
 * </ul>
 *
 * <p>All topologies are started, then paused. <b>Capacity</b>: with a topology paused, {@code --backlog} events are
 * written to its input; it is resumed, and capacity = events / (time from the resume to the last output a
 * read_committed consumer sees, so the first commit's work counts); it is paused again. Unmeasured passes over every topology ({@code
 * --warmup-backlog} events each) run until no topology's part of a pass spends 10% of its time compiling (see
 * {@code run}), then {@code --rounds} measured
 * rounds interleave the topologies (A B C D, B C D A, ...) and the median is reported — this machine's speed drifts
 * by up to 2× over minutes, so figures taken minutes apart do not compare. CPU per event (by thread group, see
 * {@link CpuAccount}) is that of the median round. <b>Latency</b>: a producer sends at {@code --rate} events/s for
 * {@code --seconds}; a read_committed consumer records, in an HdrHistogram, each event's time from when it was due
 * on that schedule to its arrival (both nanoTime, carried in the record key, same JVM), skipping the first {@code
 * --warmup} seconds: a stall of the load producer counts against the events due during it (no coordinated omission;
 * before 2026-12-05 latency was taken from the actual send, which hid such stalls; {@code p99_from_send_ms} still
 * gives that figure). Broker, Streams apps, producer and consumer
 * share this JVM and the machine's cores; with {@code --bootstrap-servers} the broker is elsewhere (its own JVM, or a
 * user's cluster), so it shares neither the heap nor the collector's pauses, and its CPU is not in the accounts. {@code -Dbench.profile=…} profiles the measured rounds (see
 * {@code profiler}).
 *
 * <p>The command line is picocli's ({@code --help} lists the options and their defaults); every option is checked
 * before the broker starts, and a bad one is one line on standard error and exit code 2, as in {@code ./fraud}.
 *
 * <p>This class holds the options and runs the benchmark; {@link BenchTopologies} builds each topology,
 * {@link TopologyUnderTest} creates its topics, starts it and measures it, {@link LoadSchedule} paces the latency
 * load, {@link AckTrace} records {@code --trace}'s input acknowledgements and {@link TraceCsv} writes its files, and
 * {@link RunTopics} deletes the run's topics and groups on a given cluster.
 */
@Command(name = "StreamBench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"End-to-end cost of the scorer on an embedded single-node KRaft broker (or a given cluster:"
                + " --bootstrap-servers), against pass-through"
                + " topologies: backlog-drain capacity over interleaved rounds after a JIT-settled warm-up (median),"
                + " CPU per event, then due -> receive latency at a fixed rate (from each event's scheduled time). Prints the results as JSON.",
                "Run it from bench/target/benchmarks.jar (bench/README.md); every option is checked before the broker"
                        + " starts."})
public final class StreamBench implements Callable<Integer> {
    /** The events' schema: the payloads, and what the parsing topologies ({@link BenchTopologies}) read. */
    static final FeatureSchema SCHEMA = FeatureSchema.CREDITCARD;
    /** Every topology {@code --modes} can name. */
    static final List<String> MODES = List.of("passthrough", "serde-passthrough", "identity", "parse", "parse-write",
            "parse-score", "scorer", "scorer-compact");
    /** What the measuring consumer sets itself: --consumer cannot change them. */
    static final Set<String> MEASURING_CONSUMER_OWN = Set.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
    /**
     * What the benchmark sets for every topology itself: --kafka cannot change them (on a given cluster another
     * application id would escape the run's prefix, join that application's group and outlive the run).
     */
    static final Set<String> TOPOLOGY_OWN = Set.of("bootstrap.servers", "application.id", "state.dir");
    /** {@code --modes} unless given: {@link #MODES} without {@code identity} and {@code parse-score}. */
    static final String DEFAULT_MODES = "passthrough,serde-passthrough,parse,parse-write,scorer,scorer-compact";

    // A quarter to a third of the scorer's capacity here: latency under load, still sustainable.
    @Option(names = "--rate", defaultValue = "20000", paramLabel = "EVENTS_PER_S",
            description = "Latency: events/s the producer offers each topology. Defaults to ${DEFAULT-VALUE}.")
    double rate;
    @Option(names = "--seconds", defaultValue = "30", paramLabel = "S",
            description = "Latency: seconds of sending per topology. Defaults to ${DEFAULT-VALUE}.")
    int seconds;
    @Option(names = "--warmup", defaultValue = "5", paramLabel = "S",
            description = "Latency: the first seconds of sending left out of the histogram (less than --seconds)."
                    + " Defaults to ${DEFAULT-VALUE}.")
    int warmup;
    @Option(names = "--backlog", defaultValue = "100000", paramLabel = "EVENTS",
            description = "Capacity: events written to a paused topology's input, then drained, per measured round."
                    + " Defaults to ${DEFAULT-VALUE}.")
    int backlog;
    @Option(names = "--rounds", defaultValue = "5", paramLabel = "N",
            description = "Capacity: measured rounds, the topologies interleaved (A B C, B C A, ...); the median is"
                    + " reported. Defaults to ${DEFAULT-VALUE}.")
    int rounds;
    @Option(names = "--warmup-rounds", defaultValue = "4", paramLabel = "N",
            description = "Unmeasured warm-up passes over every topology, at least (the warm-up ends after a pass in"
                    + " which JIT compilation took under 10%% of every topology's time). Defaults to ${DEFAULT-VALUE}.")
    int warmupRounds;
    @Option(names = "--warmup-max", defaultValue = "10", paramLabel = "N",
            description = "Warm-up passes at most (wins over --warmup-rounds; 0: no warm-up)."
                    + " Defaults to ${DEFAULT-VALUE}.")
    int warmupMax;
    @Option(names = "--warmup-backlog", defaultValue = "60000", paramLabel = "EVENTS",
            description = "Events per topology in a warm-up pass (at most --backlog). Defaults to ${DEFAULT-VALUE}.")
    int warmupBacklog;
    @Option(names = "--partitions", defaultValue = "3", paramLabel = "N",
            description = "Partitions of every topology's input and output topics. With fewer than a multiple of the"
                    + " stream threads, some threads get more tasks than others. Defaults to ${DEFAULT-VALUE}.")
    int partitions;
    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the results (the JSON line printed) to FILE (its directory made if missing).")
    Path json;
    @Option(names = "--trace", paramLabel = "DIR",
            description = "Write every latency sample (send wall-clock ms, latency µs) to DIR/<mode>-latency.csv, and"
                    + " when the broker acknowledged each input event sent (send wall-clock ms, µs; -1 if never) to"
                    + " DIR/<mode>-produce.csv.")
    Path trace;
    @Option(names = "--trace-offsets", paramLabel = "MS", defaultValue = "0",
            description = "With --trace: every MS milliseconds while latency is measured, sample the input partitions'"
                    + " lag behind the application's committed offsets, the outputs' records not yet visible to a"
                    + " read_committed consumer, and the application's transactions, to DIR/<mode>-offsets.csv"
                    + " (a few admin requests per sample). 0 (default): off.")
    int traceOffsets;
    @Option(names = "--isolation", defaultValue = "read_committed", paramLabel = "LEVEL",
            description = "The measuring consumer's isolation level: read_committed (what an alert consumer sees) or"
                    + " read_uncommitted (outputs seen at append, before their transaction commits)."
                    + " Defaults to ${DEFAULT-VALUE}.")
    String isolation;
    @Option(names = "--modes", defaultValue = DEFAULT_MODES, paramLabel = "MODE[,MODE...]",
            description = "The topologies, comma-separated: passthrough, serde-passthrough, parse, parse-write, scorer,"
                    + " scorer-compact, identity (one node that only forwards), parse-score (parse, preprocessing,"
                    + " network, decision; input forwarded). Defaults to ${DEFAULT-VALUE}.")
    String modes;
    @Option(names = "--profile", paramLabel = "PROFILE",
            description = "The scorer's latency profile for every topology, low-latency or throughput, under any"
                    + " --kafka override. Without it, the scorer's default (throughput).")
    String profile;
    @Option(names = "--kafka", paramLabel = "KEY=VALUE",
            description = "A Streams or client property for every topology, on top of the scorer's defaults, e.g."
                    + " producer.batch.size=65536. Repeatable; the last of a key wins.")
    List<String> kafka = new ArrayList<>();
    @Option(names = "--broker", paramLabel = "KEY=VALUE",
            description = "A property of the embedded broker, on top of its own, e.g."
                    + " add.partitions.to.txn.retry.backoff.max.ms=20. Repeatable; the last of a key wins.")
    List<String> broker = new ArrayList<>();
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Run against this cluster instead of an embedded broker (e.g. one started with"
                    + " ./fraud broker in its own JVM, or your own): the run's topics, application ids and"
                    + " transactional ids get a prefix unique to the run (fraud-bench-<ms>-<random>-); its topics and"
                    + " consumer groups are deleted at the end, on a failure and when stopped. The cluster must answer"
                    + " within 15 s first; 30 s without an answer during the run ends it. Plaintext, no"
                    + " authentication unless --config; cannot be combined with --broker.")
    String bootstrapServers;
    @Option(names = "--config", paramLabel = "FILE",
            description = "With --bootstrap-servers: a properties file of connection settings for every client of the"
                    + " run (the topologies, the load producer, the measuring consumer, the admin client):"
                    + " security.*, ssl.*, sasl.*, client.dns.lookup only (the connection part of a ./fraud --config"
                    + " file).")
    Path config;
    @Option(names = "--consumer", paramLabel = "KEY=VALUE",
            description = "A property of the measuring consumer (the one reading the outputs), on top of Kafka's"
                    + " defaults and the operating system's receive buffer (receive.buffer.bytes=-1, as the product's"
                    + " consumers; receive.buffer.bytes=65536 is Kafka's), e.g. fetch.max.wait.ms=20. Repeatable; the"
                    + " last of a key wins.")
    List<String> consumer = new ArrayList<>();

    @Spec
    CommandSpec spec;

    /** What runs with the checked settings: the benchmark, or in tests something that keeps them. */
    private final Runner runner;

    /** The benchmark itself, given checked settings; returns the exit code. */
    @FunctionalInterface
    interface Runner {
        int run(Settings settings) throws Exception;
    }

    /**
     * The command line, checked: every option as given or defaulted.
     *
     * @param kafka the {@code --kafka} properties in order (the last of a key wins), then the {@code --profile}
     *              settings for the keys they leave unset
     * @param broker the {@code --broker} properties (the last of a key wins)
     * @param consumer the {@code --consumer} properties of the measuring consumer (the last of a key wins)
     * @param profile {@code --profile}, or null
     */
    record Settings(double rate, int seconds, int warmup, int backlog, int rounds, int warmupRounds, int warmupMax,
                    int warmupBacklog, int partitions, Path json, Path trace, int traceOffsets, String isolation,
                    List<String> modes, LatencyProfile profile, Map<String, String> kafka, Map<String, String> broker,
                    Map<String, String> consumer, String bootstrapServers, Map<String, String> connection) {
        /** Whether the benchmark starts its own broker (no {@code --bootstrap-servers}). */
        boolean embedded() {
            return bootstrapServers == null;
        }
    }

    StreamBench(Runner runner) {
        this.runner = runner;
    }

    public static void main(String[] args) {
        // exit explicitly: Kafka's non-daemon threads must not keep the benchmark alive
        System.exit(commandLine(StreamBench::run).execute(args));
    }

    /**
     * The command line with the product's error handling: a bad option is one line on standard error and exit 2, a
     * failure one line and exit 1 ({@code FRAUD_DEBUG=1} adds the stack trace).
     */
    static CommandLine commandLine(Runner runner) {
        return CliErrors.install(new CommandLine(new StreamBench(runner)));
    }

    @Override
    public Integer call() throws Exception {
        return runner.run(settings());
    }

    /** The options, checked; a bad one is a command-line error (exit 2) naming it. */
    Settings settings() {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw bad("--rate must be a number of events/s above 0, got " + rate);
        }
        if (seconds < 1) {
            throw bad("--seconds must be at least 1, got " + seconds);
        }
        if (warmup < 0 || warmup >= seconds) {
            throw bad("--warmup must be at least 0 and less than --seconds (" + seconds + "), got " + warmup);
        }
        if (backlog < 1) {
            throw bad("--backlog must be at least 1, got " + backlog);
        }
        if (rounds < 1) {
            throw bad("--rounds must be at least 1, got " + rounds);
        }
        if (warmupRounds < 0) {
            throw bad("--warmup-rounds must be at least 0, got " + warmupRounds);
        }
        if (warmupMax < 0) {
            throw bad("--warmup-max must be at least 0, got " + warmupMax);
        }
        if (warmupBacklog < 1) {
            throw bad("--warmup-backlog must be at least 1, got " + warmupBacklog);
        }
        if (partitions < 1) {
            throw bad("--partitions must be at least 1, got " + partitions);
        }
        if (traceOffsets < 0) {
            throw bad("--trace-offsets must be at least 0 milliseconds, got " + traceOffsets);
        }
        if (traceOffsets > 0 && trace == null) {
            throw bad("--trace-offsets needs --trace DIR, where it writes <mode>-offsets.csv");
        }
        if (!isolation.equals("read_committed") && !isolation.equals("read_uncommitted")) {
            throw bad("--isolation must be read_committed or read_uncommitted, got '" + isolation + "'");
        }
        List<String> modeList = List.of(modes.split(","));
        if (modeList.isEmpty()) {
            throw bad("--modes must name at least one of " + String.join(", ", MODES) + ", got '" + modes + "'");
        }
        for (int i = 0; i < modeList.size(); i++) {
            String mode = modeList.get(i);
            if (!MODES.contains(mode)) {
                throw bad("--modes: unknown mode '" + mode + "'; the modes are " + String.join(", ", MODES));
            }
            if (modeList.indexOf(mode) != i) {
                throw bad("--modes names " + mode + " twice");
            }
        }
        Map<String, String> extra = properties("--kafka", kafka);
        for (String key : extra.keySet()) {
            if (TOPOLOGY_OWN.contains(key)) {
                throw bad("--kafka cannot set " + key + ": the benchmark sets it itself"
                        + (key.equals("bootstrap.servers") ? " (give --bootstrap-servers)" : ""));
            }
        }
        Map<String, String> brokerProperties = properties("--broker", broker);
        if (bootstrapServers != null) {
            if (bootstrapServers.isBlank() || bootstrapServers.chars().anyMatch(Character::isWhitespace)) {
                throw bad("--bootstrap-servers takes host:port[,host:port...] without spaces, got '" + bootstrapServers + "'");
            }
            // the product's check (./fraud -b): Kafka's clients refuse these only once made, after topics exist
            String badServer = KafkaOptions.badServer(bootstrapServers);
            if (badServer != null) {
                throw bad("--bootstrap-servers takes host:port[,host:port...] (a port up to 65535), got '"
                        + bootstrapServers + "'" + (badServer.isEmpty() ? " (an empty entry)"
                        : badServer.equals(bootstrapServers) ? "" : ": '" + badServer + "' is not"));
            }
            if (!brokerProperties.isEmpty()) {
                throw bad("--broker sets the embedded broker's properties; with --bootstrap-servers there is none"
                        + " (set them on your broker)");
            }
        }
        Map<String, String> connection = new LinkedHashMap<>();
        if (config != null) {
            if (bootstrapServers == null) {
                throw bad("--config needs --bootstrap-servers: the embedded broker takes plaintext connections only");
            }
            Properties file;
            try {
                file = ScorerConfig.load(config);
            } catch (IOException | IllegalArgumentException e) {
                throw bad("--config: cannot read " + config + ": " + e.getMessage());
            }
            for (String key : new TreeSet<>(file.stringPropertyNames())) {
                if (!ScorerConfig.isConnectionKey(key)) {
                    throw bad("--config holds connection settings only (security.*, ssl.*, sasl.*, client.dns.lookup),"
                            + " got " + key + (key.equals("bootstrap.servers") ? ": give --bootstrap-servers"
                            : ": give it with --kafka or --consumer"));
                }
                connection.put(key, file.getProperty(key));
            }
        }
        for (String key : brokerProperties.keySet()) {
            if (!EmbeddedKafkaBroker.isOverridable(key)) {
                throw bad("--broker cannot set " + key + ": the embedded broker sets it itself");
            }
        }
        Map<String, String> given = properties("--consumer", consumer);
        for (String key : given.keySet()) {
            if (MEASURING_CONSUMER_OWN.contains(key)) {
                throw bad("--consumer cannot set " + key + ": the benchmark sets it itself");
            }
        }
        requireKafkaValues("--kafka", extra);
        requireKafkaValues("--consumer", given);
        requireKafkaValues("--config", connection);
        // Output paths, before anything runs: a bad one failed after the whole run (--json), or lost the results
        // (--trace, written before they were printed); a missing directory is made, as the product's outputs
        Outputs.requireWritable(spec, "--json", json, false);
        Outputs.requireWritable(spec, "--trace", trace, true);
        // The measuring consumer's changeable settings as it runs with them (and as the JSON reports them): the
        // receive buffer the product's consumers use, as docs/latency.md advises for consumers of the outputs
        // (Kafka's fixed 64 KiB made a full buffer wait 200 ms for a retransmission), under the user's.
        Map<String, String> consumerProperties = new LinkedHashMap<>();
        consumerProperties.putAll(ClientSettings.CONSUMER_DEFAULTS);
        consumerProperties.putAll(given);
        LatencyProfile latency = null;
        if (profile != null) {
            try {
                latency = LatencyProfile.of(profile);
            } catch (IllegalArgumentException e) {
                throw bad(e.getMessage());
            }
            // the profile's settings under any --kafka override, for the guarantee in force
            latency.properties(extra.getOrDefault("processing.guarantee", "exactly_once_v2"))
                    .forEach((k, v) -> extra.putIfAbsent((String) k, (String) v));
        }
        return new Settings(rate, seconds, warmup, backlog, rounds, warmupRounds, warmupMax, warmupBacklog, partitions,
                json, trace, traceOffsets, isolation, modeList, latency, Collections.unmodifiableMap(extra),
                Collections.unmodifiableMap(brokerProperties), Collections.unmodifiableMap(consumerProperties),
                bootstrapServers, Collections.unmodifiableMap(connection));
    }

    /**
     * Where the run's clients connect: the servers, and {@code --config}'s connection settings for every client.
     * The settings' values are never printed (they may hold passwords).
     */
    record Cluster(String bootstrapServers, Map<String, String> connection) {
        @Override
        public String toString() {
            return "Cluster[" + bootstrapServers + ", connection settings " + connection.keySet() + "]";
        }

        /** A new map of every client's base settings, to add the client's own to. */
        Map<String, Object> client() {
            Map<String, Object> p = new HashMap<>(connection);
            p.put("bootstrap.servers", bootstrapServers);
            return p;
        }
    }

    /** {@code key=value} options in order, the last of a key winning; anything else is a command-line error. */
    private Map<String, String> properties(String option, List<String> given) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String property : given) {
            String[] kv = property.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw bad(option + " takes key=value, got '" + property + "'");
            }
            out.put(kv[0], kv[1]);
        }
        return out;
    }

    /** Streams' prefixes of a setting for one of its clients ({@code producer.batch.size}), longest first. */
    private static final List<String> CLIENT_PREFIXES = List.of("main.consumer.", "restore.consumer.",
            "global.consumer.", "consumer.", "producer.", "admin.");

    /**
     * Refuses a value Kafka's clients or Streams would refuse ({@code linger.ms=abc}, {@code producer.batch.size=-5}),
     * by the product's check ({@link KafkaOptions#problem}): a client made with it failed only after the run's topics
     * were created (or the embedded broker started). A prefixed key is judged as its client reads it.
     */
    private void requireKafkaValues(String option, Map<String, String> values) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            String key = e.getKey();
            String plain = CLIENT_PREFIXES.stream().filter(key::startsWith).findFirst()
                    .map(prefix -> key.substring(prefix.length())).orElse(key);
            Properties p = new Properties();
            p.put("bootstrap.servers", "localhost:9092"); // the servers are checked on their own: the value alone here
            p.put(plain, e.getValue());
            String problem = KafkaOptions.problem(p, option);
            if (problem != null) {
                throw bad(plain.equals(key) ? problem : "Kafka setting " + key + " (" + option + "): "
                        + problem.substring(problem.indexOf("): ") + 3));
            }
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /**
     * @param p50 the latencies are from each event's scheduled send time ({@code start + n / rate}) to its arrival at
     *            the consumer, so a stall of the load producer counts against the events due during it (no
     *            coordinated omission); {@code p99FromSend} is the same events' p99 from their actual send
     * @param sendLagP99 how late the load producer built its records against the schedule (p99 and max, ms)
     * @param missing events scheduled in the measured window that never arrived before the drain deadline
     */
    record Result(String mode, long backlog, double capacity, List<Double> capacityRounds, double offered,
                  double sustained, long measured, double p50, double p99, double p999, double max, long flagged,
                  long clean, long dlq, JsonNode cpuPerEvent, double p99FromSend, double sendLagP99,
                  double sendLagMax, long missing) {
        /**
         * The result as the JSON reports it; a figure that could not be measured (NaN or infinite, e.g. a rate over an
         * empty window) is null, so the file is valid JSON whatever was measured.
         */
        ObjectNode node() {
            ObjectNode n = JSON.createObjectNode();
            n.put("mode", mode).put("backlog", backlog);
            figure(n, "capacity_eps", capacity, 1);
            ArrayNode rounds = n.putArray("capacity_rounds_eps");
            for (double c : capacityRounds) {
                rounds.add(rounded(c, 1));
            }
            figure(n, "offered_eps", offered, 1);
            figure(n, "sustained_eps", sustained, 1);
            n.put("latency_samples", measured);
            figure(n, "p50_ms", p50, 2);
            figure(n, "p99_ms", p99, 2);
            figure(n, "p999_ms", p999, 2);
            figure(n, "max_ms", max, 2);
            figure(n, "p99_from_send_ms", p99FromSend, 2);
            figure(n, "send_lag_p99_ms", sendLagP99, 2);
            figure(n, "send_lag_max_ms", sendLagMax, 2);
            n.put("missing_in_window", missing);
            n.put("flagged", flagged).put("clean", clean).put("dlq", dlq);
            n.set("capacity_cpu_per_event", cpuPerEvent);
            return n;
        }

        private static void figure(ObjectNode n, String name, double v, int decimals) {
            n.set(name, rounded(v, decimals));
        }

        private static JsonNode rounded(double v, int decimals) {
            double scale = Math.pow(10, decimals);
            return Double.isFinite(v) ? JSON.getNodeFactory().numberNode(Math.round(v * scale) / scale)
                    : NullNode.getInstance();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The run's settings as the JSON reports them: what was offered and how, the warm-up, where the broker was, and
     * the settings given to the scorer ({@code --profile}'s with {@code --kafka}'s over them) and to the measuring
     * consumer. Secret values ({@link ScorerConfig#isSecret}) are masked; {@code --config}'s values are never written.
     */
    static ObjectNode header(Settings s, int warmupPasses, double warmupLastShare) {
        ObjectNode out = JSON.createObjectNode();
        out.put("rate", s.rate()).put("seconds", s.seconds()).put("backlog", s.backlog()).put("rounds", s.rounds())
                .put("warmup_passes", warmupPasses);
        if (Double.isNaN(warmupLastShare)) { // no warm-up pass ran
            out.putNull("warmup_last_jit_share");
        } else {
            out.put("warmup_last_jit_share", Math.round(warmupLastShare * 1000) / 1000.0);
        }
        out.put("warmup_backlog", Math.min(s.backlog(), s.warmupBacklog())).put("partitions", s.partitions())
                .put("stream_threads", streamThreads(s.kafka()))
                .put("broker", s.embedded() ? "embedded " + ScorerConfig.masked(s.broker()) : s.bootstrapServers())
                .put("profile", s.profile() == null ? null : s.profile().label())
                .put("isolation", s.isolation());
        out.set("kafka", JSON.valueToTree(ScorerConfig.masked(s.kafka())));
        out.set("consumer", JSON.valueToTree(ScorerConfig.masked(s.consumer())));
        return out;
    }

    /** The benchmark: starts the broker and the topologies, measures, prints (and with --json writes) the results. */
    static int run(Settings s) throws Exception {
        return run(s, BrokerCheck.DEFAULT_TIMEOUT);
    }

    /**
     * {@link #run(Settings)}, waiting at most {@code reach} for a given cluster's first answer. Whatever happens (the
     * end, a failure, the cluster gone, Ctrl-C or SIGTERM) the run's {@link RunCleanup} closes the topologies, deletes
     * the run's topics and groups on a given cluster or stops the embedded broker, and deletes the temp directory (its
     * log, gigabytes after a full run, and the Streams state), in bounded time. The results are printed (and written
     * to --json) before the --trace files, so that a failure to write those cannot lose them.
     */
    static int run(Settings s, Duration reach) throws Exception {
        double rate = s.rate();
        int seconds = s.seconds();
        int warmup = s.warmup();
        int backlog = s.backlog();
        int rounds = s.rounds();
        int warmupRounds = s.warmupRounds();
        int warmupMax = s.warmupMax();
        int warmupBacklog = s.warmupBacklog();
        int warmupPasses = 0;
        double warmupLastShare = Double.NaN;
        long t0 = System.nanoTime();
        String prefix = s.embedded() ? "" : runPrefix(System.currentTimeMillis(), new Random().nextInt(0x10000));
        Cluster given = s.embedded() ? null : new Cluster(s.bootstrapServers(), s.connection());
        if (given != null) {
            // The product's start-up check, before anything is made: an unreachable cluster took 96 s to fail with
            // "could not create topic", and a warning to delete by hand topics that were never created.
            Properties client = new Properties();
            client.putAll(given.client());
            BrokerCheck.await(client, reach);
        }
        byte[][] payloads = payloads(4096);
        ModelBundle model = BenchData.withFlaggedShare(BenchData.model(new int[] {16, 16}, 7L), 0.005, 7L);
        List<Result> results = new ArrayList<>();
        List<TopologyUnderTest.Trace> traces = new ArrayList<>();
        List<TopologyUnderTest> running = Collections.synchronizedList(new ArrayList<>());
        RunCleanup cleanup = new RunCleanup(System.err);
        cleanup.runner(Thread.currentThread());
        Thread hook = cleanup.hook();
        Runtime.getRuntime().addShutdownHook(hook);
        ClusterWatch watch = null;
        Exception failed = null;
        // Undone in reverse order (RunCleanup): the topologies first (so that nothing still reads or writes a topic
        // when it is deleted, nor re-creates one), then the run's topics and groups on a given cluster, or the
        // broker, then the temp directory.
        try {
            TempDir temp = TempDir.create("fraud-bench");
            cleanup.add("deleting " + temp + " (broker log, Streams state)", Duration.ofSeconds(60), false,
                    "delete it by hand", temp);
            cleanup.notice(s.embedded() ? "[bench] stopped: cleaning up; if it does not finish, delete " + temp
                    + " by hand" : "[broker] stopped: cleaning up; if it does not finish, delete the topics and"
                    + " consumer groups " + prefix + "* on " + given.bootstrapServers() + " and " + temp + " by hand");
            Cluster cluster;
            if (s.embedded()) {
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(temp.dir("broker"), 0, s.broker());
                cleanup.add("stopping the embedded broker", Duration.ofSeconds(30), false, null, broker);
                cluster = new Cluster(broker.bootstrapServers(), Map.of());
            } else {
                cluster = given;
                cleanup.add("deleting the run's topics and consumer groups (" + prefix + "*)", Duration.ofSeconds(60),
                        true, "delete them by hand", new RunTopics(given, prefix));
                // only a given cluster can go away while the run waits on it (the embedded one lives in this process)
                watch = ClusterWatch.start(cluster, Thread.currentThread());
            }
            cleanup.add("closing the topologies", Duration.ofSeconds(30), true, null, () -> closeAll(running));
            System.err.println(s.embedded() ? "[broker] embedded at " + cluster.bootstrapServers()
                    : "[broker] " + cluster.bootstrapServers() + " (topics, groups and transactional ids prefixed "
                    + prefix + ")");
            KafkaProducer<byte[], byte[]> producer = producer(cluster);
            cleanup.add("closing the load producer", Duration.ofSeconds(10), true, null,
                    () -> producer.close(Duration.ofSeconds(5)));
            try {
                for (String mode : s.modes()) {
                    running.add(TopologyUnderTest.start(cluster, prefix, mode, model, temp.dir("streams-" + mode), s));
                }
                // Unmeasured rounds of every topology first, until the JIT has settled, so that no measured round
                // pays for compiling the broker's, the clients' or the scorer's code. Profiling showed the JIT
                // compiler threads taking half the process's CPU in the first rounds and still a third after two
                // rounds (the broker and clients are a lot of code, and each pause / resume sends it down paths it
                // had not taken yet). Warm-up ends after a pass in which compilation took under 10% of the wall time
                // of every topology's part of it (it rarely drops further: the broker keeps compiling now and then),
                // after at least --warmup-rounds passes and at most --warmup-max (10). Per topology, because a
                // whole-pass share hid compilation left in one topology's code: with it, the scorer's measured rounds
                // at 09:35 UTC still carried 2.7 µs of JIT time per event, parse-write's 0.1.
                var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
                for (int w = 0; w < warmupMax; w++) {
                    double worst = 0;
                    String worstMode = "";
                    for (TopologyUnderTest t : running) {
                        long start = System.nanoTime();
                        long compiledBefore = jit.getTotalCompilationTime();
                        t.capacity(producer, payloads, Math.min(backlog, warmupBacklog));
                        double share = (jit.getTotalCompilationTime() - compiledBefore) / ((System.nanoTime() - start) / 1e6);
                        if (share >= worst) {
                            worst = share;
                            worstMode = t.mode;
                        }
                    }
                    warmupPasses = w + 1;
                    warmupLastShare = worst;
                    // the JVM sums compilation time over its compiler threads: against wall time it can pass 100%
                    System.err.printf(Locale.ROOT, "[warm-up] pass %d: JIT compiler-thread time up to %.1f%% of a"
                            + " topology's wall time (%s; summed over compiler threads)%n", w + 1, 100 * worst,
                            worstMode);
                    if (w + 1 >= warmupRounds && worst < WARMUP_SETTLED) {
                        break;
                    }
                }
                String unsettled = warmupUnsettled(warmupPasses, warmupLastShare);
                if (unsettled != null) {
                    System.err.println(unsettled);
                }
                for (TopologyUnderTest t : running) {
                    t.capacities.clear();
                    t.cpu.clear();
                }
                profiler("start");
                // Measured rounds, interleaved (A B C D, B C D A, ...): this machine's speed drifts by up to 2x over
                // minutes (shared virtual cores), so each topology is measured several times next to the others and
                // the median reported, rather than once each in a row.
                for (int r = 0; r < rounds; r++) {
                    for (int k = 0; k < running.size(); k++) {
                        running.get((k + r) % running.size()).capacity(producer, payloads, backlog);
                    }
                }
            } finally {
                producer.close(Duration.ofSeconds(5));
            }
            profiler("stop");
            for (TopologyUnderTest t : running) {
                TopologyUnderTest.Latency latency = t.latency(cluster, payloads, rate, seconds, warmup, backlog);
                results.add(latency.result());
                if (latency.trace() != null) {
                    traces.add(latency.trace());
                }
            }
        } catch (Exception e) { // Kafka's InterruptException (the watch gave the cluster up) included
            failed = e;
        }
        String gaveUp = null;
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                // only the watch's own admin client: nothing of the run's
            }
            gaveUp = watch.gaveUp();
        }
        Thread.interrupted(); // the watch's interrupt, if it came: the cleanup and the files below must not see it
        if (gaveUp != null) {
            cleanup.cap(Duration.ofSeconds(10)); // the cluster is gone: its clients' closes would only wait longer
        }
        cleanup.close();
        if (cleanup.stopped()) {
            awaitHalt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook finds nothing left to do
        }
        if (failed != null) {
            throw gaveUp != null ? new IllegalStateException(gaveUp, failed) : failed;
        }
        ObjectNode out = header(s, warmupPasses, warmupLastShare);
        out.put("wall_s", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        ArrayNode list = out.putArray("results");
        for (Result r : results) {
            list.add(r.node());
        }
        System.out.println(out);
        if (s.json() != null) {
            AtomicFiles.write(s.json(), (out + "\n").getBytes(StandardCharsets.UTF_8));
        }
        for (TopologyUnderTest.Trace trace : traces) {
            trace.write();
        }
        return 0;
    }

    /**
     * Waits, saying nothing, for the JVM to halt: the run was stopped (Ctrl-C, SIGTERM), its hook has cleaned up, and
     * the failures the stop caused in this thread (a closed consumer, an interrupted send) are not the run's.
     */
    private static void awaitHalt() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // still halting
            }
        }
    }

    /**
     * Profiles the measured capacity rounds only (not the warm-up) when {@code -Dbench.profile=<async-profiler
     * options>} is set, e.g. {@code event=ctimer,interval=1ms,threads,collapsed,file=/tmp/rounds.collapsed}, with
     * async-profiler's jar (Maven Central {@code tools.profiler:async-profiler}) on the class path. Reflection keeps
     * it out of the build.
     */
    private static void profiler(String action) throws Exception {
        String options = System.getProperty("bench.profile");
        if (options == null) {
            return;
        }
        Object profiler = Class.forName("one.profiler.AsyncProfiler").getMethod("getInstance").invoke(null);
        Object said = profiler.getClass().getMethod("execute", String.class).invoke(profiler, action + "," + options);
        System.err.println("[profiler] " + action + ": " + String.valueOf(said).trim());
    }

    /**
     * The JIT's share of a topology's warm-up pass under which the warm-up counts as settled: compilation time as the
     * JVM reports it (elapsed time summed over its compiler threads) over the pass's wall time, so above 1 when
     * several compiler threads were busy at once.
     */
    static final double WARMUP_SETTLED = 0.10;

    /**
     * The line to print when the warm-up ended with the JIT still busy (null when it settled or did not run): the
     * measured rounds then pay for compilation, which on a slow day halved the capacity and raised the p99 (docs/latency.md,
     * "Creditcard topology: after the receive-buffer fix").
     */
    static String warmupUnsettled(int passes, double lastShare) {
        if (passes == 0 || Double.isNaN(lastShare) || lastShare < WARMUP_SETTLED) {
            return null;
        }
        return String.format(Locale.ROOT, "[warm-up] WARNING: after %d passes JIT compiler-thread time was still %.0f%%"
                + " of a topology's wall time (settled: under %.0f%%); the measured rounds include compilation: raise"
                + " --warmup-max", passes, 100 * lastShare, 100 * WARMUP_SETTLED);
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

    /**
     * The prefix of a run's topics and application ids on a given cluster: unique per run, so that a run never meets
     * an earlier run's topics, offsets or transactional ids, and easy to find (and delete) if a run is killed.
     */
    static String runPrefix(long epochMillis, int random) {
        return String.format(Locale.ROOT, "fraud-bench-%d-%04x-", epochMillis, random & 0xffff);
    }

    /**
     * Closes every topology, the last started first; a failure to close one does not keep the others open. From the
     * run's thread or its shutdown hook: {@code running} is a synchronized list.
     */
    private static void closeAll(List<TopologyUnderTest> running) {
        synchronized (running) {
            for (int i = running.size() - 1; i >= 0; i--) {
                try {
                    running.get(i).close();
                } catch (Exception e) {
                    System.err.println("[" + running.get(i).mode + "] WARNING could not close: " + e);
                }
            }
            running.clear();
        }
    }

    /** num.stream.threads as every topology here gets it: the scorer's default, or a --kafka override. */
    private static String streamThreads(Map<String, String> kafka) {
        Properties p = new Properties();
        p.put("bootstrap.servers", "unused:9092");
        p.putAll(kafka);
        return Integer.toString(new ScorerConfig(Topics.defaults(), p, 16384, 3).streamThreads());
    }

    /**
     * The median of the rounds: the middle one, or with an even count the mean of the two middle ones (the upper one
     * alone was the maximum of two rounds).
     */
    static double median(List<Double> rounds) {
        List<Double> sorted = new ArrayList<>(rounds);
        sorted.sort(null);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    /** The middle round, or the lower of the two middle ones: a round that ran, whose CPU account is reported. */
    static double lowerMedian(List<Double> rounds) {
        List<Double> sorted = new ArrayList<>(rounds);
        sorted.sort(null);
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** A topology's Streams properties (the scorer's defaults are added under them): the cluster, its ids, --kafka. */
    static Properties streamsProperties(Cluster cluster, String appId, Path stateDir, Map<String, String> kafka) {
        Properties p = new Properties();
        p.putAll(cluster.client());
        p.put("application.id", appId);
        p.put("state.dir", stateDir.toString());
        p.putAll(kafka); // none of the three above (checked)
        return p;
    }

    /** The load producers' settings. */
    static Map<String, Object> producerProperties(Cluster cluster) {
        Map<String, Object> p = cluster.client();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        return p;
    }

    /** The measuring consumer's settings. */
    static Map<String, Object> consumerProperties(Cluster cluster, String isolation, Map<String, String> extra) {
        Map<String, Object> p = cluster.client();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.putAll(extra); // the receive buffer and --consumer; none of the keys above but max.poll.records (checked)
        return p;
    }

    /** A load producer: the capacity rounds' backlogs, and each latency run's {@link LoadSchedule}. */
    static KafkaProducer<byte[], byte[]> producer(Cluster cluster) {
        return new KafkaProducer<>(producerProperties(cluster), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A topology's measuring consumer, reading its outputs at {@code isolation}. */
    static KafkaConsumer<byte[], byte[]> consumer(Cluster cluster, String isolation, Map<String, String> extra) {
        return new KafkaConsumer<>(consumerProperties(cluster, isolation, extra), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }
}
