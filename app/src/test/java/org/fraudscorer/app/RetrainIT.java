package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.SigningKey;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.serde.RawEventJson;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.events.TransactionSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./fraud retrain} against a real broker: payments and their delayed labels on the input and labels topics
 * (sent as the live system carries them, {@link RawEventReplay}), the champion on the compacted model topic. A dry
 * run and a gate that does not hold leave the model topic as it was; a gate that holds appends the signed challenger,
 * which is then the latest model there.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RetrainIT {
    private static final List<String> QUICK = List.of("--epochs", "3", "--ensemble", "1", "--folds", "2", "--seed", "5");

    @TempDir
    Path dir;

    @Test
    void shouldPublishTheChallengerOnlyWhenTheGateHoldsAndNeverOnADryRun(TestBroker broker) throws Exception {
        // Given 40 days of payments on the input topic, their labels a week later on the labels topic, one malformed
        // event and one label of a payment never seen, and a champion on the model topic
        TransactionSimulator.Simulated s = TransactionSimulator.simulate(
                new TransactionSimulator.Config(300, 600, 40, LocalDate.of(2018, 4, 1), 5, 3));
        RawEvents events = s.events();
        String p = "retrain-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics(p + ".in", p + ".flagged", p + ".clean", p + ".dlq", p + ".models", p + ".labels");
        broker.createTopic(topics.input(), 3);
        broker.createTopic(topics.labels(), 3);
        broker.createTopic(topics.models(), 1, Map.of("cleanup.policy", "compact"));
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.input(), "bad", "not json".getBytes(StandardCharsets.UTF_8)));
            // a mistyped year, which the scorer dead-letters (FUTURE_EVENT_TIME): read, it would move the period's
            // end to 2029 and leave the gate no labelled week
            producer.send(new ProducerRecord<>(topics.input(), "1", RawEventJson.event(888_888_888L,
                    java.time.LocalDate.of(2030, 1, 1).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond(), 1, 1,
                    10.0)));
            producer.send(new ProducerRecord<>(topics.labels(), "1", RawEventJson.label(999_999_999L,
                    events.time(0), 1, true)));
            long sent = RawEventReplay.of(events, topics.input()).withLabelFeedback(topics.labels(), 7)
                    .send(producer, new AtomicBoolean(true), new AtomicLong());
            assertThat(sent).isEqualTo(events.size());
        }
        Path champion = dir.resolve("champion.json");
        CliRun train = CliRun.of("train", "--data", csv(s).toString(), "--out", champion.toString(), "--train-from",
                "2018-04-15", "--train-to", "2018-04-21", "--no-refit", "--epochs", "2", "--ensemble", "1", "--folds", "2");
        assertThat(train.exitCode()).as(train.errorLines()).isZero();
        CliRun publish = CliRun.of("publish", "-b", broker.bootstrapServers(), "--model-topic", topics.models(),
                "--model", champion.toString());
        assertThat(publish.exitCode()).as(publish.errorLines()).isZero();
        String championVersion = ModelFile.read(champion).modelVersion();
        assertThat(modelTopic(kafka, topics.models())).hasSize(1);

        // When a dry run, then a run whose gate cannot hold (min gain 0.99), retrain from the topics
        Path dryReport = dir.resolve("dry.json");
        CliRun dry = retrain(broker, topics, "--dry-run",
                "--min-gain", "-0.99", "--max-f1-loss", "1", "--report", dryReport.toString());
        Path refusedReport = dir.resolve("refused.json");
        CliRun refused = retrain(broker, topics, "--min-gain", "0.99", "--report", refusedReport.toString());

        // Then both reported, and the model topic still holds only the champion
        assertThat(dry.exitCode()).as(dry.errorLines()).isZero();
        assertThat(refused.exitCode()).as(refused.errorLines()).isZero();
        JsonNode d = json(dryReport);
        assertThat(d.get("decision").asText()).isEqualTo("dry_run");
        assertThat(d.get("champion").get("model_version").asText()).isEqualTo(championVersion);
        assertThat(d.get("read").get("events").asInt()).isEqualTo(events.size());
        assertThat(d.get("read").get("rejected_events").asInt()).isEqualTo(1);
        assertThat(d.get("read").get("future_dated_events").asInt()).isEqualTo(1);
        assertThat(d.get("read").get("labels_for_unknown_payments").asInt()).isEqualTo(1);
        assertThat(d.get("challenger").get("frauds").asInt()).isPositive();
        assertThat(json(refusedReport).get("decision").asText()).isEqualTo("refused");
        assertThat(modelTopic(kafka, topics.models())).hasSize(1);

        // A model topic that would delete the model is refused before the training, not when publishing after it
        // (found by a helper session)
        String deleting = p + ".models-delete";
        broker.createTopic(deleting, 1, Map.of("cleanup.policy", "delete"));
        CliRun early = CliRun.of("retrain", "-b", broker.bootstrapServers(), "--model-topic", deleting,
                "--input-topic", topics.input(), "--labels-topic", topics.labels(), "--champion", champion.toString(),
                "--min-gain", "-0.99", "--max-f1-loss", "1");
        assertThat(early.exitCode()).as(early.errorLines()).isEqualTo(1);
        assertThat(early.errorLines()).contains("cleanup.policy", "nothing trained or published").doesNotContain("\n");
        assertThat(early.out()).doesNotContain("Trained on");

        // An empty labels topic is said as such: it said "the latest labelled window ... holds no fraud" (a hunt)
        String noLabels = p + ".labels-empty";
        broker.createTopic(noLabels, 1);
        CliRun unlabelled = CliRun.of("retrain", "-b", broker.bootstrapServers(), "--model-topic", topics.models(),
                "--input-topic", topics.input(), "--labels-topic", noLabels, "--dry-run");
        assertThat(unlabelled.exitCode()).as(unlabelled.errorLines()).isEqualTo(1);
        assertThat(unlabelled.errorLines()).startsWith("error: no label on topic " + noLabels + " for the payments "
                + "read (0 records that are not labels) and no fraud among the labels of backfilled payments on "
                + topics.input())
                .doesNotContain("\n");

        // When a run whose gate holds signs and publishes
        SigningKey key = SigningKey.generate();
        SigningKey.KeyFiles keyFiles = key.writePair(dir, "ops");
        Path keyFile = keyFiles.privateKey();
        Path report = dir.resolve("published.json");
        CliRun published = retrain(broker, topics,
                "--min-gain", "-0.99", "--max-f1-loss", "1", "--signing-key", keyFile.toString(),
                "--report", report.toString());

        // Then the model topic's latest record is the challenger of the report, signed by the key
        assertThat(published.exitCode()).as(published.errorLines()).isZero();
        JsonNode r = json(report);
        assertThat(r.get("decision").asText()).isEqualTo("published");
        assertThat(r.get("published_to").asText()).startsWith(topics.models() + "-0@");
        List<byte[]> models = modelTopic(kafka, topics.models());
        assertThat(models).hasSize(2);
        ModelFile.Loaded latest = ModelFile.load(models.get(1), "latest", null);
        ModelBundle challenger = latest.bundle();
        assertThat(challenger.modelVersion()).isEqualTo(r.get("published_model").get("model_version").asText())
                .isNotEqualTo(championVersion);
        assertThat(challenger.sha256()).isEqualTo(r.get("published_model").get("sha256").asText());
        assertThat(latest.authenticity().keyId()).isEqualTo(key.keyId());

        // And the next retrain takes the published challenger as its champion (with trusted keys too: the unsigned
        // first champion would not count, the signed challenger does)
        Path next = dir.resolve("next.json");
        CliRun again = retrain(broker, topics, "--dry-run", "--report", next.toString(), "--trusted-keys",
                keyFiles.publicKey().toString(), "--signing-key", keyFile.toString());
        assertThat(again.exitCode()).as(again.errorLines()).isZero();
        assertThat(json(next).get("champion").get("model_version").asText()).isEqualTo(challenger.modelVersion());
        assertThat(modelTopic(kafka, topics.models())).hasSize(2);

        // When runs without --trusted-keys follow the signed champion: signed by its key; signed by another key,
        // judged against --champion FILE (the warning then comes from the topic's champion, when publishing);
        // unsigned
        CliRun sameKey = retrain(broker, topics, "--min-gain", "-0.99", "--max-f1-loss", "1", "--signing-key",
                keyFile.toString());
        String third = ModelFile.load(modelTopic(kafka, topics.models()).get(2), "3", null).bundle().modelVersion();
        SigningKey other = SigningKey.generate();
        Path otherKey = other.writePair(dir.resolve("other"), "other").privateKey();
        CliRun otherSigner = retrain(broker, topics, "--min-gain", "-0.99", "--max-f1-loss", "1", "--signing-key",
                otherKey.toString(), "--champion", champion.toString());
        String fourth = ModelFile.load(modelTopic(kafka, topics.models()).get(3), "4", null).bundle().modelVersion();
        CliRun unsigned = retrain(broker, topics, "--min-gain", "-0.99", "--max-f1-loss", "1");
        // Then all are published, the last two with publish's warning (scorers trusting only the champion's key
        // refuse them); before, retrain sent them silently
        assertThat(sameKey.exitCode()).as(sameKey.errorLines()).isZero();
        assertThat(sameKey.err()).doesNotContain("warning: the champion");
        assertThat(otherSigner.exitCode()).as(otherSigner.errorLines()).isZero();
        assertThat(otherSigner.err()).contains("warning: the champion " + third + " on " + topics.models()
                + " is signed by key " + key.keyId() + ", this model by key " + other.keyId() + ": scorers that "
                + "trust only the champion's key refuse it");
        assertThat(unsigned.exitCode()).as(unsigned.errorLines()).isZero();
        assertThat(unsigned.err()).contains("warning: the champion " + fourth + " on " + topics.models()
                + " is signed by key " + other.keyId() + ", this model is not signed: scorers that trust only the "
                + "champion's key refuse it");
        assertThat(modelTopic(kafka, topics.models())).hasSize(5);
    }

    /**
     * A --from weeks after the last payment on the topics is named as given, as from an archive: the history days
     * before it held payments whose labels were not due yet, and the run said "no label on topic …", of a labels
     * topic holding a label for every earlier payment (a hands-on week). Labels the topic holds for payments not read
     * are counted when no label is found.
     */
    @Test
    void shouldSayThatNoPaymentOnTheTopicsIsOnOrAfterFrom(TestBroker broker) throws Exception {
        // Given 20 days of payments on the input topic and their labels a week later on the labels topic
        TransactionSimulator.Simulated s = TransactionSimulator.simulate(
                new TransactionSimulator.Config(100, 200, 20, LocalDate.of(2018, 4, 1), 5, 3));
        RawEvents events = s.events();
        String p = "retrain-from-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics(p + ".in", p + ".flagged", p + ".clean", p + ".dlq", p + ".models", p + ".labels");
        broker.createTopic(topics.input(), 1);
        broker.createTopic(topics.labels(), 1);
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka, new StringSerializer(),
                new ByteArraySerializer())) {
            RawEventReplay.of(events, topics.input()).withLabelFeedback(topics.labels(), 7)
                    .send(producer, new AtomicBoolean(true), new AtomicLong());
        }
        assertThat(modelTopic(kafka, topics.labels())).isNotEmpty();

        // When retrain is given a --from 35 days after the last payment (its history days reach back over the
        // last 4 days of payments, whose labels are not due) or 100 days after it (no payment read at all)
        LocalDate last = java.time.Instant.ofEpochSecond(events.time(events.size() - 1))
                .atZone(java.time.ZoneOffset.UTC).toLocalDate();
        for (LocalDate from : List.of(last.plusDays(35), last.plusDays(100))) {
            CliRun run = retrain(broker, topics, "--dry-run", "--from", from.toString());

            // Then the period is said to hold no payment, whatever the history days held
            assertThat(run.exitCode()).as(run.errorLines()).isEqualTo(1);
            assertThat(run.errorLines()).startsWith("error: no payment events from " + from)
                    .doesNotContain("no label").doesNotContain("\n");
        }

        // And a labels topic holding labels of other payments only says so
        String others = p + ".labels-others";
        broker.createTopic(others, 1);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(others, "1", RawEventJson.label(999_999_999L, events.time(0), 1,
                    true))).get();
        }
        CliRun foreign = CliRun.of("retrain", "-b", broker.bootstrapServers(), "--input-topic", topics.input(),
                "--labels-topic", others, "--model-topic", topics.models(), "--dry-run");
        assertThat(foreign.exitCode()).as(foreign.errorLines()).isEqualTo(1);
        assertThat(foreign.errorLines()).startsWith("error: no label on topic " + others + " for the payments read (0 "
                + "records that are not labels, 1 label of a payment not read: first TRANSACTION_ID 999999999)")
                .doesNotContain("\n");
    }

    /**
     * A label feed that stopped is said: the window is laid out from the last payment as if every label came on time,
     * and a window none of whose payments had a label said it "holds no fraud"; one whose labels stop inside it was
     * judged silently, its later frauds counted as genuine (a hands-on week).
     */
    @Test
    void shouldSayThatTheLabelsStopBeforeTheWindowEnds(TestBroker broker) throws Exception {
        // Given 40 days of payments, and two labels topics: one whose labels stop 20 days before the last payment,
        // one whose labels stop 10 days before it (the window, with a 7-day delay and a 7-day window, is days 26-32)
        TransactionSimulator.Simulated s = TransactionSimulator.simulate(
                new TransactionSimulator.Config(300, 600, 40, LocalDate.of(2018, 4, 1), 5, 3));
        RawEvents events = s.events();
        String p = "retrain-behind-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics(p + ".in", p + ".flagged", p + ".clean", p + ".dlq", p + ".models", p + ".labels");
        String early = p + ".labels-early";
        String inside = p + ".labels-inside";
        broker.createTopic(topics.input(), 1);
        broker.createTopic(early, 1);
        broker.createTopic(inside, 1);
        LocalDate first = LocalDate.of(2018, 4, 1);
        long earlyEnd = first.plusDays(20).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
        long insideEnd = first.plusDays(30).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka, new StringSerializer(),
                new ByteArraySerializer())) {
            RawEventReplay.of(events, topics.input()).send(producer, new AtomicBoolean(true), new AtomicLong());
            for (int i = 0; i < events.size(); i++) {
                byte[] label = RawEventJson.label(events.id(i), events.time(i), events.terminal(i),
                        events.label(i) == 1);
                for (String t : events.time(i) < earlyEnd ? List.of(early, inside)
                        : events.time(i) < insideEnd ? List.of(inside) : List.<String>of()) {
                    producer.send(new ProducerRecord<>(t, String.valueOf(events.terminal(i)), label));
                }
            }
        }
        Path champion = dir.resolve("champion.json");
        CliRun train = CliRun.of("train", "--data", csv(s).toString(), "--out", champion.toString(), "--train-from",
                "2018-04-15", "--train-to", "2018-04-21", "--no-refit", "--epochs", "2", "--ensemble", "1", "--folds",
                "2");
        assertThat(train.exitCode()).as(train.errorLines()).isZero();

        // When retrain reads the labels that stop before the window
        CliRun none = CliRun.of("retrain", "-b", broker.bootstrapServers(), "--input-topic", topics.input(),
                "--labels-topic", early, "--model-topic", topics.models(), "--champion", champion.toString(),
                "--dry-run");

        // Then the gate cannot be evaluated, and the line says the labels stop, not that the window holds no fraud
        assertThat(none.exitCode()).as(none.errorLines()).isEqualTo(1);
        assertThat(none.errorLines()).startsWith("error: the gate cannot be evaluated: the labels on " + early
                + " end with payments of 2018-04-20, and the latest labelled window, laid out from the last payment "
                + "(2018-05-10) and the 7-day delay, is 2018-04-26..2018-05-02, of whose payments none has a label")
                .doesNotContain("holds no fraud").doesNotContain("\n");

        // When retrain reads the labels that stop inside the window
        Path report = dir.resolve("inside.json");
        List<String> args = new ArrayList<>(List.of("retrain", "-b", broker.bootstrapServers(), "--input-topic",
                topics.input(), "--labels-topic", inside, "--model-topic", topics.models(), "--champion",
                champion.toString(), "--dry-run", "--report", report.toString()));
        args.addAll(QUICK);
        CliRun partial = CliRun.of(args.toArray(String[]::new));

        // Then it is judged, with a warning and the report saying so
        assertThat(partial.exitCode()).as(partial.errorLines()).isZero();
        String warning = "warning: the labels on " + inside + " end with payments of 2018-04-30, and the latest "
                + "labelled window, laid out from the last payment (2018-05-10) and the 7-day delay, is "
                + "2018-04-26..2018-05-02: its payments after 2018-04-30 count as genuine, frauds among them too (is "
                + "the label feed behind?)";
        assertThat(partial.err()).contains(warning);
        assertThat(json(report).get("labels_behind").asText()).isEqualTo(warning.substring("warning: ".length()));
    }

    private CliRun retrain(TestBroker broker, Topics topics, String... args) {
        List<String> all = new ArrayList<>(List.of("retrain", "-b", broker.bootstrapServers(), "--input-topic",
                topics.input(), "--labels-topic", topics.labels(), "--model-topic", topics.models()));
        all.addAll(List.of(args));
        all.addAll(QUICK);
        return CliRun.of(all.toArray(String[]::new));
    }

    private Path csv(TransactionSimulator.Simulated s) throws java.io.IOException {
        Path f = dir.resolve("events.csv");
        try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(f)) {
            s.writeCsv(w);
        }
        return f;
    }

    private static JsonNode json(Path file) throws java.io.IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    /** Every record value on the model topic, in offset order (one partition). */
    private static List<byte[]> modelTopic(Properties kafka, String topic) {
        List<byte[]> values = new ArrayList<>();
        TopicHistory.readToEnd(kafka, topic, (ConsumerRecord<byte[], byte[]> r) -> values.add(r.value()));
        return values;
    }
}
