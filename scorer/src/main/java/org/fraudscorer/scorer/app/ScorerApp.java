package org.fraudscorer.scorer.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.TrustedKeys;
import org.fraudscorer.common.nn.Simd;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.model.ModelWatcher;
import org.fraudscorer.scorer.server.HealthServer;
import org.fraudscorer.scorer.server.ModelMonitoring;
import org.fraudscorer.scorer.server.ScorerMetrics;
import org.fraudscorer.scorer.topology.FraudTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scorer instance: ensures topics, follows the model topic, runs the topology under Kafka Streams, serves
 * health and metrics. Start several with the same application id to share the input partitions.
 * <pre>
 *   ./fraud scorer --bootstrap-servers broker:9092 --model models/model.json
 * </pre>
 */
public final class ScorerApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScorerApp.class);

    /**
     * @param metricsPort   -1 = no HTTP server, 0 = any free port
     * @param partitions    partitions of topics this instance creates (0 = create none)
     * @param trustedKeys   keys every published model must be signed by (null = models are not authenticated); the
     *                      start-up model must have been verified against them by the caller
     * @param monitoring    sizes of the model-monitoring windows
     * @param accessCheck   what a grant missing on a cluster with ACLs does ({@link AccessCheck})
     */
    public record Options(String metricsHost, int metricsPort, int partitions, TrustedKeys trustedKeys,
                          ModelMonitoring.Windows monitoring, AccessCheck.Mode accessCheck) {
        /** Options that refuse to start without a grant. */
        public Options(String metricsHost, int metricsPort, int partitions, TrustedKeys trustedKeys,
                       ModelMonitoring.Windows monitoring) {
            this(metricsHost, metricsPort, partitions, trustedKeys, monitoring, AccessCheck.Mode.REFUSE);
        }

        /** These options with another access-check mode. */
        public Options withAccessCheck(AccessCheck.Mode mode) {
            return new Options(metricsHost, metricsPort, partitions, trustedKeys, monitoring, mode);
        }

        /** Options with the default monitoring windows. */
        public Options(String metricsHost, int metricsPort, int partitions, TrustedKeys trustedKeys) {
            this(metricsHost, metricsPort, partitions, trustedKeys, ModelMonitoring.Windows.DEFAULT);
        }

        /** Options without trusted keys: models are not authenticated. */
        public Options(String metricsHost, int metricsPort, int partitions) {
            this(metricsHost, metricsPort, partitions, null);
        }

        public static Options forTests() {
            return new Options("127.0.0.1", -1, 3);
        }
    }

    private KafkaStreams streams; // set once, in the constructor
    private final ModelRegistry registry;
    private final ModelWatcher watcher;
    private BrokerWatch brokerWatch;
    private final ScorerMetrics metrics;
    private final PrometheusMeterRegistry prometheus;
    private HealthServer server; // set once, in the constructor
    private KafkaStreamsMetrics streamsMetrics; // set once, in the constructor
    private final ThreadFailures failures;
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Where the model watcher keeps the champion it last served from the model topic: beside the application's state
     * directory ({@code <state.dir>/<application.id>.<model topic>.served-model.json}), outside what Kafka Streams
     * manages and cleans; null (nowhere) when no {@code state.dir} is set.
     */
    static java.nio.file.Path servedModelFile(ScorerConfig config) {
        java.util.Properties p = config.streamsProperties();
        String dir = p.getProperty(org.apache.kafka.streams.StreamsConfig.STATE_DIR_CONFIG);
        return dir == null ? null : java.nio.file.Path.of(dir).resolve(
                p.getProperty(org.apache.kafka.streams.StreamsConfig.APPLICATION_ID_CONFIG) + "."
                        + config.topics().models() + ".served-model.json");
    }

    /**
     * Warns when the input's partitions cannot be spread evenly over the stream threads
     * ({@link TopicSetup#threadBalance}). Advice only: a topic that cannot be described is left to Kafka Streams,
     * which reports a missing source topic itself.
     */
    private static void warnIfUnbalanced(ScorerConfig config) {
        try {
            String unbalanced = TopicSetup.threadBalance(config.topics().input(),
                    TopicSetup.partitions(config.clientProperties(), config.topics().input()), config.streamThreads());
            if (unbalanced != null) {
                LOG.warn(unbalanced);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("input partitions not checked against the stream threads: {}", e.toString());
        }
    }

    /**
     * Refuses to start beside a model topic whose champion the start-up model does not fit (another feature schema,
     * family or label delay), as {@code publish} refuses to send such a model: the scorer would otherwise start, report
     * UP, refuse the topic's champion in its log, and dead-letter or misjudge every event of the kind that topic's
     * deployment serves (a creditcard model on a raw-event deployment dead-letters each payment). Read as the
     * scorers' watcher reads it ({@link TopicChampion}); a topic that cannot be read is left to the watcher, which
     * retries and says so.
     */
    private static void refuseMisfitChampion(ScorerConfig config, ModelBundle initial,
                                             org.fraudscorer.common.model.TrustedKeys trusted) {
        ModelBundle champion;
        try {
            champion = org.fraudscorer.scorer.model.TopicChampion.read(config.clientProperties(),
                    config.topics().models(), trusted, Duration.ofSeconds(30)); // as long as the watcher's first read
        } catch (RuntimeException e) {
            LOG.warn("the champion of {} was not compared with the start-up model: {}", config.topics().models(),
                    e.getMessage());
            return;
        }
        String why = champion == null ? null : ModelRegistry.misfit(champion, initial);
        if (why != null) {
            throw new IllegalStateException("model topic " + config.topics().models() + " serves champion "
                    + champion.modelVersion() + ", which the start-up model " + initial.modelVersion()
                    + " does not fit: " + why + "; start with a model of that deployment ('./fraud inspect' shows a "
                    + "model's schema and delay), or give this one a --model-topic and --application-id of its own "
                    + "(if that champion is the mistake, 'publish --replace-misfit-champion' a model that fits)");
        }
    }

    private ScorerApp(ScorerConfig config, ModelBundle initial, Options options) throws Exception {
        failures = new ThreadFailures(System::currentTimeMillis, config.streamThreads(), initial.family().keepsState()
                ? config.topics().input() + " and " + config.topics().labels() : config.topics().input());
        BrokerCheck.await(config.clientProperties(), BrokerCheck.DEFAULT_TIMEOUT);
        if (options.partitions() > 0) {
            TopicSetup.ensure(config.clientProperties(), config.topics(), options.partitions(),
                    TopicSetup.optional(config.topics(), initial.family()));
        }
        String noShadow = AccessCheck.forScorer(config, initial.family(), options.partitions() == 0,
                options.accessCheck());
        refuseMisfitChampion(config, initial, options.trustedKeys());
        String retention = TopicSetup.modelTopicRetention(config.clientProperties(), config.topics().models());
        if (retention != null) {
            LOG.warn(retention);
        }
        // the application id's stores were built for this model's family and delay; the input reaches the card's task
        TopicSetup.checkState(config.clientProperties(), config.topics(),
                config.streamsProperties().getProperty(org.apache.kafka.streams.StreamsConfig.APPLICATION_ID_CONFIG),
                initial, config.inputKeyedByCard());
        if (!initial.family().keepsState()) { // one task per input partition: their spread over threads matters
            warnIfUnbalanced(config);
        }
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(prometheus);
        metrics = new ScorerMetrics(prometheus, options.monitoring());
        registry = new ModelRegistry(initial, options.trustedKeys());
        if (noShadow != null) {
            // A shadow record the scorer cannot write would fail the stream thread's transaction: refuse challengers.
            registry.refuseChallengers(noShadow);
            LOG.warn("challengers will be refused: {}", noShadow);
        }
        if (options.trustedKeys() == null) {
            LOG.warn("models are not authenticated (no --trusted-keys): any model file that passes its checksum is "
                    + "served, whoever wrote it to {}", config.topics().models());
        } else {
            LOG.info("models must be signed by one of {}", options.trustedKeys().describe());
        }
        metrics.serving(initial);
        registry.addListener(metrics);
        registry.addListener(metrics.shadow());
        watcher = new ModelWatcher(config.clientProperties(), config.topics().models(), registry,
                servedModelFile(config)).start();
        KafkaStreams created = null;
        HealthServer bound = null;
        try {
            if (!watcher.awaitCaughtUp(Duration.ofSeconds(30))) {
                LOG.warn("model topic not read within 30 s; starting with model {}", registry.current().modelVersion());
            }
            Gauge.builder("fraud.model.watcher.up", watcher, w -> w.failure() == null ? 1 : 0)
                    .description("1 while the model topic is followed; 0 while reading it fails (retried; the current "
                            + "model keeps serving)").register(prometheus);
            Topology topology = FraudTopology.build(new StreamsBuilder(), config, registry, metrics);
            created = new KafkaStreams(topology, config.streamsProperties());
            streams = created;
            streams.setUncaughtExceptionHandler(failures);
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.PENDING_ERROR) {
                    stopped.countDown();
                }
            });
            streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(prometheus);
            Gauge.builder("fraud.streams.running", streams, st -> st.state().isRunningOrRebalancing() ? 1 : 0)
                    .description("1 while the Kafka Streams client runs").register(prometheus);
            // Bound before the stream starts: a port in use fails the start-up before anything joins the group.
            bound = options.metricsPort() >= 0 ? new HealthServer(options.metricsHost(), options.metricsPort(),
                    prometheus, this::health) : null;
            server = bound;
            LOG.info("starting scorer: model {} (sha256 {}), inference kernels {}, topics {}, properties {}",
                    registry.current().modelVersion(), registry.current().sha256(), Simd.description(), config.topics(),
                    ScorerConfig.describe(config.streamsProperties()));
            streams.start();
            brokerWatch = BrokerWatch.start(config.clientProperties());
            Gauge.builder("fraud.broker.reachable", brokerWatch, w -> w.unreachableSince() == null ? 1 : 0)
                    .description("0 while the cluster has not answered the scorer for 15 s or more (it retries on its "
                            + "own; decisions wait)").register(prometheus);
        } catch (Exception | Error e) {
            // Nothing started here may outlive a failed start: no watcher thread, no client in the group, no port.
            if (bound != null) {
                bound.close();
            }
            if (created != null) {
                created.close(Duration.ofSeconds(10));
            }
            watcher.close();
            throw e;
        }
    }

    public static ScorerApp start(ScorerConfig config, ModelBundle initial, Options options) throws Exception {
        return new ScorerApp(config, initial, options);
    }

    private HealthServer.Health health() {
        KafkaStreams.State s = streams.state();
        ModelBundle champion = registry.current(); // read once: a swap between two reads would mix two models
        BrokerWatch b = brokerWatch;
        java.time.Instant silent = b == null ? null : b.unreachableSince();
        return health(s, champion, registry.challenger(), watcher.failure(), failures.recent(),
                silent == null ? null : new BrokerSilence(silent, b.lastReason()));
    }

    /** The cluster has not answered since {@code since} ({@link BrokerWatch}); the last question failed so. */
    record BrokerSilence(java.time.Instant since, String reason) {
    }

    static HealthServer.Health health(KafkaStreams.State s, ModelBundle champion, ModelBundle challenger,
                                      String watcherFailure, ThreadFailures.Recent failures) {
        return health(s, champion, challenger, watcherFailure, failures, null);
    }

    /**
     * {@code /health}: UP while the stream runs or rebalances, DOWN (HTTP 503) otherwise, and DEGRADED (HTTP 200,
     * still running) while a stream thread failed and was replaced within the last 5 minutes: it may be failing on
     * every record it reaches (the scorer stops by itself at the 4th such episode). A one-off failure, a broker that
     * went away mid-transaction, also shows for those minutes; the body says which ({@code lastThreadFailure}). Also
     * DEGRADED while the cluster has not answered for 15 s ({@code brokerUnreachableSince}): Kafka Streams stays
     * RUNNING through an outage, deciding nothing.
     */
    static HealthServer.Health health(KafkaStreams.State s, ModelBundle champion, ModelBundle challenger,
                                      String watcherFailure, ThreadFailures.Recent failures, BrokerSilence silence) {
        boolean running = s.isRunningOrRebalancing();
        String status = !running ? "DOWN" : failures.episodes() > 0 || silence != null ? "DEGRADED" : "UP";
        // model versions come from model files: any text but blank, so quoted like the watcher's error
        String body = String.format("{\"status\":\"%s\",\"streamsState\":\"%s\",\"modelVersion\":%s,\"modelSha256\":\"%s\","
                        + "\"challengerVersion\":%s,\"modelWatcherError\":%s,\"threadFailureEpisodes\":%d,"
                        + "\"lastThreadFailure\":%s,\"brokerUnreachableSince\":%s,\"brokerError\":%s}",
                status, s, jsonString(champion.modelVersion()), champion.sha256(),
                jsonString(challenger == null ? null : challenger.modelVersion()), jsonString(watcherFailure),
                failures.episodes(), jsonString(failures.lastFailure()),
                jsonString(silence == null ? null : silence.since().toString()),
                jsonString(silence == null ? null : silence.reason()));
        return new HealthServer.Health(running, body);
    }

    /** A JSON string literal of {@code text}, or {@code null}. */
    static String jsonString(String text) {
        return text == null ? "null"
                : "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    /** Blocks until the stream is RUNNING (or the timeout passes). */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /**
     * Blocks until the Kafka Streams client stops on its own (a failure it did not recover from) and returns the
     * reason in one line; returns null when interrupted first (e.g. by a normal shutdown).
     */
    public String awaitFailure() throws InterruptedException {
        stopped.await();
        String r = failures.reason();
        return r != null ? r : "Kafka Streams stopped in state " + streams.state();
    }

    /** Without waiting: why the Kafka Streams client stopped on its own, in one line, or null while it has not. */
    public String failureReason() {
        if (stopped.getCount() > 0) {
            return null;
        }
        String r = failures.reason();
        return r != null ? r : "Kafka Streams stopped in state " + streams.state();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public ModelRegistry registry() {
        return registry;
    }

    public ScorerMetrics metrics() {
        return metrics;
    }

    public PrometheusMeterRegistry prometheus() {
        return prometheus;
    }

    public int metricsPort() {
        return server == null ? -1 : server.port();
    }

    /**
     * Stops this instance and leaves the consumer group at once, so the remaining instances take over its
     * partitions in a rebalance right away. (Kafka Streams' default close stays in the group: its partitions would
     * go unprocessed until the broker expires the session, 45 s by default.) Only the first call does it: a scorer
     * stopped after a failure may be closed again by the shutdown hook of a SIGTERM.
     */
    /** How long {@link #close} waits for the stream threads to stop and leave the group. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private volatile boolean closedInTime = true;

    /** Whether {@link #close} saw Kafka Streams stop within {@link #CLOSE_TIMEOUT} (true before it is closed). */
    public boolean closedInTime() {
        return closedInTime;
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closedInTime = streams.close(CloseOptions.groupMembershipOperation(
                CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(CLOSE_TIMEOUT));
        watcher.close();
        if (brokerWatch != null) {
            brokerWatch.close();
        }
        streamsMetrics.close();
        if (server != null) {
            server.close();
        }
    }
}
