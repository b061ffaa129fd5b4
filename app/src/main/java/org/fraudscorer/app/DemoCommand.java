package org.fraudscorer.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerConfig;
import java.net.URI;
import org.fraudscorer.app.console.AnalystConsole;
import org.fraudscorer.app.console.ConsoleConfig;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.devkafka.EmbeddedKafkaBroker;
import org.fraudscorer.devkafka.TempDir;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.scorer.app.TopicSetup;
import org.fraudscorer.scorer.cli.ScorerCommand;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fraud demo [--data file]}: the whole product on one machine with Java and Maven only. Without data it
 * streams simulated raw payment events with label feedback ({@link RawDemo}); a creditcard.csv-format file streams
 * creditcard events, a handbook-format file raw events. Starts a
 * real Kafka broker in this JVM, trains (or loads) a model, runs the scorer (exactly-once), streams the
 * transactions the model never saw at a fixed rate with a sprinkle of malformed events, and shows a live view
 * of throughput, decisions, dead letters, end-to-end latency and running precision/recall, then a summary that
 * checks input = flagged + clean + dead letters ({@link DemoView}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "One-command demo: embedded Kafka broker, model, scorer, live stream and live view.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--data", description = "File to train on and stream: creditcard.csv format (e.g. Kaggle's"
            + " creditcard.csv, or a sample of it) or raw payment events (handbook format, told from the header)."
            + " Default: the seeded transaction simulator.")
    Path data;
    @Option(names = "--model", description = "Use this model file instead of training one.")
    Path model;
    @Option(names = "--rate", defaultValue = "500", description = "Events per second. Defaults to ${DEFAULT-VALUE}.")
    double rate;
    @Option(names = "--duration", defaultValue = "30", description = "Seconds of streaming. Defaults to ${DEFAULT-VALUE}.")
    int duration;
    @Option(names = "--bad-ratio", defaultValue = "0.01", description = "Share of malformed events mixed in (they must reach the dead-letter topic). Defaults to ${DEFAULT-VALUE}.")
    double badRatio;
    @Option(names = "--epochs", defaultValue = "20", description = "Training epochs when no --model is given. Defaults to ${DEFAULT-VALUE}.")
    int epochs;
    @Option(names = "--seed", defaultValue = "42", description = "Defaults to ${DEFAULT-VALUE}.")
    long seed;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @picocli.CommandLine.Mixin
    org.fraudscorer.scorer.cli.LatencyOptions latency;
    @Option(names = {"--property", "-p"}, paramLabel = "KEY=VALUE", description = "A Kafka Streams property of the"
            + " demo's scorer, over --profile's (repeatable). For example -p commit.interval.ms=50. The broker address,"
            + " application id, state directory and guarantee (--guarantee) are the demo's own.")
    Map<String, String> properties = new LinkedHashMap<>();
    @Option(names = "--input-keyed-by-card", description = "Raw events: the scorer reads the input as keyed by card"
            + " and skips the repartition by card (see 'fraud scorer --help').")
    boolean inputKeyedByCard;
    @Option(names = "--metrics-port", defaultValue = "0", description = "Port of /metrics and /health (0 = any free port). Defaults to ${DEFAULT-VALUE}.")
    int metricsPort;
    @Option(names = "--console-port", defaultValue = "0", description = "Port of the analyst console on 127.0.0.1 (0 = any free port). Defaults to ${DEFAULT-VALUE}.")
    int consolePort;
    @Option(names = "--linger", defaultValue = "0", description = "Seconds to keep the broker, scorer and console up after the summary, to review alerts. Defaults to ${DEFAULT-VALUE}.")
    int linger;

    /** Sends events until told to stop; counts what it sent. */
    interface ProducerTask {
        void produce(String bootstrap, AtomicBoolean running, AtomicLong produced) throws Exception;
    }

    @Override
    public Integer call() throws Exception {
        latency.check();
        for (String key : OWN_PROPERTIES) {
            if (properties.containsKey(key)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "-p " + key + " cannot be set: the"
                        + " demo sets it itself" + (key.equals(GUARANTEE) ? " (use --guarantee)" : ""));
            }
        }
        Properties given = new Properties();
        given.putAll(properties);
        given.put("bootstrap.servers", "localhost:9092"); // the demo's own broker: only the -p values are checked
        // a usage error (exit 2) before the training (it was exit 1 after it)
        org.fraudscorer.scorer.cli.KafkaOptions.requireUsable(spec, given, "-p");
        String bad = !(rate > 0) || Double.isInfinite(rate) ? "--rate must be a number > 0, got " + rate // NaN too
                : duration <= 0 ? "--duration must be > 0, got " + duration
                : !(badRatio >= 0 && badRatio <= 0.5) ? "--bad-ratio must be in [0, 0.5], got " + badRatio
                : linger < 0 ? "--linger must be ≥ 0, got " + linger
                : epochs < 1 ? "--epochs must be ≥ 1, got " + epochs : null;
        if (bad != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), bad);
        }
        if (!ScorerCommand.isPort(metricsPort, false) || !ScorerCommand.isPort(consolePort, false)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--metrics-port and --console-port "
                    + "must be ports from 0 (any free port) to 65535, got " + metricsPort + " and " + consolePort);
        }
        PrintStream out = System.out;
        // Without data the demo simulates raw payment events.
        AppFamily family = data == null ? AppFamily.of(EventFamily.RAW_EVENTS) : AppFamily.forData(data);
        AppFamily.DemoStream stream = family.demo(this, out);
        return serve(out, stream.model(), stream.ledger(), stream.what(), stream.task());
    }

    private static final String GUARANTEE = "processing.guarantee";
    /** What the demo sets itself: its broker, its throwaway application and state, and the guarantee it checks. */
    private static final List<String> OWN_PROPERTIES = List.of("bootstrap.servers", "application.id", "state.dir",
            GUARANTEE);

    /**
     * The demo scorer's Kafka properties: the profile's for {@code --guarantee}, under the user's {@code -p} (as the
     * scorer command layers them), under what the demo sets itself.
     */
    Properties scorerProperties(String bootstrap, Path stateDir) {
        Properties user = new Properties();
        user.putAll(properties); // without processing.guarantee (refused): the profile follows --guarantee
        Properties kafka = latency.under(user);
        kafka.put("bootstrap.servers", bootstrap);
        kafka.put("application.id", "fraud-demo");
        kafka.put("state.dir", stateDir.toString());
        kafka.put(GUARANTEE, latency.guarantee());
        return kafka;
    }

    /**
     * The demo's topics' partitions: 3, the layout every raw-event figure was measured with; for creditcard events,
     * whose scorer runs one task per input partition, the least multiple of the stream threads from 3 up (4 on 2
     * cores), so that no thread serves more partitions than another (docs/latency.md).
     */
    static int partitions(ModelBundle bundle, ScorerConfig config) {
        if (bundle.family().keepsState()) {
            return 3;
        }
        return TopicSetup.autoPartitions(config.streamThreads()); // as the scorer's --create-topics auto
    }

    /**
     * Loggers whose WARN lines say what the demo does on purpose, raised to ERROR in the demo's JVM (unless the
     * user's logging configuration set them):
     * <ul>
     *   <li>Kafka Streams' {@code StateDirectory} warns that a state directory under {@code java.io.tmpdir} "can be
     *       cleared by the OS": right for a scorer, whose stores must outlive it (the scorer's own default is under
     *       the working directory), but the demo's stores sit in a temporary directory on purpose, removed when it
     *       ends;</li>
     *   <li>the embedded broker's {@code QuorumController} warns, on every first start, that its metadata log is empty
     *       and it appends the bootstrap records: the demo's broker is new every time;</li>
     *   <li>its {@code DefaultAutoTopicCreationManager} warns, now and then, that the internal
     *       {@code __transaction_state} topic "already exists": two transactional clients asked for it at once on
     *       the new broker, and the second found it made (seen in a user check, 2026-12-07).</li>
     * </ul>
     */
    static final List<String> EXPECTED_WARNINGS = List.of(
            "org.apache.kafka.streams.processor.internals.StateDirectory",
            "org.apache.kafka.controller.QuorumController",
            "org.apache.kafka.server.DefaultAutoTopicCreationManager");

    static void quietExpectedWarnings() {
        LoggingSettings.quietUnlessSet(EXPECTED_WARNINGS);
        LoggingSettings.quietTransactionRetries();
    }

    private int serve(PrintStream out, ModelBundle bundle, DemoLedger ledger, String what, ProducerTask task)
            throws Exception {
        out.println("Starting a Kafka broker (KRaft, in this JVM)...");
        // Closed in reverse order: scorer, broker, then the directory holding the broker's log and the state.
        quietExpectedWarnings();
        try (OnStop stop = new OnStop();
             TempDir temp = stop.add(TempDir.create("fraud-demo"));
             EmbeddedKafkaBroker broker = stop.add(EmbeddedKafkaBroker.start(temp.dir("broker"), 0))) {
            Properties kafka = scorerProperties(broker.bootstrapServers(), temp.dir("streams"));
            ScorerConfig config = new ScorerConfig(Topics.defaults(), kafka, 16384, 3)
                    .withInputKeyedByCard(inputKeyedByCard);
            try (ScorerApp app = stop.add(ScorerApp.start(config, bundle, new ScorerApp.Options("127.0.0.1",
                    metricsPort, partitions(bundle, config))))) {
                if (!app.awaitRunning(Duration.ofSeconds(60))) {
                    String why = app.failureReason();
                    throw new IllegalStateException("the scorer did not start within 60 s ("
                            + (why != null ? why : "Kafka Streams in state " + app.streams().state()) + ")");
                }
                String metrics = "http://127.0.0.1:" + app.metricsPort() + "/metrics";
                out.printf(Locale.ROOT, "Broker %s, scorer running (%s%s), metrics %s%n", broker.bootstrapServers(),
                        latency.guarantee().equals("at_least_once") ? "at-least-once" : "exactly-once",
                        config.inputKeyedByCard() ? ", input keyed by card" : "", metrics);
                Properties connection = new Properties();
                connection.put("bootstrap.servers", broker.bootstrapServers());
                try (AnalystConsole console = stop.add(AnalystConsole.start(new ConsoleConfig(connection,
                        config.topics().flagged(), config.topics().labels(), "fraud-demo-console",
                        ConsoleConfig.DEFAULT_HOST, consolePort, null, URI.create(metrics), 500)))) {
                    out.println("Analyst console: " + console.url() + "  (open it to review the alerts live)");
                    out.printf(Locale.ROOT, "Streaming %s at %.0f/s for %d s, %.1f%% malformed...%n%n",
                            what, rate, duration, 100 * badRatio);
                    int exit = DemoView.run(out, broker.bootstrapServers(), task, duration, config.topics(), bundle,
                            ledger);
                    if (exit == DemoView.STOPPED || Thread.interrupted()) {
                        // Ctrl-C or SIGTERM (also just after the view): the hook waits for this thread to close the
                        // rest, with the interrupt cleared so that no close is cut short
                        return DemoView.STOPPED;
                    }
                    String failed = app.failureReason();
                    if (failed != null) { // the view's mismatch has a cause: say it
                        out.println("  the scorer stopped: " + failed);
                        exit = 1;
                    }
                    if (linger > 0) {
                        out.printf(Locale.ROOT, "%nThe console stays up for %d s at %s (Ctrl-C to stop).%n", linger, console.url());
                        Thread.sleep(linger * 1000L);
                    }
                    return exit;
                }
            }
        } catch (InterruptedException stopping) { // Ctrl-C or SIGTERM while starting or lingering: closed in order
            return DemoView.STOPPED;
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof InterruptedException) { // a start-up step's "interrupted while ...": a stop
                return DemoView.STOPPED;
            }
            throw e;
        }
    }

    /**
     * Stops the demo in order when the JVM is stopped (Ctrl-C, SIGTERM). Its hook interrupts the demo's thread, which
     * stops the producer (while the broker is still up: it used to keep sending into a closing broker, a screen of
     * producer warnings) and closes the scorer, the broker and the temporary directory in its try-with-resources; the
     * hook waits for that, up to the scorer's close timeout and a margin, then closes what is still open, last first
     * (the directory, 25-50 MB, was left behind each time before; found by a helper session). Closed normally, it only
     * removes its hook. The exit code stays the JVM's (130 for Ctrl-C, 143 for SIGTERM): a stopped demo did not
     * finish its exactly-once check, unlike a scorer asked to stop, which did all it had to (exit 0).
     */
    private static final class OnStop implements AutoCloseable {
        private static final long WAIT_MS = ScorerApp.CLOSE_TIMEOUT.toMillis() + 30_000;
        private final java.util.Deque<AutoCloseable> open = new java.util.concurrent.ConcurrentLinkedDeque<>();
        private final Thread demo = Thread.currentThread();
        private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        private final Thread hook = new Thread(this::stop, "demo-shutdown");

        OnStop() {
            Runtime.getRuntime().addShutdownHook(hook);
        }

        private void stop() {
            demo.interrupt();
            try {
                closed.await(WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeAll();
        }

        <T extends AutoCloseable> T add(T resource) {
            open.push(resource);
            return resource;
        }

        private void closeAll() {
            for (AutoCloseable c = open.poll(); c != null; c = open.poll()) {
                try {
                    c.close();
                } catch (Exception e) {
                    // stopping: the rest (last of all the directory) still goes
                }
            }
        }

        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is stopping: the hook runs, and finds everything closed
            }
            open.clear();
            closed.countDown();
        }
    }

    /** The TRANSACTION_ID of a raw event as the scorer reports it (the number as written). */
    static String transactionId(ObjectMapper json, byte[] value) {
        try {
            return json.readTree(value).path("TRANSACTION_ID").asText(null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Properties producerConfig(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        return p;
    }
}
