package org.fraudscorer.scorer.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.TrustedKeys;
import org.fraudscorer.scorer.app.AccessCheck;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.scorer.app.TopicSetup;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.server.ModelMonitoring;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./fraud scorer --bootstrap-servers host:9092 --model model.json}: run a scorer instance against any
 * cluster until stopped (Ctrl-C or SIGTERM close it cleanly).
 */
@Command(name = "scorer", mixinStandardHelpOptions = true,
        description = "Run the Kafka Streams scorer: transactions → flagged / clean / dead-letter topics.")
public final class ScorerCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;
    @Mixin
    TopicOptions topics;
    @Option(names = "--model", required = true, description = "Start-up model file (newer versions arrive on the model topic).")
    Path model;
    @Option(names = "--state-dir", defaultValue = "fraud-state", description = "Kafka Streams state (the raw-event"
            + " card and terminal stores, checkpoints) and the model last served from the model topic,"
            + " under the working directory unless absolute; a state.dir property wins. Defaults to ${DEFAULT-VALUE}.")
    Path stateDir;
    @Option(names = "--trusted-keys", paramLabel = "DIR|FILE", description = "Serve only models signed by one of these "
            + "Ed25519 public keys (a directory of *.pub files, or one file of PEM public keys): an unsigned model, one "
            + "signed by another key or one whose signature does not match is refused, at start-up and on the model "
            + "topic. Without it models are not authenticated.")
    Path trustedKeys;
    @Option(names = "--application-id", defaultValue = ScorerConfig.DEFAULT_APPLICATION_ID,
            description = "Kafka Streams application id: instances sharing it share the work. Defaults to ${DEFAULT-VALUE}.")
    String applicationId;
    @picocli.CommandLine.Mixin
    LatencyOptions latencyOptions;
    @Option(names = "--metrics-port", defaultValue = "9464", description = "HTTP port of /metrics and /health (-1 = off). Defaults to ${DEFAULT-VALUE}.")
    int metricsPort;
    @Option(names = "--metrics-host", defaultValue = "127.0.0.1", description = "Interface of the metrics server (0.0.0.0 to expose). Defaults to ${DEFAULT-VALUE}.")
    String metricsHost;
    @Option(names = "--create-topics", defaultValue = "auto", paramLabel = "N|auto", description = "Create missing "
            + "topics with this many partitions and the cluster's default replication (0 = never create; auto = the "
            + "least multiple of the stream threads that is at least 3, so that every thread gets as many). Defaults to "
            + "${DEFAULT-VALUE}.")
    String createTopics;
    @Option(names = "--access-check", defaultValue = "refuse", paramLabel = "refuse|warn|off", description = "On a "
            + "cluster with ACLs, what a grant the scorer's client lacks does (docs/secured-cluster.md): refuse to "
            + "start, naming it; warn and start; or do not ask. Defaults to ${DEFAULT-VALUE}.")
    String accessCheckMode;
    @Option(names = "--top-features", defaultValue = "3", description = "Contributing features listed in flagged records. Defaults to ${DEFAULT-VALUE}.")
    int topFeatures;
    @Option(names = "--max-event-bytes", defaultValue = "16384", description = "Larger events go to the dead-letter topic. Defaults to ${DEFAULT-VALUE}.")
    int maxEventBytes;
    @Option(names = "--max-clock-skew-ms", defaultValue = "300000", description = "Records stamped further in the future go to the dead-letter topic (0 = no check). Defaults to ${DEFAULT-VALUE}.")
    long maxClockSkewMs;
    @Option(names = "--max-event-age-ms", defaultValue = "0", description = "Records stamped longer ago go to the dead-letter topic (0 = no check, e.g. for replays of history). Defaults to ${DEFAULT-VALUE}.")
    long maxEventAgeMs;
    @Option(names = "--duplicate-window-ms", defaultValue = "86400000", description = "Raw events: a payment whose"
            + " TRANSACTION_ID was already taken with a TX_DATETIME within this much of its own goes to the dead-letter"
            + " topic (DUPLICATE_EVENT) instead of being counted and scored twice (0 = no check; at most 30 days)."
            + " Defaults to ${DEFAULT-VALUE} (a day).")
    long duplicateWindowMs;
    @Option(names = "--clean-records", defaultValue = "full", description = "full: clean records keep the input event,"
            + " as flagged records do; compact: clean records carry the decision and its provenance only (id, probability,"
            + " threshold, decision, model version and checksum, times), keyed like the input, which keeps the event."
            + " Defaults to ${DEFAULT-VALUE}.")
    CleanRecords cleanRecords;
    @Option(names = "--input-keyed-by-card", description = "Raw events: the input is keyed by card (CUSTOMER_ID as"
            + " decimal text, as ./fraud produce, backfill and demo send it), so the card stage reads the input's"
            + " partitions directly instead of repartitioning by card: one exactly-once commit less per decision. An"
            + " event keyed otherwise goes to the dead-letter topic (KEY_NOT_CARD). Switching it on or off for an"
            + " application id with stored histories needs a fresh application id and a backfill (docs/latency.md).")
    boolean inputKeyedByCard;

    @Option(names = "--monitor-window", paramLabel = "EVENTS", defaultValue = "10000", description = "Scored events in"
            + " the sliding window of the drift (PSI) and flag-rate gauges; PSI is reported once the window holds"
            + " min(1000, EVENTS). Defaults to ${DEFAULT-VALUE}.")
    int monitorWindow;
    @Option(names = "--monitor-labels", paramLabel = "EVENTS", defaultValue = ""
            + org.fraudscorer.scorer.server.ModelMonitoring.Windows.DEFAULT_LABELLED, description = "Labelled events"
            + " in the sliding window of the live precision and recall gauges. Defaults to ${DEFAULT-VALUE}.")
    int monitorLabels;
    @Option(names = "--monitor-decisions", paramLabel = "N", defaultValue = "262144", description = "Decisions each"
            + " instance remembers (about 35 bytes each) for labels to match; a label for an older one is counted"
            + " as unknown. Defaults to ${DEFAULT-VALUE}.")
    int monitorDecisions;

    /** Values of {@code --clean-records}; picocli refuses any other with a usage error (exit 2). */
    enum CleanRecords { full, compact }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** {@code --access-check}: refuse, warn or off. */
    static AccessCheck.Mode accessCheck(String mode) {
        for (AccessCheck.Mode m : AccessCheck.Mode.values()) {
            if (m.name().equalsIgnoreCase(mode)) {
                return m;
            }
        }
        throw new IllegalArgumentException("--access-check must be refuse, warn or off, got '" + mode + "'");
    }

    /** The partitions of {@code --create-topics}: a count ≥ 0, or auto (the least multiple of the threads ≥ 3). */
    static int partitions(String createTopics, int streamThreads) {
        if (createTopics.trim().equalsIgnoreCase("auto")) {
            return TopicSetup.autoPartitions(streamThreads);
        }
        try {
            int n = Integer.parseInt(createTopics.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("--create-topics must be a partition count ≥ 0 (0 = never create) or "
                + "auto, got '" + createTopics + "'");
    }

    /** A TCP port to listen on: 0 (any free one) to 65535, or -1 (none) where {@code offAllowed}. */
    public static boolean isPort(int port, boolean offAllowed) {
        return (port >= 0 && port <= 65_535) || (offAllowed && port == -1);
    }

    /**
     * The model a started scorer serves, for its start-up line: the model topic's champion, once read, serves in place
     * of the {@code --model} file, so the line names it (it named the file).
     *
     * @param keyId the key that signed {@code initial}, or null when models are not authenticated
     */
    static String servingText(ModelBundle serving, ModelBundle initial, String modelTopic, String keyId) {
        if (serving.sha256().equals(initial.sha256())) {
            return "model " + initial.modelVersion() + (keyId == null ? " (models not authenticated: no --trusted-keys)"
                    : " (signed by key " + keyId + ", verified)");
        }
        return "model " + serving.modelVersion() + ", the champion of " + modelTopic + ", in place of --model "
                + initial.modelVersion() + (keyId == null ? " (models not authenticated: no --trusted-keys)"
                : " (signed by a trusted key)");
    }

    /**
     * Why {@code dir} cannot be the state directory, or null: a file of its name, or a place where nothing can be
     * made (under a file, a read-only or special file system). Nothing is left behind: a file is made and deleted in
     * the directory, or in its nearest existing parent.
     */
    static String directoryProblem(Path dir) {
        if (java.nio.file.Files.exists(dir) && !java.nio.file.Files.isDirectory(dir)) {
            return "is a file, not a directory";
        }
        Path existing = dir.toAbsolutePath();
        while (existing != null && !java.nio.file.Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return null; // left to Kafka Streams
        }
        String verb = existing.equals(dir.toAbsolutePath()) ? "cannot be written" : "cannot be created";
        if (!java.nio.file.Files.isDirectory(existing)) {
            return verb + ": " + existing + " is a file";
        }
        try {
            java.nio.file.Files.delete(java.nio.file.Files.createTempFile(existing, ".fraud-state-check-", ".tmp"));
            return null;
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            // a FileSystemException's message is the probe's own file name: its reason, if any, is what says why
            String reason = e instanceof java.nio.file.FileSystemException f ? f.getReason() : e.getMessage();
            return verb + ": no file can be made in " + existing + " (" + e.getClass().getSimpleName()
                    + (reason == null ? "" : ": " + reason) + ")";
        }
    }

    @Override
    public Integer call() throws Exception {
        latencyOptions.check();
        if (!isPort(metricsPort, true)) { // checked before the cluster is touched: a typo must not create topics
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--metrics-port must be a port from 0"
                    + " (any free port) to 65535, or -1 for no metrics server, got " + metricsPort);
        }
        ModelMonitoring.Windows monitoring;
        try {
            monitoring = new ModelMonitoring.Windows(monitorWindow, Math.max(1, Math.min(1000, monitorWindow)),
                    monitorLabels, monitorDecisions);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        TrustedKeys trusted = trustedKeys == null ? null : TrustedKeys.loadForScorer(trustedKeys);
        ModelFile.Loaded loaded = trusted == null ? ModelFile.load(model) : ModelFile.loadTrusted(model, trusted);
        ModelBundle initial = loaded.bundle();
        java.util.Properties props = latencyOptions.under(kafka.kafka());
        props.putIfAbsent("application.id", applicationId);
        props.putIfAbsent("processing.guarantee", latencyOptions.guarantee());
        boolean idProperty = !applicationId.equals(props.get("application.id"));
        boolean stateDirProperty = props.containsKey("state.dir");
        props.putIfAbsent("state.dir", stateDir.toAbsolutePath().toString());
        ScorerConfig config;
        int partitions;
        AccessCheck.Mode accessCheck;
        try {
            String idProblem = ScorerConfig.applicationIdProblem(String.valueOf(props.get("application.id")));
            if (idProblem != null) { // Kafka Streams said it by failed stream threads once it ran, exit 1
                throw new IllegalArgumentException((idProperty ? "application.id (--config or -p)"
                        : "--application-id") + ": " + idProblem);
            }
            Path state = Path.of(props.getProperty("state.dir"));
            String problem = directoryProblem(state);
            if (problem != null) { // Kafka Streams said it once a raw-event scorer had reached the cluster, exit 1
                throw new IllegalArgumentException((stateDirProperty ? "state.dir " + state + " (--config or -p)"
                        : "--state-dir " + state) + " " + problem);
            }
            config = new ScorerConfig(topics.topics(), props, maxEventBytes, topFeatures, maxClockSkewMs,
                    maxEventAgeMs).withCompactClean(cleanRecords == CleanRecords.compact)
                    .withInputKeyedByCard(inputKeyedByCard).withDuplicateWindowMs(duplicateWindowMs);
            partitions = partitions(createTopics, config.streamThreads());
            accessCheck = accessCheck(accessCheckMode);
            if (!initial.family().keepsState()) { // they were ignored: a creditcard scorer keeps no card history
                for (String rawOnly : new String[] {"--input-keyed-by-card", "--duplicate-window-ms"}) {
                    if (spec.commandLine().getParseResult().hasMatchedOption(rawOnly)) {
                        throw new IllegalArgumentException(rawOnly + " goes with a raw-event model; model "
                                + initial.modelVersion() + " reads " + initial.family().description());
                    }
                }
            }
        } catch (IllegalArgumentException e) { // a bad option value (or -p num.stream.threads): a usage error
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ScorerApp app = ScorerApp.start(config, initial, new ScorerApp.Options(metricsHost, metricsPort, partitions,
                trusted, monitoring, accessCheck));
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            main.interrupt();
            try {
                app.close();
                if (!app.closedInTime()) { // its threads still run: the exit would be no clean stop
                    throw new IllegalStateException("Kafka Streams did not stop within "
                            + ScorerApp.CLOSE_TIMEOUT.toSeconds() + " s");
                }
            } catch (Exception e) {
                StopSignal.failedToStop("the scorer", e);
            }
        }, "scorer-shutdown"));
        StopSignal.exitZeroOnTerm(); // a stop asked for by SIGTERM is a clean exit, 0, once the hook has closed
        System.err.println("scorer running: " + servingText(app.registry().current(), initial, config.topics().models(),
                trusted == null ? null : loaded.authenticity().keyId()) + ", input " + config.topics().input()
                + (app.metricsPort() > 0 ? ", metrics http://" + metricsHost + ":" + app.metricsPort() + "/metrics" : "")
                + " (Ctrl-C to stop)");
        String failure;
        try {
            failure = app.awaitFailure();
        } catch (InterruptedException stopping) {
            return 0; // SIGTERM or Ctrl-C: the shutdown hook closes the scorer, leaving the group (exit 0 / 130)
        }
        app.close();
        throw new IllegalStateException("scorer stopped: " + failure);
    }

    /** Entry point for running a scorer alone (the tests start it in a child JVM to kill it abruptly). */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line {@link #main} runs, with the product's one-line error handling ({@link CliErrors}). */
    public static CommandLine commandLine() {
        return CliErrors.install(new CommandLine(new ScorerCommand()));
    }
}
