package org.fraudscorer.scorer.cli;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.SigningKey;
import org.fraudscorer.common.model.TrustedKeys;
import org.fraudscorer.scorer.app.BrokerCheck;
import org.fraudscorer.scorer.app.TopicSetup;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.broker.TopicReader;
import org.fraudscorer.scorer.config.ClientSettings;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.model.TopicChampion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./fraud publish --model model.json}: verify a model file and send it to the compacted model topic, from
 * which every running scorer instance swaps to it. The key is the model name, so compaction keeps the latest.
 *
 * <p>Shadow scoring: {@code --as challenger} sends it under the key {@link ModelRegistry#CHALLENGER_KEY} instead, so
 * scorers score it beside the champion without routing by it; {@code --demote-challenger} sends that key's tombstone;
 * {@code --promote} publishes the file as champion and the tombstone in one transaction (both or neither).
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish a model file to the model topic: every running scorer switches to it live.")
public final class PublishCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;
    @Option(names = "--model-topic", defaultValue = Topics.DEFAULT_MODELS, description = "Compacted model topic. Defaults to ${DEFAULT-VALUE}.")
    String modelTopic;
    @Option(names = "--model", description = "Model file to publish (verified first); required unless --demote-challenger.")
    Path model;
    @Option(names = "--name", defaultValue = "default", description = "Champion's model name (the record key; '"
            + ModelRegistry.CHALLENGER_KEY + "' is reserved). Defaults to ${DEFAULT-VALUE}.")
    String name;
    @Option(names = "--as", defaultValue = "champion", paramLabel = "ROLE", description = "champion: every scorer routes "
            + "by it; challenger: scorers score it beside the champion and record both decisions on the shadow topic, "
            + "never routing by it (record key '" + ModelRegistry.CHALLENGER_KEY + "'). Defaults to ${DEFAULT-VALUE}.")
    Role role;
    @Option(names = "--promote", description = "Publish --model as champion and remove the challenger, in one "
            + "transaction: the way to promote a challenger (give its file).")
    boolean promote;
    @Option(names = "--demote-challenger", description = "Remove the challenger (a tombstone under its key); the "
            + "champion is untouched. Takes no model.")
    boolean demoteChallenger;

    /** Values of {@code --as}; picocli refuses any other with a usage error (exit 2). */
    public enum Role {
        champion, challenger;

        /** The model topic's record key of a model published in this role ({@code name} for a champion). */
        public String recordKey(String name) {
            return this == challenger ? ModelRegistry.CHALLENGER_KEY : name;
        }
    }
    @Option(names = "--replace-misfit-champion", description = "The topic's champion is the mistake: a model of another "
            + "schema or label delay that the scorers refused (e.g. the first model published to this topic). Send this "
            + "one anyway, marked as the champion later models are judged against (by publish, retrain and a starting "
            + "scorer). Running scorers still refuse a model that does not fit what they serve.")
    boolean replaceMisfitChampion;
    @Option(names = "--application-id", defaultValue = ScorerConfig.DEFAULT_APPLICATION_ID,
            description = "The scorers' application id, whose stores the model must fit (its family, and for raw "
                    + "events its label delay) when the model topic holds no champion to compare it with, and with "
                    + "--replace-misfit-champion. Default: ${DEFAULT-VALUE}.")
    String applicationId;
    @Option(names = "--no-verify", description = "Send the file even if it does not verify (for fault tests: scorers must refuse it).")
    boolean noVerify;
    @Option(names = "--signing-key", paramLabel = "FILE", description = "Sign the model with this Ed25519 private key "
            + "(from './fraud keygen') before sending; replaces any signature the file has. The file itself is not changed.")
    Path signingKey;
    @Option(names = "--trusted-keys", paramLabel = "DIR|FILE", description = "Send only if the model (as sent) is signed "
            + "by one of these public keys: the check a scorer with --trusted-keys makes.")
    Path trustedKeys;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One line of the command's answer, on its standard output. */
    private void say(String line) {
        spec.commandLine().getOut().println(line);
    }

    @Override
    public Integer call() throws Exception {
        checkCombination();
        checkClientSettings(spec, kafka.kafka());
        if (demoteChallenger) {
            requireExisting(kafka.kafka(), modelTopic);
            prepareTopic(kafka.kafka(), modelTopic, 0);
            boolean held = TopicChampion.challengerHeld(kafka.kafka(), modelTopic);
            try (KafkaProducer<String, byte[]> producer = producer(kafka.kafka(), 0, null)) {
                RecordMetadata m = producer.send(new ProducerRecord<>(modelTopic, ModelRegistry.CHALLENGER_KEY, null)).get();
                // a second demote said "demoted the challenger" of none (found by a hunt)
                say((held ? "demoted the challenger: tombstone at " : "no challenger was held on "
                        + modelTopic + "; tombstone written anyway at ") + m.topic() + "-" + m.partition() + "@"
                        + m.offset() + (held ? " (scorers stop shadow scoring; the champion is untouched)" : ""));
            }
            return 0;
        }
        SigningKey key = signingKey == null ? null : SigningKey.load(signingKey, spec.commandLine().getErr());
        TrustedKeys trusted = trustedKeys == null ? null : TrustedKeys.load(trustedKeys);
        byte[] bytes = ModelFile.readBounded(model); // a file over the limit is refused before it is read
        String version = "unverified";
        String signer = "";
        ModelFile.Loaded loaded = null;
        if (!noVerify) {
            if (key != null) {
                bytes = ModelFile.sign(bytes, model.toString(), key);
            }
            loaded = trusted == null ? ModelFile.load(bytes, model.toString(), null)
                    : ModelFile.loadTrusted(bytes, model.toString(), trusted);
            version = loaded.bundle().modelVersion();
            if (loaded.authenticity().keyId() != null) {
                signer = ", signed by key " + loaded.authenticity().keyId() + (trusted == null
                        ? " (signature not checked: no --trusted-keys)" : " (verified)");
            } else {
                signer = ", unsigned";
            }
        }
        ModelBundle serving = null;
        if (loaded != null && !replaceMisfitChampion) {
            BrokerCheck.await(kafka.kafka(), BrokerCheck.DEFAULT_TIMEOUT);
            ModelFile.Loaded champion = requireFitLoaded(kafka.kafka(), modelTopic, loaded.bundle(), trusted,
                    "model " + model, applicationId);
            serving = champion == null ? null : champion.bundle();
            String signers = trusted == null && champion != null
                    ? signerWarning(champion, loaded.authenticity().keyId(), modelTopic) : null;
            if (signers != null) {
                System.err.println("warning: " + signers);
            }
        }
        boolean challenger = role == Role.challenger;
        String what = (challenger ? "challenger " : "model ") + version + " (" + bytes.length + " bytes" + signer + ")";
        if (promote) {
            return promote(bytes, what, loaded == null ? null : loaded.bundle());
        }
        if (replaceMisfitChampion) {
            // Judged against the scorers' stores instead of the champion: a fitting champion was replaced by a model
            // of another delay before (found by a helper session), which no scorer on those stores could serve.
            BrokerCheck.await(kafka.kafka(), BrokerCheck.DEFAULT_TIMEOUT);
            String unfit = TopicSetup.storesProblem(kafka.kafka(), applicationId, loaded.bundle());
            if (unfit != null) {
                throw new IllegalStateException(unfit + ": the deployment's scorers could not serve it, so it replaces "
                        + "no champion (nothing sent; --application-id names the deployment)");
            }
            tombstoneMisfits(loaded.bundle(), trusted);
        }
        RecordMetadata m = send(kafka.kafka(), modelTopic, role.recordKey(name), bytes, replaceMisfitChampion);
        boolean again = role == Role.champion && serving != null && serving.sha256().equals(loaded.bundle().sha256());
        say("published " + what + " to " + m.topic() + "-" + m.partition() + "@" + m.offset()
                + (again ? " (it was already the champion there: the scorers keep serving it, no swap)" : ""));
        return 0;
    }

    /**
     * Refuses, before anything is sent, a model that does not fit the champion the topic serves (another feature
     * schema or label delay): every scorer would refuse it, yet on the compacted topic it would become the latest
     * champion record, and once compaction removed the one before (under the same key), a scorer starting later
     * would find no champion it can serve and fall back to its start-up model. Every publishing path calls it:
     * {@code publish} and {@code retrain} (whose {@code --champion FILE} need not be the topic's).
     * <p>
     * With no champion on the topic the scorers serve their {@code --model} files, which no command can see: the
     * model is then judged against the stores of {@code applicationId} ({@link TopicSetup#storesProblem}), as a
     * starting scorer judges its model. A challenger of another label delay was published to such a topic and every
     * scorer refused it (found by a helper session).
     *
     * @param what the candidate as the message names it, e.g. {@code model m.json}
     * @param applicationId the scorers' application id, whose stores judge the model when the topic has no champion
     * @return the champion the topic serves, or null when it has none
     */
    public static ModelBundle requireFit(Properties kafka, String modelTopic, ModelBundle candidate,
                                         TrustedKeys trusted, String what, String applicationId) {
        ModelFile.Loaded serving = requireFitLoaded(kafka, modelTopic, candidate, trusted, what, applicationId);
        return serving == null ? null : serving.bundle();
    }

    /** {@link #requireFit}, returning the champion with what loading it found (its signer), or null. */
    public static ModelFile.Loaded requireFitLoaded(Properties kafka, String modelTopic, ModelBundle candidate,
                                                     TrustedKeys trusted, String what, String applicationId) {
        ModelFile.Loaded loaded = TopicChampion.readLoaded(kafka, modelTopic, trusted, TopicChampion.READ_TIMEOUT);
        ModelBundle serving = loaded == null ? null : loaded.bundle();
        if (serving == null) {
            String unfit = TopicSetup.storesProblem(kafka, applicationId, candidate);
            if (unfit != null) {
                throw new IllegalStateException(what + " does not fit the scorers' stores (" + modelTopic + " holds no "
                        + "champion to compare it with): " + unfit + "; every scorer of that deployment would refuse "
                        + "it (--application-id names the deployment); nothing sent");
            }
            return null;
        }
        String why = ModelRegistry.misfit(serving, candidate);
        if (why != null) {
            throw new IllegalStateException(what + " does not fit the champion " + serving.modelVersion()
                    + " that " + modelTopic + " serves: " + why + "; every scorer would refuse it (a model of another "
                    + "schema or label delay needs a model topic and application id of its own; if it is that champion "
                    + "the scorers refused, publish with --replace-misfit-champion); nothing sent");
        }
        return loaded;
    }

    /**
     * Why a model published without {@code --trusted-keys} (no signature checked) may be refused by the scorers, or
     * null: the champion it follows is signed, and it is unsigned or signed by another key. Scorers that trust only the
     * champion's signer refuse it (logged) and keep serving the champion, while the topic's latest record is the model
     * they refused; a promotion also removed the signed challenger (a hunt). A warning, not a refusal: a key rotation
     * publishes under a new key that the scorers already trust, which only {@code --trusted-keys} can tell. The same
     * for {@code retrain} ({@code candidateKey} = its {@code --signing-key}'s).
     *
     * @param candidateKey the key id the candidate is signed by, null for an unsigned model
     */
    public static String signerWarning(ModelFile.Loaded champion, String candidateKey, String modelTopic) {
        String championKey = champion.authenticity().keyId();
        if (championKey == null || championKey.equals(candidateKey)) {
            return null;
        }
        return "the champion " + champion.bundle().modelVersion() + " on " + modelTopic + " is signed by key "
                + championKey + ", this model " + (candidateKey == null ? "is not signed" : "by key " + candidateKey)
                + ": scorers that trust only the champion's key refuse it and keep serving the champion; give "
                + "--trusted-keys (the scorers' keys) to check before publishing, or --signing-key to sign it";
    }

    /**
     * Before a {@code --replace-misfit-champion}: a tombstone for every other champion key whose latest model does not
     * fit the replacement, so that compaction removes the mistake with its key. Otherwise the mark could go first: a
     * later (unmarked) publish under the replacement's key lets compaction drop the marked record while the misfit
     * under another key stays, and every model is judged against the misfit again. A tombstone changes nothing a
     * running scorer serves.
     */
    private void tombstoneMisfits(ModelBundle replacement, TrustedKeys trusted) throws Exception {
        java.util.Map<String, byte[]> latest = new java.util.LinkedHashMap<>();
        try {
            TopicReader.readToEnd(kafka.kafka(), modelTopic, TopicChampion.READ_TIMEOUT, r -> {
                String key = r.key() == null ? null : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
                if (key != null && !key.equals(ModelRegistry.CHALLENGER_KEY) && !key.equals(name)) {
                    latest.put(key, r.value());
                }
            });
        } catch (TopicReader.NoSuchTopic none) {
            return; // nothing to replace
        }
        java.util.List<String> misfits = new java.util.ArrayList<>();
        latest.forEach((key, value) -> {
            if (value == null) {
                return; // already a tombstone
            }
            try {
                ModelBundle m = (trusted == null ? ModelFile.load(value, modelTopic + " key " + key, null)
                        : ModelFile.loadTrusted(value, modelTopic + " key " + key, trusted)).bundle();
                if (ModelRegistry.misfit(replacement, m) != null) {
                    misfits.add(key);
                }
            } catch (RuntimeException refused) {
                // a record the scorers refuse does not count as a champion: left as it is
            }
        });
        if (misfits.isEmpty()) {
            return;
        }
        prepareTopic(kafka.kafka(), modelTopic, 0);
        try (KafkaProducer<String, byte[]> producer = producer(kafka.kafka(), 0, null)) {
            for (String key : misfits) {
                producer.send(new ProducerRecord<>(modelTopic, key, null)).get();
            }
        }
        say("removed the misfit champion" + (misfits.size() == 1 ? "" : "s") + " under key"
                + (misfits.size() == 1 ? " " : "s ") + String.join(", ", misfits) + " (tombstones)");
    }

    /**
     * Sends a (verified) model file to the model topic under {@code recordKey} (the champion's name, or
     * {@link ModelRegistry#CHALLENGER_KEY}) and waits for the broker's acknowledgement (acks=all, idempotent): the
     * one way a model is published, by this command and by {@code retrain}. Check the fit first ({@link #requireFit}).
     */
    public static RecordMetadata send(Properties kafka, String modelTopic, String recordKey, byte[] modelFile)
            throws Exception {
        return send(kafka, modelTopic, recordKey, modelFile, false);
    }

    /**
     * As {@link #send(Properties, String, String, byte[])}; {@code replacesMisfit} marks the record
     * ({@link TopicChampion#REPLACES_MISFIT_HEADER}) as the champion later models are judged against.
     */
    static RecordMetadata send(Properties kafka, String modelTopic, String recordKey, byte[] modelFile,
                               boolean replacesMisfit) throws Exception {
        prepareTopic(kafka, modelTopic, TopicSetup.modelRecordBytes(modelFile.length, recordKey));
        try (KafkaProducer<String, byte[]> producer = producer(kafka, modelFile.length, null)) {
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(modelTopic, recordKey, modelFile);
            if (replacesMisfit) {
                r.headers().add(TopicChampion.REPLACES_MISFIT_HEADER, new byte[] {'1'});
            }
            return producer.send(r).get();
        }
    }

    /**
     * Creates the model topic when missing and refuses one that would lose or refuse the model, before anything is
     * sent ({@link TopicSetup#prepareModelTopic}); a topic whose settings may not be read is used with a warning.
     */
    private static void prepareTopic(Properties kafka, String modelTopic, long recordBytes)
            throws InterruptedException {
        BrokerCheck.await(kafka, BrokerCheck.DEFAULT_TIMEOUT); // a minute of silent retries otherwise
        String unchecked = TopicSetup.prepareModelTopic(kafka, modelTopic, recordBytes);
        if (unchecked != null) {
            System.err.println("warning: " + unchecked);
        }
    }

    /**
     * Refuses a model topic that does not exist: there is no challenger on it to demote (a mistyped topic was created
     * and given a tombstone, and "demoted" said; found by a helper session). A topic this client may not describe is
     * left to {@link #prepareTopic}.
     */
    private static void requireExisting(Properties kafka, String modelTopic) throws Exception {
        BrokerCheck.await(kafka, BrokerCheck.DEFAULT_TIMEOUT);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                ClientSettings.forAdmin(kafka))) {
            if (TopicSetup.visibility(admin, java.util.List.of(modelTopic)).get(modelTopic)
                    == TopicSetup.Visibility.MISSING) {
                throw new IllegalStateException("model topic " + modelTopic + " does not exist: there is no challenger "
                        + "to demote (nothing created or sent)");
            }
        }
    }

    /** The champion and the challenger's tombstone in one transaction: scorers (read_committed) see both or neither. */
    private int promote(byte[] bytes, String what, ModelBundle promoted) throws Exception {
        prepareTopic(kafka.kafka(), modelTopic, TopicSetup.modelRecordBytes(bytes.length, name));
        String demoted = demotedText(TopicChampion.challengerRecord(kafka.kafka(), modelTopic), promoted, modelTopic);
        try (KafkaProducer<String, byte[]> producer = producer(kafka.kafka(), bytes.length,
                "fraud-publish-" + java.util.UUID.randomUUID())) {
            producer.initTransactions();
            producer.beginTransaction();
            var champion = producer.send(new ProducerRecord<>(modelTopic, name, bytes));
            var tombstone = producer.send(new ProducerRecord<>(modelTopic, ModelRegistry.CHALLENGER_KEY, null));
            producer.commitTransaction();
            RecordMetadata m = champion.get();
            RecordMetadata t = tombstone.get();
            say("promoted: published " + what + " as champion to " + m.topic() + "-" + m.partition()
                    + "@" + m.offset() + " and " + demoted + " (tombstone at " + t.topic() + "-" + t.partition()
                    + "@" + t.offset() + ")");
        }
        return 0;
    }

    /**
     * What a promotion did to the challenger, for its line: it said "demoted the challenger" when none was held, and
     * when the challenger shadow-scored was another model than the one promoted (found by a hunt).
     *
     * @param held     the latest challenger record's value on the topic (null: none held)
     * @param promoted the model promoted, or null when not verified ({@code --no-verify})
     */
    static String demotedText(byte[] held, ModelBundle promoted, String modelTopic) {
        if (held == null) {
            return "found no challenger held on " + modelTopic + " to demote";
        }
        ModelBundle challenger;
        try {
            challenger = ModelFile.load(held, modelTopic + " challenger", null).bundle();
        } catch (RuntimeException unreadable) {
            return "removed a challenger record that does not load (" + unreadable.getMessage() + ")";
        }
        if (promoted != null && challenger.sha256().equals(promoted.sha256())) {
            return "demoted the challenger (the promoted model, no longer shadow-scored)";
        }
        return "removed the challenger " + challenger.modelVersion() + " (sha256 " + challenger.sha256()
                + ")" + (promoted == null ? "" : ", which is not the model promoted");
    }

    /**
     * Why {@code --name} cannot name a champion, or null: the model topic's record key, also shown in logs, reports
     * and the scorers' model metrics, so 1 to 64 letters, digits, '.', '_' or '-' (an empty name, a tab and 300
     * characters were served; found by a helper session). Publish and retrain share the rule.
     */
    public static String nameProblem(String name) {
        return name.matches("[A-Za-z0-9._-]{1,64}") ? null
                : "--name must be 1 to 64 letters, digits, '.', '_' or '-', got '" + name + "'";
    }

    /**
     * What is wrong with the record key that {@code --name} and {@code --as} give, or null: {@link #nameProblem}, a
     * challenger given a name (it is always published under {@link ModelRegistry#CHALLENGER_KEY}), or a champion
     * named as the challenger's key. Publish and retrain share the rules.
     */
    public static String keyProblem(String name, Role role, boolean nameGiven) {
        String bad = nameProblem(name);
        if (bad != null) {
            return bad;
        }
        if (role == Role.challenger && nameGiven) {
            return "--name names a champion; a challenger is always published under the key '"
                    + ModelRegistry.CHALLENGER_KEY + "'";
        }
        return name.equals(ModelRegistry.CHALLENGER_KEY) ? "--name '" + ModelRegistry.CHALLENGER_KEY + "' is "
                + "reserved for the challenger (use --as challenger)" : null;
    }

    /** Refuses options that do not go together, with one line (exit 2). */
    private void checkCombination() {
        boolean nameGiven = spec.commandLine().getParseResult().hasMatchedOption("--name");
        String bad = keyProblem(name, role, nameGiven);
        boolean asGiven = spec.commandLine().getParseResult().hasMatchedOption("--as");
        if (bad != null) {
            // named above
        } else if (Topics.nameProblem(modelTopic) != null) { // it said 'could not create topic a b', exit 1
            bad = "--model-topic: " + Topics.nameProblem(modelTopic);
        } else if (ScorerConfig.applicationIdProblem(applicationId) != null) { // it found no stores of 'a b'
            bad = "--application-id: " + ScorerConfig.applicationIdProblem(applicationId);
        } else if (noVerify && (signingKey != null || trustedKeys != null)) {
            bad = "--no-verify cannot be combined with --signing-key or --trusted-keys (both verify the file)";
        } else if (demoteChallenger && (model != null || promote || asGiven || nameGiven || noVerify
                || signingKey != null || trustedKeys != null || replaceMisfitChampion)) {
            bad = "--demote-challenger takes no model and no other publishing option (to promote a challenger: "
                    + "--model FILE --promote)";
        } else if (!demoteChallenger && model == null) {
            bad = "--model is required (or --demote-challenger to remove the challenger)";
        } else if (replaceMisfitChampion && (promote || role == Role.challenger || noVerify)) {
            bad = "--replace-misfit-champion publishes a champion that is checked: it cannot be combined with "
                    + "--promote, --as challenger or --no-verify";
        } else if (promote && role == Role.challenger) {
            bad = "--promote publishes a champion; it cannot be combined with --as challenger";
        } else if (demoteChallenger && spec.commandLine().getParseResult().hasMatchedOption("--application-id")) {
            bad = "--demote-challenger takes no --application-id (it sends no model to check)";
        }
        if (bad != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), bad);
        }
    }

    /**
     * The one producer of model-topic records: acks=all, idempotent, requests large enough for the model file, and
     * transactional when {@code transactionalId} is not null.
     */
    private static KafkaProducer<String, byte[]> producer(Properties kafka, int modelBytes, String transactionalId) {
        return new KafkaProducer<>(producerProperties(kafka, modelBytes, transactionalId), new StringSerializer(),
                new ByteArraySerializer());
    }

    /**
     * Refuses, as a usage error before any work, client settings that the model topic's producer would refuse (a
     * {@code -p acks=1}); {@code retrain}, which publishes through {@link #send}, checks the same first.
     */
    public static void checkClientSettings(picocli.CommandLine.Model.CommandSpec spec, Properties kafka) {
        try {
            producerProperties(kafka, 0, null);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The settings of {@link #producer} (public for the topic's integration test). */
    public static Properties producerProperties(Properties kafka, int modelBytes, String transactionalId) {
        // acks=all and idempotence kept (a contradicting -p is refused); the sizes raised to hold the model, never
        // lowered: the producer also refuses a record larger than its whole buffer (32 MiB by default)
        Properties p = ClientSettings.of(kafka, java.util.Map.of(), ClientSettings.ACKS_ALL, ClientSettings.IDEMPOTENT);
        atLeast(p, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1 << 20, Math.max(1 << 20, modelBytes + 1024L));
        atLeast(p, ProducerConfig.BUFFER_MEMORY_CONFIG, 32L << 20, modelBytes + (1L << 20));
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return p;
    }

    private static void atLeast(Properties p, String key, long kafkaDefault, long needed) {
        long given = kafkaDefault;
        if (p.containsKey(key)) {
            try {
                given = Long.parseLong(p.get(key).toString().trim());
            } catch (NumberFormatException e) { // "For input string" named no setting
                throw new IllegalArgumentException(key + " must be a whole number of bytes, got '" + p.get(key) + "'");
            }
        }
        p.put(key, String.valueOf(Math.max(given, needed)));
    }
}
