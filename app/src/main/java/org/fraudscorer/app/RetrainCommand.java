package org.fraudscorer.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.SigningKey;
import org.fraudscorer.common.model.TrustedKeys;
import org.fraudscorer.common.text.Counted;
import org.fraudscorer.scorer.app.BrokerCheck;
import org.fraudscorer.scorer.cli.CliErrors;
import org.fraudscorer.scorer.cli.PublishCommand;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.trainer.cli.GivenOptions;
import org.fraudscorer.trainer.cli.NetworkOptions;
import org.fraudscorer.trainer.cli.Outputs;
import org.fraudscorer.trainer.cli.ProcedureOptions;
import org.fraudscorer.trainer.data.RawEventCsv;
import org.fraudscorer.trainer.events.EventPeriod;
import org.fraudscorer.trainer.report.ConsoleReport;
import org.fraudscorer.trainer.retrain.Challenge;
import org.fraudscorer.trainer.retrain.ChallengerGate;
import org.fraudscorer.trainer.retrain.RetrainDecision;
import org.fraudscorer.trainer.retrain.WindowMetrics;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./fraud retrain}: a challenger from what the system saw, published only if the gate holds against the
 * champion.
 * <pre>
 *   ./fraud retrain -b kafka:9092 --from 2018-04-01 --min-gain 0.01 --signing-key keys/ops.key --report retrain.json
 *   ./fraud retrain --data archive.csv --champion models/model.json --dry-run --report retrain.json
 * </pre>
 * Reads payments and labels from the input and labels topics (raw events, or creditcard rows with
 * {@code --family creditcard}: only the labelled ones, joined by id) or an archive file (handbook CSV or creditcard CSV),
 * trains with the trainer's procedure, scores the challenger and the champion ({@code --champion}, or the latest
 * model on the model topic) on the latest labelled window, and publishes the challenger to the model topic when
 * {@link ChallengerGate} holds (its criteria, each set by an option here: {@link #gate()}): as champion, or with
 * {@code --as challenger} under the challenger's key, to be shadow-scored (by {@code publish}'s own send). The JSON
 * report is written either way ({@link RetrainDecision}), and a refusal exits 0. A failure writes it with the reason,
 * exits 1 and publishes nothing, but for a report that cannot be written after publishing: exit 1 with a line saying
 * the model was published. See docs/operations.md.
 */
@Command(name = "retrain", mixinStandardHelpOptions = true,
        description = "Train a challenger on recent payments and labels (Kafka topics or an archive file), compare it "
                + "with the serving champion on the latest labelled window, and publish it only if the gate holds.")
public final class RetrainCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "FILE", description = "Archive instead of the topics: handbook-format raw "
            + "events (with TX_FRAUD) or creditcard.csv rows (told from the header).")
    Path data;
    @Option(names = {"--bootstrap-servers", "-b"}, description = "Kafka bootstrap servers (wins over --kafka-config "
            + "and -p). Defaults to the bootstrap.servers of --kafka-config or -p, else $KAFKA_BOOTSTRAP_SERVERS, else "
            + "localhost:9092.")
    String bootstrapServers;
    @Option(names = "--kafka-config", paramLabel = "FILE", description = "Properties file of Kafka client settings (e.g. security.protocol=SASL_SSL).")
    Path kafkaConfig;
    @Option(names = {"--property", "-p"}, description = "One Kafka client property, key=value (repeatable; wins over --kafka-config).")
    Map<String, String> properties = new LinkedHashMap<>();
    @Option(names = "--family", paramLabel = "FAMILY", description = "What the input topic holds: raw-events (payments "
            + "keyed by card; labels as the scorer reads them) or creditcard (the scorer's creditcard JSON with an id; "
            + "labels as the analyst console writes them). Default: raw-events; with --data the file's header tells.")
    String family;
    @Option(names = "--input-topic", defaultValue = Topics.DEFAULT_INPUT, description = "Payments (raw events keyed by card, or creditcard rows with --family creditcard). Defaults to ${DEFAULT-VALUE}.")
    String inputTopic;
    @Option(names = "--labels-topic", defaultValue = Topics.DEFAULT_LABELS, description = "Label feedback. Defaults to ${DEFAULT-VALUE}.")
    String labelsTopic;
    @Option(names = "--model-topic", defaultValue = Topics.DEFAULT_MODELS, description = "Compacted model topic: the champion is read from it and the challenger published to it. Defaults to ${DEFAULT-VALUE}.")
    String modelTopic;
    @Option(names = "--name", defaultValue = "default", description = "Model name (the model topic's record key). Defaults to ${DEFAULT-VALUE}.")
    String name;
    @Option(names = "--application-id",
            defaultValue = org.fraudscorer.scorer.config.ScorerConfig.DEFAULT_APPLICATION_ID,
            description = "The scorers' application id: when the model topic holds no champion, the challenger must "
                    + "fit their stores (for raw events, their label delay) to be published. Defaults to "
                    + "${DEFAULT-VALUE}.")
    String applicationId;
    @Option(names = "--read-timeout", defaultValue = "PT5M", paramLabel = "DURATION", description = "Longest time to "
            + "read each topic to its end (ISO-8601; every topic is read from its beginning). Defaults to "
            + "${DEFAULT-VALUE}.")
    java.time.Duration readTimeout;
    @Option(names = "--from", description = "Raw events: first day of payments read, YYYY-MM-DD (inclusive). Default: the first payment.")
    String from;
    @Option(names = "--to", description = "Raw events: last day of payments read, YYYY-MM-DD (inclusive). Default: the last payment.")
    String to;
    @Option(names = "--delay-days", defaultValue = "" + HandbookFeatures.DEFAULT_DELAY_DAYS,
            description = "Raw events: days until a payment's label is known. The window ends this many days before the last payment. Defaults to ${DEFAULT-VALUE}.")
    int delayDays;
    @Option(names = "--window-days", defaultValue = "7", description = "Raw events: days of the labelled evaluation window. Defaults to ${DEFAULT-VALUE}.")
    int windowDays;
    @Option(names = "--champion", paramLabel = "FILE", description = "The serving model to beat. Default: the champion the scorers serve from the model topic (the latest that loads and fits, under any key but the challenger's).")
    Path champion;
    @Option(names = "--allow-first", description = "Publish when no champion serves yet (the deployment's first model).")
    boolean allowFirst;
    @Option(names = "--min-gain", defaultValue = "0.0", description = "Publish only if the challenger's average precision (PR-AUC) on the window is at least the champion's plus this (0 = not worse; negative tolerates a loss). Defaults to ${DEFAULT-VALUE}.")
    double minGain;
    @Option(names = "--max-f1-loss", defaultValue = "" + ChallengerGate.DEFAULT_MAX_LOSS, description = "Publish only "
            + "if the challenger's F1 at its threshold on the window is at most this below the champion's F1 at the "
            + "champion's threshold: the operating point, beside the ranking (1 turns the check off). Defaults to "
            + "${DEFAULT-VALUE}.")
    double maxF1Loss;
    @Option(names = "--gain-confidence", defaultValue = "0", paramLabel = "C", description = "Publish only if, in at "
            + "least this share of " + ChallengerGate.BOOTSTRAP_REPLICATES + " resamples of the window's rows (a "
            + "paired, stratified bootstrap), the challenger's AP is at least the champion's plus --min-gain: a gain "
            + "the window resolves, not noise (e.g. 0.9). 0 turns the check off: a fresher model that is not worse "
            + "is published. Defaults to ${DEFAULT-VALUE}.")
    double gainConfidence;
    @Option(names = "--max-flag-rate-change", defaultValue = "0", paramLabel = "R", description = "Publish only if "
            + "the share of the window's payments the challenger flags at its threshold is within a factor R of the "
            + "share the champion flags (e.g. 1.5: at most half as many alerts again, at least two thirds as many): "
            + "the analysts' alert budget. 0 turns the check off. Defaults to ${DEFAULT-VALUE}.")
    double maxFlagRateChange;
    @Option(names = "--as", defaultValue = "champion", paramLabel = "ROLE", description = "How a challenger that passes "
            + "the gate is published: champion (under --name: every scorer routes by it) or challenger (under the key '"
            + ModelRegistry.CHALLENGER_KEY + "': scorers shadow-score it beside the champion, which keeps routing; "
            + "promote it later with 'publish --promote'). Defaults to ${DEFAULT-VALUE}.")
    PublishCommand.Role role;
    @Option(names = "--dry-run", description = "Train, compare and report; never publish.")
    boolean dryRun;
    @Option(names = "--report", paramLabel = "FILE", description = "JSON report of the run, written whatever the outcome.")
    Path report;
    @Option(names = "--out", paramLabel = "FILE", description = "Also write the challenger's model file here (whatever the gate says).")
    Path out;
    @Option(names = "--signing-key", paramLabel = "FILE", description = "Sign the challenger with this Ed25519 private key (from './fraud keygen'); read first, so a bad key fails at once.")
    Path signingKey;
    @Option(names = "--trusted-keys", paramLabel = "DIR|FILE", description = "As the scorers' --trusted-keys: the champion "
            + "is the latest model on the topic signed by one of these keys, and the challenger is published only if it "
            + "verifies with them (so give --signing-key with a trusted key).")
    Path trustedKeys;
    @Mixin
    NetworkOptions network;
    @Mixin
    ProcedureOptions procedure;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        procedure.check();
        ChallengerGate gate = gate();
        checkRole();
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--read-timeout must be positive, got "
                    + readTimeout);
        }
        if (data != null && spec.commandLine().getParseResult().hasMatchedOption("--read-timeout")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--read-timeout goes with the topics "
                    + "(--data reads a file)");
        }
        // checked before Kafka is asked (a bad name said 'topic a b does not exist', exit 1); a file needs no topics
        CliErrors.requireTopicName(spec, "--model-topic", modelTopic);
        CliErrors.requireApplicationId(spec, "--application-id", applicationId);
        CliErrors.requireTopicName(spec, "--input-topic", data == null ? inputTopic : null);
        CliErrors.requireTopicName(spec, "--labels-topic", data == null ? labelsTopic : null);
        EventFamily family = family();
        if (data == null && inputTopic.equals(labelsTopic)) { // its payments were read as labels, and all refused
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--labels-topic " + labelsTopic
                    + " must differ from --input-topic: labels have a topic of their own");
        }
        AppFamily app = AppFamily.of(family);
        GivenOptions.refuse(spec, family.description(), app.retrainOptionsOfOthers());
        // Every training option is checked before any data is read (a bad one is a usage error, exit 2).
        FraudModelTrainer.Options options = procedure.options(network.build(app.trainingDefaults(), family));
        if (!options.timeOrdered()) { // it was exit 1 once the topics were read (raw events refuse --split above)
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--split stratified: retrain "
                    + "judges both models on the latest rows by Time, so its split is time (leave --split out)");
        }
        EventPeriod period = GivenOptions.parse(spec, () -> new EventPeriod(EventPeriod.date("--from", from),
                EventPeriod.date("--to", to)));
        try {
            // what publishing would refuse (a -p acks=1) is refused now, not after the training
            Properties settings = kafka();
            org.fraudscorer.scorer.cli.KafkaOptions.requireUsable(spec, settings, "--kafka-config, -p");
            try { // the history is read committed whatever -p says: a contrary setting is refused, not overridden
                org.fraudscorer.scorer.config.ClientSettings.of(settings, Map.of(),
                        new org.fraudscorer.scorer.config.ClientSettings.Needed("isolation.level", "read_committed",
                                "a payment or a label of an aborted transaction never happened"));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            PublishCommand.checkClientSettings(spec, settings);
        } catch (java.io.IOException unreadable) {
            // an unreadable --kafka-config is reported as the run's error below, with its report
        }
        // neither output may be one of the inputs (the archive, the champion, the signing key...) nor the other
        Outputs.refuseOverwriting(spec, "--report", report, data, champion, signingKey, trustedKeys, kafkaConfig,
                network.configFile(), out);
        Outputs.refuseOverwriting(spec, "--out", out, data, champion, signingKey, trustedKeys, kafkaConfig,
                network.configFile());
        Outputs.refuseInsideKeyDirectory(spec, "--report", report, trustedKeys);
        Outputs.refuseInsideKeyDirectory(spec, "--out", out, trustedKeys);
        Outputs.requireWritable(spec, "--out", out, false); // found after the training before
        if (delayDays < 0 || windowDays < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), delayDays < 0
                    ? "--delay-days must be ≥ 0, got " + delayDays : "--window-days must be ≥ 1, got " + windowDays);
        }
        Map<String, Object> context = new LinkedHashMap<>();
        String servers;
        try {
            servers = data != null ? null : kafka().getProperty("bootstrap.servers");
        } catch (java.io.IOException e) { // reported as the run's error below, with its report
            servers = "(unreadable --kafka-config)";
        }
        context.put("source", data != null ? data.toString() : "topics " + inputTopic + " + " + labelsTopic + " at "
                + servers);
        context.put("family", family.description());
        context.put("dry_run", dryRun);
        context.put("publish_as", role.name());
        context.put("publish_key", role.recordKey(name));
        // The report is written whatever the outcome, so its file must take one before anything is trained or
        // published: a report that fails only after publishing would turn a published model into a failed run.
        try {
            RetrainDecision.write(report, RetrainDecision.runningReport(context));
        } catch (java.io.IOException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--report " + report
                    + " cannot be written: " + CliErrors.describe(e));
        }
        try {
            SigningKey key = signingKey == null ? null : SigningKey.load(signingKey, spec.commandLine().getErr());
            TrustedKeys trusted = trustedKeys == null ? null : TrustedKeys.load(trustedKeys);
            if (trusted != null && key == null && !dryRun) { // a dry run publishes nothing: it needs no key
                throw new IllegalArgumentException("--trusted-keys: scorers with these keys refuse an unsigned model; "
                        + "give --signing-key");
            }
            if (trusted != null && key != null && !trusted.keyIds().contains(key.keyId())) {
                throw new IllegalArgumentException("--signing-key " + signingKey + " (key " + key.keyId() + ") is not "
                        + "among --trusted-keys " + trusted.keyIds() + ": scorers with those keys would refuse the model");
            }
            Properties kafka = kafka();
            boolean readsCluster = champion == null || data == null; // the champion or the history comes from it
            if (readsCluster) {
                BrokerCheck.await(kafka, BrokerCheck.DEFAULT_TIMEOUT);
            }
            // A model topic that would lose the model is found before the training, not after it. Only where the
            // cluster is read anyway: a run on an archive and a champion file needs no cluster until it publishes.
            if (readsCluster && !dryRun) {
                String retention = org.fraudscorer.scorer.app.TopicSetup.modelTopicRetentionProblem(
                        org.fraudscorer.scorer.config.ClientSettings.forAdmin(kafka), modelTopic);
                if (retention != null) {
                    throw new IllegalStateException(retention + "; nothing trained or published");
                }
            }
            ModelFile.Loaded topicChampion = champion != null ? null : org.fraudscorer.scorer.model.TopicChampion
                    .readLoaded(kafka, modelTopic, trusted, org.fraudscorer.scorer.model.TopicChampion.READ_TIMEOUT);
            ModelBundle serving = champion != null ? ModelFile.read(champion)
                    : topicChampion == null ? null : topicChampion.bundle();
            String keyId = key == null ? null : key.keyId();
            if (topicChampion != null) { // said before the training; with --champion FILE when it publishes
                warnOfSigner(topicChampion, keyId, trusted);
            }
            if (champion != null && trusted != null) { // the topic's champion is skipped so; a file was taken silently
                try {
                    ModelFile.loadTrusted(champion, trusted);
                } catch (RuntimeException refused) {
                    spec.commandLine().getErr().println("warning: --champion: " + refused.getMessage() + ": scorers "
                            + "with --trusted-keys " + trustedKeys + " do not serve it; it is compared with all the "
                            + "same");
                }
            }
            context.put("champion_source", champion != null ? champion.toString()
                    : serving == null ? "none on " + modelTopic : modelTopic + " (the latest champion it serves)");
            if (serving == null && !allowFirst && !dryRun) { // said before the training, not after it
                System.err.println("warning: no champion on " + modelTopic + " and no --champion: the challenger is "
                        + "trained and reported, not published: " + org.fraudscorer.trainer.retrain.ChallengerGate
                        .noChampionAdvice(role != PublishCommand.Role.challenger));
            }
            ConsoleReport progress = new ConsoleReport(System.out, false);
            Challenge c = app.challenge(this, period, kafka, options, serving, context, progress);
            if (dryRun && (champion == null || data == null)) { // a dry run that reads the cluster says it too
                PublishCommand.requireFit(kafka, modelTopic, c.challenger(), trusted, "challenger "
                        + c.challenger().modelVersion(), applicationId);
            }
            if (out != null) {
                ModelFile.write(c.challenger(), out, key);
                context.put("challenger_file", out.toString());
            }
            RetrainDecision.Outcome o = RetrainDecision.decide(c, gate, dryRun, key,
                    (version, bytes) -> {
                        if (trusted != null) { // refuses, naming why, a model the scorers would refuse
                            ModelFile.loadTrusted(bytes, "challenger " + version, trusted);
                        }
                        // the topic's champion, not --champion FILE's: a model of another schema or delay is refused
                        ModelFile.Loaded fit = PublishCommand.requireFitLoaded(kafka, modelTopic, c.challenger(),
                                trusted, "challenger " + version, applicationId);
                        if (champion != null && fit != null) {
                            warnOfSigner(fit, keyId, trusted);
                        }
                        return ModelTopic.publish(kafka, modelTopic, role.recordKey(name), bytes);
                    }, context, report);
            summary(System.out, c, o, role);
            return 0;
        } catch (Exception e) {
            // PublishFailedException wrote its report; ReportFailedAfterPublishException could not, and says so
            if (!(e instanceof RetrainDecision.PublishFailedException)
                    && !(e instanceof RetrainDecision.ReportFailedAfterPublishException)) {
                try {
                    RetrainDecision.write(report, RetrainDecision.errorReport(context, CliErrors.describe(e)));
                } catch (java.io.IOException reportFailed) {
                    e.addSuppressed(reportFailed); // the run's own error is the one to tell
                }
            }
            throw e;
        }
    }

    /**
     * The gate of the command line: every criterion given by its option (a criterion added to the gate must be given
     * here, where the canonical constructor is called); an option out of range is a usage error (exit 2).
     */
    ChallengerGate gate() {
        try {
            return new ChallengerGate(minGain, maxF1Loss, gainConfidence, maxFlagRateChange, allowFirst);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * Warns, as {@code publish} does, when the model would be published without {@code --trusted-keys} after a signed
     * champion while unsigned or signed by another key: scorers that trust only the champion's key refuse it and keep
     * serving the champion (a dry run publishes nothing and needs no key: no warning).
     */
    private void warnOfSigner(ModelFile.Loaded topicChampion, String keyId, TrustedKeys trusted) {
        String warning = trusted != null || dryRun ? null
                : PublishCommand.signerWarning(topicChampion, keyId, modelTopic);
        if (warning != null) {
            spec.commandLine().getErr().println("warning: " + warning);
        }
    }

    /** The family of the data: the archive's header, else --family (raw events by default). */
    private EventFamily family() {
        EventFamily given = null;
        if (family != null) {
            given = switch (family.strip().toLowerCase(Locale.ROOT)) {
                case "raw-events" -> EventFamily.RAW_EVENTS;
                case "creditcard" -> EventFamily.CREDITCARD;
                default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--family must be "
                        + "raw-events or creditcard, got '" + family + "'");
            };
        }
        if (data == null) {
            return given == null ? EventFamily.RAW_EVENTS : given;
        }
        EventFamily file = RawEventCsv.family(data);
        if (given != null && given != file) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--family " + family + " but " + data
                    + " holds " + file.description() + " (the header tells; leave --family out with --data)");
        }
        return file;
    }

    /** Refuses --as combinations that cannot be meant, with one line (exit 2). */
    private void checkRole() {
        String bad = PublishCommand.keyProblem(name, role, spec.commandLine().getParseResult()
                .hasMatchedOption("--name"));
        if (bad != null) {
            // named above
        } else if (role == PublishCommand.Role.challenger && allowFirst) {
            bad = "--allow-first publishes a deployment's first model, which has no champion to be shadow-scored "
                    + "beside: publish it as champion (leave out --as challenger)";
        }
        if (bad != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), bad);
        }
    }

    /** The connection, resolved as every command's (its --config is taken by the network options). */
    private Properties kafka() throws java.io.IOException {
        try {
            return org.fraudscorer.scorer.cli.KafkaOptions.resolve(kafkaConfig, properties, bootstrapServers);
        } catch (IllegalArgumentException missing) { // a file that does not exist: a bad command line, as --config's
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--kafka-config: "
                    + missing.getMessage());
        }
    }

    private static void summary(PrintStream out, Challenge c, RetrainDecision.Outcome o, PublishCommand.Role role) {
        out.println("Trained on " + c.training() + "; evaluation window " + c.window());
        if (c.overlap() != null && c.overlap().note() != null) {
            out.println("  " + c.overlap().note());
        }
        out.println("  challenger " + line(c.challengerMetrics()));
        out.println("  champion   " + (c.champion() == null ? "none" : line(c.champion())));
        if (c.caveat() != null) {
            out.println("  warning: " + c.caveat());
        }
        out.println(switch (o.decision()) {
            case PUBLISHED -> "published model " + c.challenger().modelVersion() + " as " + role + " to "
                    + o.publishedTo() + (role == PublishCommand.Role.challenger ? " (shadow-scored beside the champion, "
                    + "which keeps routing; promote with 'publish --promote')" : "") + " (" + o.verdict().reason() + ")";
            case DRY_RUN -> "dry run: gate passed, nothing published (" + o.verdict().reason() + ")";
            case REFUSED -> "not published: " + o.verdict().reason();
            case ERROR -> "error";
        });
    }

    /** One model's window figures; the recall at the champion's precision only where there is one (no "NaN"). */
    static String line(WindowMetrics m) {
        return String.format(Locale.ROOT, "%s: %s, %s; AP %.4f, AUC %.4f%s, precision %.3f, recall "
                        + "%.3f, flags %.2f%% at its threshold%s", m.modelVersion(),
                Counted.of(m.rows(), "event"), Counted.of(m.frauds(), "fraud"), m.averagePrecision(), m.rocAuc(),
                Double.isNaN(m.cardPrecisionAt100()) ? ""
                        : String.format(Locale.ROOT, ", CP@100 %.4f", m.cardPrecisionAt100()), m.precision(), m.recall(),
                100 * m.flagRate(),
                Double.isNaN(m.recallAtChampionPrecision()) ? "" : String.format(Locale.ROOT,
                        ", recall %.3f at the champion's precision", m.recallAtChampionPrecision()));
    }
}
