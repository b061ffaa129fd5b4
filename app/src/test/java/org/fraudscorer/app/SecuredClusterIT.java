package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fraudscorer.app.console.AnalystConsole;
import org.fraudscorer.app.console.ConsoleConfig;
import org.fraudscorer.app.console.LabelWriter;
import org.fraudscorer.app.console.Verdict;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.devkafka.BrokerTls;
import org.fraudscorer.devkafka.EmbeddedKafkaBroker;
import org.fraudscorer.scorer.app.AccessCheck;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.scorer.app.TopicSetup;
import org.fraudscorer.scorer.cli.KafkaOptions;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.testing.SmallRawModel;
import org.fraudscorer.trainer.data.CreditCardCsv;
import org.fraudscorer.trainer.data.Dataset;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.events.FeatureReplay;
import org.fraudscorer.trainer.events.TransactionSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The product on a cluster as a bank runs one: every client authenticates (SASL) and may do only what an ACL grants.
 * Each command gets its own principal with exactly the ACLs that docs/secured-cluster.md lists for it,
 * and its settings from a {@code client.properties} file as the README shows; the scorer is started with
 * {@code --create-topics 0} on topics an administrator created. A client that missed the file's settings, or an ACL
 * the list forgot, fails this test.
 */
@Timeout(600)
class SecuredClusterIT {
    /** Where the Kafka settings come from, as the start-up check's messages name them. */
    private static final String SETTINGS = org.fraudscorer.scorer.app.BrokerCheck.SETTINGS;

    private static final String APP = "fraud-scorer-prod";
    private static final Map<String, String> USERS = Map.of("scorer", "scorer-secret", "publisher",
            "publisher-secret", "payments", "payments-secret", "analysts", "analysts-secret", "warm", "warm-secret",
            "watcher", "watcher-secret");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The end of the broker check's line for a server that accepts connections and gives no answer. */
    private static final String ANY_PROTOCOL = "(the listener may want another of PLAINTEXT, SSL, SASL_PLAINTEXT, "
            + "SASL_SSL), and that the brokers' advertised.listeners are reachable from here";

    @TempDir
    Path dir;

    @Test
    void shouldScoreAndSwapModelsWithEachCommandHoldingOnlyItsDocumentedAcls() throws Exception {
        Path data = MadeUpTransactions.write(dir.resolve("rows.csv"), 1_000, 0.05, 7);
        Path v1 = CliRun.quickModel(data, "v1.json", "1");
        Path v2 = CliRun.quickModel(data, "v2.json", "2");
        Topics topics = Topics.defaults();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startSecured(dir.resolve("kafka"), USERS)) {
            // Given topics an administrator created, and each principal's documented ACLs
            createTopicsWithDocumentedAcls(broker, topics);
            ModelFile.Loaded start = ModelFile.load(v1);
            try (ScorerApp app = startScorer(broker, topics, start.bundle())) {
                // When the bank's producer sends payments, with its own principal
                produce(broker, data, 200);
                // Then every one is scored by the first model
                List<JsonNode> first = readScored(broker, topics, 200);
                assertThat(first).extracting(r -> r.path("modelVersion").asText())
                        .containsOnly(start.bundle().modelVersion());

                // When the publishing job publishes a second model as a challenger
                CliRun challenger = CliRun.of("publish", "--config", clientFile(broker, "publisher").toString(),
                        "--model", v2.toString(), "--as", "challenger");
                assertThat(challenger.exitCode()).as(challenger.err()).isZero();
                String v2Version = ModelFile.read(v2).modelVersion();
                CliRun.await(() -> app.registry().challenger() != null
                        && app.registry().challenger().modelVersion().equals(v2Version));
                produce(broker, data, 100);
                // Then it shadow-scores the next payments beside the champion, which still decides
                assertThat(readScored(broker, topics, 300).subList(200, 300))
                        .extracting(r -> r.path("modelVersion").asText()).containsOnly(start.bundle().modelVersion());
                assertThat(read(broker, List.of(topics.shadow()), 100)).hasSize(100);

                // When it promotes the challenger (champion and the challenger's tombstone in one transaction)
                CliRun promote = CliRun.of("publish", "--config", clientFile(broker, "publisher").toString(),
                        "--model", v2.toString(), "--promote");
                assertThat(promote.exitCode()).as(promote.err()).isZero();
                CliRun.await(() -> app.registry().current().modelVersion().equals(v2Version)
                        && app.registry().challenger() == null);
                // Then the next payments are decided by it
                produce(broker, data, 100);
                assertThat(readScored(broker, topics, 400).subList(300, 400))
                        .extracting(r -> r.path("modelVersion").asText()).containsOnly(v2Version);
                assertThat(app.registry().refusals()).isEmpty();

                // When an analyst confirms an alert on the console, which reads the flagged topic in its own group
                JsonNode alert = read(broker, List.of(topics.flagged()), -1).stream().map(SecuredClusterIT::json)
                        .findFirst().orElseThrow();
                String id = alert.path("id").asText();
                ConsoleConfig console = new ConsoleConfig(KafkaOptions.resolve(clientFile(broker, "analysts"),
                        Map.of(), null), topics.flagged(), topics.labels(), "fraud-console", "127.0.0.1", 0, null,
                        null, 500);
                try (AnalystConsole page = AnalystConsole.start(console)) {
                    CliRun.await(() -> page.buffer().find(id).isPresent());
                    java.net.http.HttpResponse<String> verdict = java.net.http.HttpClient.newHttpClient().send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(page.url() + "api/verdicts"))
                                    .header("Content-Type", "application/json").header("X-Fraud-Console", "1")
                                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(JSON.createObjectNode()
                                            .put("id", id).put("action", "confirmed_fraud").put("reviewer", "ana")
                                            .toString())).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    assertThat(verdict.statusCode()).as(verdict.body()).isEqualTo(201);
                }
                // And a console started again reads that verdict back (it neither writes it again nor forgets who
                // gave it): with WRITE alone on the labels topic it could not, and every start said "verdicts before
                // this start not all read"
                try (AnalystConsole again = AnalystConsole.start(console)) {
                    String state = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(again.url() + "api/state")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                    assertThat(JSON.readTree(state).at("/stats/verdictHistory").toString()).as(state)
                            .isEqualTo("{\"complete\":true,\"reason\":null}");
                }
                // Then its label is on the labels topic
                assertThat(read(broker, List.of(topics.labels()), 1)).extracting(ConsumerRecord::key)
                        .containsExactly(id);

                // And someone watching the decisions with READ on the flagged topic alone (no group) sees every alert
                int alerts = read(broker, List.of(topics.flagged()), -1).size();
                assertThat(alerts).as("alerts to watch").isPositive();
                CliRun tail = CliRun.of("tail", "--config", clientFile(broker, "watcher").toString(), "--topic",
                        topics.flagged(), "--from-beginning", "--to-end");
                assertThat(tail.exitCode()).as(tail.err()).isZero();
                assertThat(tail.out().lines()).hasSize(alerts).allMatch(l -> l.contains(" FLAGGED id "));
            }
        }
    }


    @Test
    void shouldScoreRawEventsWithLabelsWithTheRawEventRows() throws Exception {
        // Given simulated raw payments, a model for them, and the scorer's rows plus the two for raw events
        TransactionSimulator.Simulated simulated = TransactionSimulator.simulate(new TransactionSimulator.Config(40, 60,
                30, LocalDate.of(2018, 4, 1), 8, 5));
        RawEvents events = simulated.events();
        Path file = dir.resolve("payments.csv");
        try (var w = Files.newBufferedWriter(file)) {
            simulated.writeCsv(w);
        }
        int delay = HandbookFeatures.DEFAULT_DELAY_DAYS;
        ModelBundle model = SmallRawModel.train(events, FeatureReplay.replay(events, delay), LocalDate.of(2018, 4, 15),
                LocalDate.of(2018, 4, 28), delay);
        Topics topics = Topics.defaults();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startSecured(dir.resolve("kafka"), USERS)) {
            try (Admin admin = Admin.create(superUser(broker))) {
                createTopics(admin, topics, false); // no model topic yet: publish creates it
                List<AclBinding> acls = new ArrayList<>(scorerAcls(topics, "scorer"));
                allow(acls, "scorer", ResourceType.TOPIC, topics.labels(), PatternType.LITERAL, AclOperation.READ);
                allow(acls, "scorer", ResourceType.TOPIC, APP + "-", PatternType.PREFIXED, AclOperation.ALL);
                allow(acls, "payments", ResourceType.TOPIC, topics.input(), PatternType.LITERAL, AclOperation.WRITE);
                allow(acls, "payments", ResourceType.TOPIC, topics.labels(), PatternType.LITERAL, AclOperation.WRITE);
                allow(acls, "warm", ResourceType.TOPIC, topics.input(), PatternType.LITERAL, AclOperation.WRITE);
                allow(acls, "publisher", ResourceType.TOPIC, topics.models(), PatternType.LITERAL, AclOperation.READ,
                        AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS, AclOperation.CREATE);
                grant(admin, acls);
            }
            // The publishing job creates the missing model topic (compacted) with its CREATE row, and publishes
            CliRun publish = CliRun.of("publish", "--config", clientFile(broker, "publisher").toString(), "--model",
                    write(model).toString());
            assertThat(publish.exitCode()).as(publish.err()).isZero();
            try (Admin admin = Admin.create(superUser(broker))) {
                var resource = new org.apache.kafka.common.config.ConfigResource(
                        org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topics.models());
                assertThat(admin.describeConfigs(List.of(resource)).all().get(60, TimeUnit.SECONDS).get(resource)
                        .get("cleanup.policy").value()).isEqualTo("compact");
            }
            // The first two weeks go in as history by the warm-start job (backfill, its own principal and rows)
            CliRun backfill = CliRun.of("backfill", "--config", clientFile(broker, "warm").toString(), "--data",
                    file.toString(), "--until", "2018-04-15");
            assertThat(backfill.exitCode()).as(backfill.err()).isZero();
            try (ScorerApp app = startScorer(broker, topics, model)) {
                // When the bank's producer sends the later payments, each label a delay after its payment
                CliRun produce = CliRun.of("produce", "--config", clientFile(broker, "payments").toString(), "--data",
                        file.toString(), "--labels", "--from", "2018-04-15", "--rate", "0");
                assertThat(produce.exitCode()).as(produce.err()).isZero();
                // Then every live payment is decided (through the repartition by card and the stores' changelogs,
                // which the scorer created under its prefix), none dead-lettered, the history without decisions
                long from = LocalDate.of(2018, 4, 15).toEpochDay() * HandbookFeatures.DAY;
                int live = (int) java.util.stream.IntStream.range(0, events.size())
                        .filter(i -> events.time(i) >= from).count();
                assertThat(readScored(broker, topics, live)).extracting(r -> r.path("modelVersion").asText())
                        .containsOnly(model.modelVersion());
                // and every label produce sent (read under the scorer's READ row) reached its payment in the terminal
                // stage, beside the history's own, which count as matched as they are stored
                org.apache.kafka.clients.producer.MockProducer<String, byte[]> sent =
                        new org.apache.kafka.clients.producer.MockProducer<>(true, null, new StringSerializer(),
                                new ByteArraySerializer());
                RawEventApp.labelledReplay(events, LocalDate.of(2018, 4, 15), null, delay, topics.input(),
                        topics.labels()).send(sent, new java.util.concurrent.atomic.AtomicBoolean(true),
                        new java.util.concurrent.atomic.AtomicLong());
                long labelsSent = sent.history().stream().filter(r -> r.topic().equals(topics.labels())).count();
                int history = events.size() - live;
                assertThat(labelsSent).isGreaterThan(100);
                assertThat(produce.out()).contains(String.format(java.util.Locale.ROOT, " and %,d labels to %s",
                        labelsSent, topics.labels()));
                var matched = app.metrics().registry().find("fraud.labels").tag("matched", "true").counter();
                CliRun.await(() -> matched.count() >= history + labelsSent);
                assertThat(matched.count()).isEqualTo(history + labelsSent);
                assertThat(app.metrics().registry().find("fraud.labels").tag("matched", "false").counter().count())
                        .isZero();
                assertThat(app.failureReason()).isNull();
            }
        }
    }

    @Test
    void shouldRetrainFromTheTopicsWithTheRetrainingJobsRows() throws Exception {
        // Given creditcard events on the input topic, analysts' labels for three out of four, and a champion
        Dataset rows = CreditCardCsv.read(MadeUpTransactions.write(dir.resolve("topic.csv"), 800, 0.08, 21));
        Path champion = CliRun.quickModel(MadeUpTransactions.write(dir.resolve("old.csv"), 1_000, 0.05, 9),
                "champion.json", "3");
        Topics topics = Topics.defaults();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startSecured(dir.resolve("kafka"),
                Map.of("retrain", "retrain-secret"))) {
            Map<String, Object> admin = superUser(broker);
            try (Admin a = Admin.create(admin)) {
                createTopics(a, topics);
                List<AclBinding> acls = new ArrayList<>();
                allow(acls, "retrain", ResourceType.TOPIC, topics.input(), PatternType.LITERAL, AclOperation.READ);
                allow(acls, "retrain", ResourceType.TOPIC, topics.labels(), PatternType.LITERAL, AclOperation.READ);
                allow(acls, "retrain", ResourceType.TOPIC, topics.models(), PatternType.LITERAL, AclOperation.READ,
                        AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS);
                grant(a, acls);
            }
            Properties superUser = new Properties();
            superUser.putAll(admin);
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(superUser, new StringSerializer(),
                    new ByteArraySerializer());
                 LabelWriter labels = new LabelWriter(new KafkaProducer<>(LabelWriter.producerProperties(superUser),
                         new StringSerializer(), new ByteArraySerializer()), topics.labels(), 10_000,
                         System::currentTimeMillis)) {
                for (int i = 0; i < rows.rows(); i++) {
                    p.send(new ProducerRecord<>(topics.input(), "cc-" + i,
                            RetrainCreditCardIT.event(rows, i, "cc-" + i)));
                }
                p.flush();
                for (int i = 0; i < rows.rows(); i++) {
                    if (i % 4 != 3) {
                        labels.write(RetrainCreditCardIT.alert(rows, i, "cc-" + i), rows.label(i) == 1
                                ? Verdict.Action.CONFIRMED_FRAUD : Verdict.Action.FALSE_ALARM, "ann");
                    }
                }
            }
            Path retrainConfig = clientFile(broker, "retrain", "retrain-secret");
            CliRun publish = CliRun.of("publish", "--config", retrainConfig.toString(), "--model", champion.toString());
            assertThat(publish.exitCode()).as(publish.err()).isZero();

            // When the retraining job runs with its own principal (no consumer group: it reads the topics to their end)
            Path report = dir.resolve("retrain.json");
            CliRun retrain = CliRun.of("retrain", "--family", "creditcard", "--kafka-config",
                    retrainConfig.toString(), "--as", "challenger", "--min-gain",
                    "-0.99", "--max-f1-loss", "1",
                    "--report", report.toString(), "--epochs", "3", "--ensemble", "1", "--folds", "2",
                    "--seed", "5");

            // Then it read the labelled events and published its challenger
            assertThat(retrain.exitCode()).as(retrain.err()).isZero();
            JsonNode r = JSON.readTree(report.toFile());
            assertThat(r.at("/read/labelled_events").asInt()).isEqualTo(600);
            assertThat(r.get("decision").asText()).isEqualTo("published");
            assertThat(read(broker, List.of(topics.models()), 2)).extracting(ConsumerRecord::key)
                    .containsExactly("default", ModelRegistry.CHALLENGER_KEY);
        }
    }

    @Test
    void shouldRefuseToStartNamingTheGrantTheScorerLacks() throws Exception {
        Topics topics = Topics.defaults();
        String notVisible = " (not visible to this client: it does not exist, or no ACL lets it DESCRIBE it)";
        // The grants without which a scorer cannot work (the model topic's DESCRIBE_CONFIGS only lets it check the
        // topic's cleanup policy; the shadow topic's WRITE only lets it shadow-score challengers), each with the
        // words the scorer says when it lacks it
        Map<AclBinding, String> required = new LinkedHashMap<>();
        for (AclBinding a : scorerAcls(topics, "x")) {
            if (a.entry().operation() == AclOperation.DESCRIBE_CONFIGS || a.pattern().name().equals(topics.shadow())) {
                continue;
            }
            String name = a.pattern().name();
            required.put(a, switch (a.pattern().resourceType()) {
                case TOPIC -> a.entry().operation() + " on topic " + name + notVisible;
                case GROUP -> "READ on group " + APP;
                default -> "WRITE on transactional ids prefixed " + APP + "-";
            });
        }
        assertThat(required).hasSize(7);
        List<AclBinding> lacking = new ArrayList<>(required.keySet());
        Map<String, String> users = new HashMap<>();
        for (int i = 0; i < lacking.size(); i++) {
            users.put("lacks" + i, "secret" + i);
        }
        for (String u : List.of("raw", "creates", "describes", "optional")) {
            users.put(u, u + "-secret");
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startSecured(dir.resolve("kafka"), users);
             Admin admin = Admin.create(superUser(broker))) {
            createTopics(admin, topics);
            List<AclBinding> acls = new ArrayList<>();
            for (int i = 0; i < lacking.size(); i++) {
                AclBinding lacks = lacking.get(i);
                for (AclBinding a : scorerAcls(topics, "lacks" + i)) {
                    if (!(a.pattern().equals(lacks.pattern()) && a.entry().operation() == lacks.entry().operation())) {
                        acls.add(a);
                    }
                }
            }
            // the most common slip: the topic described and written, not read
            for (AclBinding a : scorerAcls(topics, "describes")) {
                if (!a.pattern().name().equals(topics.input())) {
                    acls.add(a);
                }
            }
            allow(acls, "describes", ResourceType.TOPIC, topics.input(), PatternType.LITERAL, AclOperation.DESCRIBE,
                    AclOperation.WRITE);
            acls.addAll(scorerAcls(topics, "creates"));
            allow(acls, "creates", ResourceType.TOPIC, "absent.dlq", PatternType.LITERAL, AclOperation.WRITE);
            acls.addAll(scorerAcls(topics, "raw"));
            for (AclBinding a : scorerAcls(topics, "optional")) {
                if (a.entry().operation() != AclOperation.DESCRIBE_CONFIGS
                        && !a.pattern().name().equals(topics.shadow())) {
                    acls.add(a);
                }
            }
            grant(admin, acls);

            for (int i = 0; i < lacking.size(); i++) {
                // Given a scorer whose principal lacks one of them
                ScorerConfig config = scorer(broker, topics, "lacks" + i, users.get("lacks" + i), "state" + i);
                // Then it refuses to start, naming it, before Kafka Streams starts
                assertThatThrownBy(() -> ScorerApp.start(config, ModelFixtures.bundle(1),
                        new ScorerApp.Options("127.0.0.1", -1, 0)))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("the cluster at " + broker.bootstrapServers() + " does not allow this scorer's "
                                + "client " + required.get(lacking.get(i)) + ": ask its administrator for these ACLs "
                                + "(docs/secured-cluster.md), or start with --access-check warn");
            }
            ScorerConfig describes = scorer(broker, topics, "describes", "describes-secret", "state-d");
            assertThatThrownBy(() -> ScorerApp.start(describes, ModelFixtures.bundle(1),
                    new ScorerApp.Options("127.0.0.1", -1, 0)))
                    .hasMessageContaining("does not allow this scorer's client READ on topic transactions: ask");

            // And with --access-check warn it starts anyway, saying why; with off it does not ask (the operator's way
            // out of a wrong refusal)
            for (AccessCheck.Mode mode : List.of(AccessCheck.Mode.WARN, AccessCheck.Mode.OFF)) {
                ListAppender<ILoggingEvent> log = listen(AccessCheck.class);
                try (ScorerApp app = ScorerApp.start(describes, ModelFixtures.bundle(1),
                        new ScorerApp.Options("127.0.0.1", -1, 0).withAccessCheck(mode))) {
                    assertThat(app.registry().current().modelVersion()).isEqualTo(ModelFixtures.bundle(1)
                            .modelVersion());
                } finally {
                    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(AccessCheck.class)).detachAppender(log);
                }
                List<String> warned = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
                if (mode == AccessCheck.Mode.WARN) {
                    assertThat(warned).singleElement().asString().contains("READ on topic transactions: ask")
                            .endsWith("(--access-check warn: starting anyway)");
                } else {
                    assertThat(warned).isEmpty();
                }
            }

            // With the default --create-topics auto, the documented grants (no CREATE) on a cluster without the shadow
            // and model topics: it starts, says it could not create them, and refuses challengers
            Topics fresh = new Topics("fresh.in", "fresh.flagged", "fresh.clean", "fresh.dlq", "fresh.models",
                    "fresh.labels");
            for (String topic : List.of(fresh.input(), fresh.flagged(), fresh.clean(), fresh.deadLetter())) {
                admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            grant(admin, scorerAcls(fresh, "optional"));
            ListAppender<ILoggingEvent> setup = listen(TopicSetup.class);
            try (ScorerApp app = ScorerApp.start(new ScorerConfig(fresh, scorer(broker, fresh, "optional",
                    "optional-secret", "state-f").kafka(), 16_384, 3), ModelFixtures.bundle(1),
                    new ScorerApp.Options("127.0.0.1", -1, 2))) {
                assertThat(setup.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                        "this scorer's client may not create fresh.in.shadow, fresh.models (no CREATE ACL): it starts "
                                + "without them (no shadow scoring without the shadow topic; the model watcher waits "
                                + "for the model topic)");
                assertThat(app.registry().current().modelVersion()).isEqualTo(ModelFixtures.bundle(1).modelVersion());
            } finally {
                ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(TopicSetup.class)).detachAppender(setup);
            }

            // Without the two optional grants it starts: the cleanup policy is not checked (said so), and a challenger
            // is refused with the reason instead of failing the stream thread's transactions
            ScorerConfig optional = scorer(broker, topics, "optional", "optional-secret", "state-o");
            assertThat(TopicSetup.modelTopicRetention(optional.clientProperties(), topics.models()))
                    .startsWith("model topic fraud-models: its cleanup.policy was not checked");
            try (ScorerApp app = ScorerApp.start(optional, ModelFixtures.bundle(1),
                    new ScorerApp.Options("127.0.0.1", -1, 0))) {
                CliRun challenger = CliRun.of("publish", "--config", clientFile(broker, EmbeddedKafkaBroker.BROKER_USER,
                        EmbeddedKafkaBroker.brokerPassword()).toString(), "--model", write(ModelFixtures.bundle(2))
                        .toString(), "--as", "challenger");
                assertThat(challenger.exitCode()).as(challenger.err()).isZero();
                CliRun.await(() -> app.registry().refusals().size() == 1);
                assertThat(app.registry().refusals().get(0)).contains("this scorer's client may not write to shadow "
                        + "topic transactions.shadow (no WRITE ACL");
                assertThat(app.registry().challenger()).isNull();
            }

            // A scorer left to create missing topics (--create-topics auto, the default) without CREATE, its ACLs
            // granted before the topic was created: one line naming the topic it needs, and the way out
            Topics absentDeadLetters = new Topics(topics.input(), topics.flagged(), topics.clean(), "absent.dlq",
                    topics.models(), topics.labels());
            ScorerConfig creates = new ScorerConfig(absentDeadLetters, scorer(broker, topics, "creates",
                    "creates-secret", "state-c").kafka(), 16_384, 3);
            assertThatThrownBy(() -> ScorerApp.start(creates, ModelFixtures.bundle(1),
                    new ScorerApp.Options("127.0.0.1", -1, 2)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("this scorer's client may not create topic absent.dlq (no CREATE ACL): create it, or "
                            + "grant this client CREATE on it (docs/secured-cluster.md)");

            // A raw-event scorer also needs its internal topics (repartition, changelogs) under its prefix
            Map<String, Object> raw = new HashMap<>(broker.clientProperties("raw", "raw-secret"));
            raw.put("bootstrap.servers", broker.bootstrapServers());
            try (Admin rawAdmin = Admin.create(raw)) {
                assertThat(AccessCheck.missingGrants(rawAdmin, Map.of(), APP, true, true)).containsExactly(
                        "ALL on topics prefixed " + APP + "- (Kafka Streams creates and uses its internal topics "
                                + "there)");
                // so a raw-event scorer with only the creditcard scorer's rows refuses to start, naming its two
                RawEvents events = TransactionSimulator.simulate(new TransactionSimulator.Config(40, 60, 30,
                        LocalDate.of(2018, 4, 1), 8, 5)).events();
                int delay = HandbookFeatures.DEFAULT_DELAY_DAYS;
                ModelBundle rawModel = SmallRawModel.train(events, FeatureReplay.replay(events, delay),
                        LocalDate.of(2018, 4, 15), LocalDate.of(2018, 4, 28), delay);
                assertThatThrownBy(() -> ScorerApp.start(scorer(broker, topics, "raw", "raw-secret", "state-r"),
                        rawModel, new ScorerApp.Options("127.0.0.1", -1, 0)))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("the cluster at " + broker.bootstrapServers() + " does not allow this scorer's "
                                + "client READ on topic transactions.labels (not visible to this client: it does not "
                                + "exist, or no ACL lets it DESCRIBE it); ALL on topics prefixed " + APP + "- (Kafka "
                                + "Streams creates and uses its internal topics there): ask its administrator for "
                                + "these ACLs (docs/secured-cluster.md), or start with --access-check warn");
                // an administrator who created them already is trusted (with a warning)
                admin.createTopics(List.of(new NewTopic(APP + "-by-customer-repartition", 2, (short) 1))).all()
                        .get(60, TimeUnit.SECONDS);
                List<AclBinding> prefix = new ArrayList<>();
                allow(prefix, "raw", ResourceType.TOPIC, APP + "-", PatternType.PREFIXED, AclOperation.READ,
                        AclOperation.WRITE);
                grant(admin, prefix);
                assertThat(AccessCheck.missingGrants(rawAdmin, Map.of(), APP, true, true)).isEmpty();
            }
        }
    }

    /** The scorer with principal {@code scorer}'s client file, as the README starts one (--create-topics 0). */
    private ScorerApp startScorer(EmbeddedKafkaBroker broker, Topics topics, ModelBundle model) throws Exception {
        return startScorer(clientFile(broker, "scorer"), topics, model);
    }

    /** The scorer with the settings of {@code clientFile}, as the README starts one (--create-topics 0). */
    private ScorerApp startScorer(Path clientFile, Topics topics, ModelBundle model) throws Exception {
        Properties kafka = KafkaOptions.resolve(clientFile, Map.of("application.id", APP,
                "state.dir", Files.createDirectories(dir.resolve("state")).toString()), null);
        return ScorerApp.start(new ScorerConfig(topics, kafka, 16_384, 3), model,
                new ScorerApp.Options("127.0.0.1", -1, 0));
    }

    /** The bank's producer (principal {@code payments}) sends the first {@code n} rows of {@code data}. */
    private void produce(EmbeddedKafkaBroker broker, Path data, int n) throws IOException {
        produce(clientFile(broker, "payments"), data, n);
    }

    private static void produce(Path clientFile, Path data, int n) {
        CliRun produce = CliRun.of("produce", "--config", clientFile.toString(), "--data",
                data.toString(), "--rate", "0", "--limit", Integer.toString(n));
        assertThat(produce.exitCode()).as(produce.err()).isZero();
    }

    private ScorerConfig scorer(EmbeddedKafkaBroker broker, Topics topics, String user, String password, String state)
            throws IOException {
        Properties kafka = KafkaOptions.resolve(clientFile(broker, user, password),
                Map.of("application.id", APP, "state.dir", dir.resolve(state).toString()), null);
        return new ScorerConfig(topics, kafka, 16_384, 3);
    }

    private Path write(org.fraudscorer.common.model.ModelBundle model) throws IOException {
        Path file = dir.resolve("model-" + model.modelVersion() + ".json");
        ModelFile.write(model, file);
        return file;
    }

    /** Collects what {@code type}'s logger logs from now on (detach it after). */
    private static ListAppender<ILoggingEvent> listen(Class<?> type) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(type)).addAppender(appender);
        return appender;
    }

    /** Creates the ACLs and waits until the broker applies them (the controller commits first; brokers follow). */
    private static void grant(Admin admin, List<AclBinding> acls) throws Exception {
        admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
        CliRun.await(() -> {
            try {
                return admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS).containsAll(acls);
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void shouldSayWhenTheClusterRefusesTheCredentialsOrTheProtocol() throws Exception {
        Path model = dir.resolve("m.json");
        ModelFile.write(org.fraudscorer.common.model.ModelFixtures.bundle(1), model);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startSecured(dir.resolve("kafka"), USERS)) {
            // A wrong password: the cluster answered, so the servers are right and the credentials are not; every
            // command that talks to the cluster says so in the same line
            Path wrong = clientFile(broker, "publisher", "wrong");
            Path rows = MadeUpTransactions.write(dir.resolve("rows.csv"), 50, 0.1, 3);
            Path payments = Files.writeString(dir.resolve("payments.csv"), "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,"
                    + "TERMINAL_ID,TX_AMOUNT,TX_FRAUD\n1,2018-04-01 00:00:01,1,1,10.0,0\n");
            List<List<String>> commands = List.of(
                    List.of("publish", "--config", wrong.toString(), "--model", model.toString()),
                    List.of("produce", "--config", wrong.toString(), "--data", rows.toString()),
                    List.of("backfill", "--config", wrong.toString(), "--data", payments.toString()),
                    List.of("console", "--config", wrong.toString(), "--console-port", "0"),
                    List.of("retrain", "--family", "creditcard", "--kafka-config", wrong.toString(), "--report",
                            dir.resolve("r.json").toString()));
            for (List<String> command : commands) {
                CliRun r = CliRun.of(command.toArray(String[]::new));
                assertThat(r.exitCode()).as(command + ": " + r.err()).isEqualTo(1);
                assertThat(lastLine(r)).as(command.get(0)).isEqualTo("error: Kafka at " + broker.bootstrapServers()
                        + " refused this client's authentication (SaslAuthenticationException: Authentication failed: "
                        + "Invalid username or password); check the security settings of " + SETTINGS + " "
                        + "(security.protocol, sasl.*, ssl.*)");
            }
            // No security settings at all: a plaintext client gets no answer from a SASL listener
            CliRun plain = CliRun.of("publish", "--bootstrap-servers", broker.bootstrapServers(), "--model",
                    model.toString());
            assertThat(plain.exitCode()).isEqualTo(1);
            assertThat(lastLine(plain)).isEqualTo("error: Kafka at " + broker.bootstrapServers() + " gave no answer "
                    + "within 15 s, though " + broker.bootstrapServers() + " accepts connections: check "
                    + "security.protocol (here PLAINTEXT) and the security settings of "
                    + SETTINGS + " " + ANY_PROTOCOL);
        }
    }

    @Test
    void shouldScoreOverTlsAndSayWhenAClientDoesNotTrustTheCluster() throws Exception {
        // Given a cluster on SASL_SSL, whose certificate a bank's own authority signed (ca.pem for the clients)
        Path data = MadeUpTransactions.write(dir.resolve("rows.csv"), 1_000, 0.05, 7);
        Path v1 = CliRun.quickModel(data, "v1.json", "1");
        Path v2 = CliRun.quickModel(data, "v2.json", "2");
        Topics topics = Topics.defaults();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startSecured(dir.resolve("kafka"), USERS,
                BrokerTls.create(dir.resolve("tls")))) {
            createTopicsWithDocumentedAcls(broker, topics);
            assertThat(Files.readString(clientFile(broker, "scorer"))).contains("security.protocol=SASL_SSL",
                    "ssl.truststore.type=PEM");
            ModelFile.Loaded start = ModelFile.load(v1);
            try (ScorerApp app = startScorer(broker, topics, start.bundle())) {
                // When payments arrive, and a new champion is published, each client with the TLS settings of its file
                produce(broker, data, 200);
                assertThat(readScored(broker, topics, 200)).extracting(r -> r.path("modelVersion").asText())
                        .containsOnly(start.bundle().modelVersion());
                CliRun publish = CliRun.of("publish", "--config", clientFile(broker, "publisher").toString(),
                        "--model", v2.toString());
                assertThat(publish.exitCode()).as(publish.err()).isZero();
                String v2Version = ModelFile.read(v2).modelVersion();
                CliRun.await(() -> app.registry().current().modelVersion().equals(v2Version));
                produce(broker, data, 100);
                // Then the scorer decides them exactly once (its transactions over TLS), by the model of the moment
                assertThat(readScored(broker, topics, 300).subList(200, 300))
                        .extracting(r -> r.path("modelVersion").asText()).containsOnly(v2Version);
                assertThat(app.failureReason()).isNull();
            }

            // A client that does not trust the cluster's certificate (the JDK's own authorities only): one line that
            // names the handshake and what to check, not a refused password
            Path untrusting = clientFile(broker, "publisher", USERS.get("publisher"), "ssl.truststore.");
            CliRun refused = CliRun.of("publish", "--config", untrusting.toString(), "--model", v2.toString());
            assertThat(refused.exitCode()).as(refused.err()).isEqualTo(1);
            assertThat(lastLine(refused)).isEqualTo("error: the TLS handshake with Kafka at " + broker.bootstrapServers()
                    + " failed (unable to find valid certification path to requested target); check the ssl.* "
                    + "settings of " + SETTINGS + ": the trust store (ssl.truststore.*) must hold the authority that "
                    + "signed the cluster's certificate, and the certificate must name the server");
            // A client without TLS (SASL_PLAINTEXT) on the TLS listener
            Path plain = clientFile(broker, "publisher", USERS.get("publisher"), "ssl.");
            Properties plainText = new Properties();
            try (var in = Files.newBufferedReader(plain)) {
                plainText.load(in);
            }
            plainText.put("security.protocol", "SASL_PLAINTEXT");
            try (var out = Files.newBufferedWriter(plain)) {
                plainText.store(out, null);
            }
            CliRun noTls = CliRun.of("publish", "--config", plain.toString(), "--model", v2.toString());
            assertThat(noTls.exitCode()).as(noTls.err()).isEqualTo(1);
            assertThat(lastLine(noTls)).isEqualTo("error: Kafka at " + broker.bootstrapServers() + " gave no answer "
                    + "within 15 s, though " + broker.bootstrapServers() + " accepts connections: check "
                    + "security.protocol (here SASL_PLAINTEXT) and the security settings of " + SETTINGS + " "
                    + ANY_PROTOCOL);
        }
    }

    @Test
    void shouldScoreWithScramAndAJksTrustStoreAsTheReadmeShows() throws Exception {
        // Given a SASL_SSL cluster whose users log in with SCRAM-SHA-512, and clients holding a JKS trust store
        Path data = MadeUpTransactions.write(dir.resolve("rows.csv"), 1_000, 0.05, 7);
        Path v1 = CliRun.quickModel(data, "v1.json", "1");
        Path v2 = CliRun.quickModel(data, "v2.json", "2");
        Topics topics = Topics.defaults();
        BrokerTls tls = BrokerTls.create(dir.resolve("tls"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startSecured(dir.resolve("kafka"), USERS, tls)) {
            createTopicsWithDocumentedAcls(broker, topics);
            Map<String, String> jks = tls.jksTrustStore(dir.resolve("jks"));
            java.util.function.BiFunction<String, String, Path> readme = (user, password) -> {
                Map<String, String> settings = new HashMap<>(broker.scramClientProperties(user, password));
                settings.keySet().removeIf(k -> k.startsWith("ssl."));
                settings.putAll(jks);
                try {
                    return clientFile(broker, user + "-scram-" + password, settings);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            Path scorerFile = readme.apply("scorer", USERS.get("scorer"));
            assertThat(Files.readString(scorerFile)).contains("security.protocol=SASL_SSL",
                    "sasl.mechanism=SCRAM-SHA-512", "ScramLoginModule", "ssl.truststore.location=",
                    "ssl.truststore.password=").doesNotContain("ssl.truststore.type");
            // When payments arrive and a new champion is published, every client logging in with SCRAM
            scoreAndSwap(broker, topics, scorerFile, readme.apply("payments", USERS.get("payments")),
                    readme.apply("publisher", USERS.get("publisher")), data, v1, v2);
            // A wrong SCRAM password: the cluster's own reason, in one line
            CliRun refused = CliRun.of("publish", "--config", readme.apply("publisher", "wrong-secret").toString(),
                    "--model", v2.toString());
            assertThat(refused.exitCode()).as(refused.err()).isEqualTo(1);
            assertThat(lastLine(refused)).startsWith("error: Kafka at " + broker.bootstrapServers() + " refused this "
                    + "client's authentication (SaslAuthenticationException: Authentication failed during "
                    + "authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512); check the "
                    + "security settings of " + SETTINGS);
        }
    }

    @Test
    void shouldScoreOverMutualTlsWithTheCertificateNamingThePrincipal() throws Exception {
        // Given a cluster that knows its clients by their certificates (SSL, client certificates required), each
        // certificate's CN its principal, with the documented ACLs for those principals
        Path data = MadeUpTransactions.write(dir.resolve("rows.csv"), 1_000, 0.05, 7);
        Path v1 = CliRun.quickModel(data, "v1.json", "1");
        Path v2 = CliRun.quickModel(data, "v2.json", "2");
        Topics topics = Topics.defaults();
        BrokerTls tls = BrokerTls.create(dir.resolve("tls"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startMutualTls(dir.resolve("kafka"), tls)) {
            createTopicsWithDocumentedAcls(broker, topics);
            Path certs = dir.resolve("certs");
            Path scorerFile = clientFile(broker, "scorer-cert", tls.clientKeyStore(certs, "scorer"));
            assertThat(Files.readString(scorerFile)).contains("security.protocol=SSL", "ssl.keystore.location=")
                    .doesNotContain("sasl.");
            // When the bank's producer and the publishing job, each with its own certificate, do their work
            scoreAndSwap(broker, topics, scorerFile, clientFile(broker, "payments-cert", tls.clientKeyStore(certs,
                    "payments")), clientFile(broker, "publisher-cert", tls.clientKeyStore(certs, "publisher")), data,
                    v1, v2);
            // A certificate of the bank's authority whose principal has no ACL: the scorer refuses to start, naming
            // what it lacks, as for a SASL user
            Path stranger = clientFile(broker, "stranger-cert", tls.clientKeyStore(certs, "stranger"));
            Properties kafka = KafkaOptions.resolve(stranger, Map.of("application.id", APP,
                    "state.dir", dir.resolve("state-s").toString()), null);
            assertThatThrownBy(() -> ScorerApp.start(new ScorerConfig(topics, kafka, 16_384, 3), ModelFile.read(v1),
                    new ScorerApp.Options("127.0.0.1", -1, 0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("the cluster at " + broker.bootstrapServers() + " does not allow this "
                            + "scorer's client READ on topic " + topics.input());
            // A client that trusts the cluster but has no certificate of its own: one line
            Map<String, String> noCertificate = new HashMap<>(tls.clientProperties());
            noCertificate.put("security.protocol", "SSL");
            CliRun refused = CliRun.of("publish", "--config", clientFile(broker, "no-cert", noCertificate).toString(),
                    "--model", v2.toString());
            assertThat(refused.exitCode()).as(refused.err()).isEqualTo(1);
            // (JDK 17 answers bad_certificate; JDKs with JDK-8311644 certificate_required)
            assertThat(lastLine(refused)).matches("error: Kafka at " + broker.bootstrapServers() + " refused this "
                    + "client's TLS certificate \\(Received fatal alert: (bad_certificate|certificate_required)\\); "
                    + "check the ssl.keystore.\\* settings of " + java.util.regex.Pattern.quote(SETTINGS)
                    + ": the cluster asks each client for a "
                    + "certificate \\(mutual TLS\\) signed by an authority it trusts and valid today");
        }
    }

    /**
     * Runs a scorer with the settings of {@code scorerFile} on {@code v1}; {@code paymentsFile}'s producer sends 150
     * payments, {@code publisherFile}'s job publishes {@code v2} as the champion, then 50 more payments: each is
     * decided exactly once (the scorer's transactions on this cluster), the first by v1, the last by v2.
     */
    private void scoreAndSwap(EmbeddedKafkaBroker broker, Topics topics, Path scorerFile, Path paymentsFile,
                              Path publisherFile, Path data, Path v1, Path v2) throws Exception {
        ModelFile.Loaded start = ModelFile.load(v1);
        try (ScorerApp app = startScorer(scorerFile, topics, start.bundle())) {
            produce(paymentsFile, data, 150);
            assertThat(readScored(broker, topics, 150)).extracting(r -> r.path("modelVersion").asText())
                    .containsOnly(start.bundle().modelVersion());
            CliRun publish = CliRun.of("publish", "--config", publisherFile.toString(), "--model", v2.toString());
            assertThat(publish.exitCode()).as(publish.err()).isZero();
            String v2Version = ModelFile.read(v2).modelVersion();
            CliRun.await(() -> app.registry().current().modelVersion().equals(v2Version));
            produce(paymentsFile, data, 50);
            assertThat(readScored(broker, topics, 200).subList(150, 200))
                    .extracting(r -> r.path("modelVersion").asText()).containsOnly(v2Version);
            assertThat(app.failureReason()).isNull();
        }
    }

    /**
     * The command's last line on stderr: the tests' logging configuration, unlike the launcher's, keeps Kafka's own log
     * of a refused authentication before it (LoggingConfigTest checks that the launcher's leaves it out).
     */
    private static String lastLine(CliRun run) {
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        return lines.get(lines.size() - 1);
    }

    /**
     * The ACLs of docs/secured-cluster.md for a creditcard scorer (principal {@code scorer}, which docs call
     * fraud-scorer), the publishing job, the bank's producer of payments and the analysts' console.
     */
    private static List<AclBinding> documentedAcls(Topics t, String scorer) {
        List<AclBinding> acls = new ArrayList<>(scorerAcls(t, scorer));
        allow(acls, "publisher", ResourceType.TOPIC, t.models(), PatternType.LITERAL, AclOperation.READ,
                AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS);
        allow(acls, "publisher", ResourceType.TRANSACTIONAL_ID, "fraud-publish-", PatternType.PREFIXED,
                AclOperation.WRITE);
        allow(acls, "payments", ResourceType.TOPIC, t.input(), PatternType.LITERAL, AclOperation.WRITE);
        allow(acls, "analysts", ResourceType.TOPIC, t.flagged(), PatternType.LITERAL, AclOperation.READ);
        allow(acls, "analysts", ResourceType.GROUP, "fraud-console", PatternType.LITERAL, AclOperation.READ);
        allow(acls, "analysts", ResourceType.TOPIC, t.labels(), PatternType.LITERAL, AclOperation.READ,
                AclOperation.WRITE);
        allow(acls, "watcher", ResourceType.TOPIC, t.flagged(), PatternType.LITERAL, AclOperation.READ);
        return acls;
    }

    /** The scorer's rows: what it reads and writes, its group and its transactions (creditcard: no internal topics). */
    private static List<AclBinding> scorerAcls(Topics t, String scorer) {
        List<AclBinding> acls = new ArrayList<>();
        allow(acls, scorer, ResourceType.TOPIC, t.input(), PatternType.LITERAL, AclOperation.READ);
        for (String out : List.of(t.flagged(), t.clean(), t.deadLetter(), t.shadow())) {
            allow(acls, scorer, ResourceType.TOPIC, out, PatternType.LITERAL, AclOperation.WRITE);
        }
        allow(acls, scorer, ResourceType.TOPIC, t.models(), PatternType.LITERAL, AclOperation.READ,
                AclOperation.DESCRIBE_CONFIGS);
        allow(acls, scorer, ResourceType.GROUP, APP, PatternType.LITERAL, AclOperation.READ);
        allow(acls, scorer, ResourceType.TRANSACTIONAL_ID, APP + "-", PatternType.PREFIXED, AclOperation.WRITE);
        return acls;
    }

    private static void allow(List<AclBinding> acls, String user, ResourceType type, String name, PatternType pattern,
                              AclOperation... operations) {
        for (AclOperation op : operations) {
            acls.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW)));
        }
    }

    /** A client.properties as the README shows one: servers, protocol, mechanism and the user's login. */
    private Path clientFile(EmbeddedKafkaBroker broker, String user) throws IOException {
        return clientFile(broker, user, USERS.get(user));
    }

    private Path clientFile(EmbeddedKafkaBroker broker, String user, String password) throws IOException {
        return clientFile(broker, user, password, null);
    }

    /** As {@link #clientFile(EmbeddedKafkaBroker, String)}, without the settings whose names start with leaveOut. */
    private Path clientFile(EmbeddedKafkaBroker broker, String user, String password, String leaveOut)
            throws IOException {
        Map<String, String> settings = new HashMap<>(broker.clientProperties(user, password));
        settings.keySet().removeIf(k -> leaveOut != null && k.startsWith(leaveOut));
        return clientFile(broker, user + "-" + password + (leaveOut == null ? "" : "-no-" + leaveOut.replace('.', '-')),
                settings);
    }

    /** A client.properties named {@code name} with these settings and the broker's address. */
    private Path clientFile(EmbeddedKafkaBroker broker, String name, Map<String, String> settings) throws IOException {
        Path file = dir.resolve(name + ".properties");
        Properties p = new Properties();
        p.putAll(settings);
        p.put("bootstrap.servers", broker.bootstrapServers());
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, null);
        }
        return file;
    }

    private static Map<String, Object> superUser(EmbeddedKafkaBroker broker) {
        Map<String, Object> c = new HashMap<>(broker.superUserProperties());
        c.put("bootstrap.servers", broker.bootstrapServers());
        return c;
    }

    /** The flagged and clean records (no dead letter among them), ordered by their payment's time, once n are there. */
    private static List<JsonNode> readScored(EmbeddedKafkaBroker broker, Topics t, int n) throws Exception {
        List<ConsumerRecord<String, String>> records = read(broker, t.outputs(), n);
        assertThat(records).noneMatch(r -> r.topic().equals(t.deadLetter()));
        records.sort(java.util.Comparator.comparingLong(ConsumerRecord::timestamp));
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            out.add(json(r));
        }
        return out;
    }

    private static JsonNode json(ConsumerRecord<String, String> r) {
        try {
            return JSON.readTree(r.value());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Every committed record of these topics (read by the administrator), once n are there; fails if more or fewer
     * (n = -1: whatever they hold).
     */
    private static List<ConsumerRecord<String, String>> read(EmbeddedKafkaBroker broker, List<String> topics, int n) {
        Map<String, Object> c = superUser(broker);
        c.put("isolation.level", "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (records.size() < n && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add); // one more look: nothing beyond n
            if (n >= 0) {
                assertThat(records).as("records of " + topics).hasSize(n);
            }
            return records;
        }
    }

    /** The administrator creates the topics and the documented ACLs (principal {@code scorer} for the scorer). */
    private static void createTopicsWithDocumentedAcls(EmbeddedKafkaBroker broker, Topics topics) throws Exception {
        try (Admin admin = Admin.create(superUser(broker))) {
            createTopics(admin, topics);
            grant(admin, documentedAcls(topics, "scorer"));
        }
    }

    private static void createTopics(Admin admin, Topics topics) throws Exception {
        createTopics(admin, topics, true);
    }

    private static void createTopics(Admin admin, Topics topics, boolean withModelTopic) throws Exception {
        List<NewTopic> create = new ArrayList<>();
        for (String t : List.of(topics.input(), topics.flagged(), topics.clean(), topics.deadLetter(),
                topics.shadow(), topics.labels())) {
            create.add(new NewTopic(t, 2, (short) 1));
        }
        if (withModelTopic) {
            create.add(new NewTopic(topics.models(), 1, (short) 1).configs(TopicSetup.MODEL_TOPIC_CONFIG));
        }
        admin.createTopics(create).all().get(60, TimeUnit.SECONDS);
    }
}
