package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fraudscorer.app.console.Alert;
import org.fraudscorer.app.console.LabelFormat;
import org.fraudscorer.app.console.LabelWriter;
import org.fraudscorer.app.console.Verdict;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.serde.TransactionJson;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.fraudscorer.trainer.data.CreditCardCsv;
import org.fraudscorer.trainer.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./fraud retrain --family creditcard} against a real broker: creditcard-format events on the input topic (as
 * the scorer reads them, with an id), the analyst console's labels for some of them on the labels topic (written by
 * its own {@link LabelWriter}), the champion on the model topic. Only labelled events train; the counts of what was
 * left out are reported; the gate decides; {@code --as challenger} publishes under the challenger's key and leaves
 * the champion serving. Bad topics (no fraud at all, no fraud in the window) are one line, exit 1, nothing published.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RetrainCreditCardIT {
    private static final List<String> QUICK = List.of("--epochs", "3", "--ensemble", "1", "--folds", "2", "--seed", "5");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldTrainOnTheLabelledEventsOnlyAndPublishAsChallengerWhenAsked(TestBroker broker) throws Exception {
        // Given 1,600 creditcard events, three out of four labelled by analysts, plus a malformed event, one without
        // id, one sent twice, a label of an id never seen and a record that is no label; and a champion on the topic
        Dataset rows = CreditCardCsv.read(MadeUpTransactions.write(dir.resolve("topic.csv"), 1_600, 0.08, 21));
        Topics topics = topics(broker);
        Properties kafka = kafka(broker);
        List<Integer> labelled = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < rows.rows(); i++) {
                producer.send(new ProducerRecord<>(topics.input(), "cc-" + i, event(rows, i, "cc-" + i)));
            }
            producer.send(new ProducerRecord<>(topics.input(), "cc-5", event(rows, 5, "cc-5"))); // a producer retry
            producer.send(new ProducerRecord<>(topics.input(), "x", "not json".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(topics.input(), "y", event(rows, 7, null)));
            producer.send(new ProducerRecord<>(topics.labels(), "z", "{\"id\":\"cc-1\",\"Class\":7}"
                    .getBytes(StandardCharsets.UTF_8)));
        }
        try (LabelWriter labels = new LabelWriter(new KafkaProducer<>(LabelWriter.producerProperties(kafka),
                new StringSerializer(), new ByteArraySerializer()), topics.labels(), 10_000, System::currentTimeMillis)) {
            for (int i = 0; i < rows.rows(); i++) {
                if (i % 4 != 3) {
                    labels.write(alert(rows, i, "cc-" + i), rows.label(i) == 1 ? Verdict.Action.CONFIRMED_FRAUD
                            : Verdict.Action.FALSE_ALARM, "ann");
                    labelled.add(i);
                }
            }
            labels.write(alert(rows, 0, "never-seen"), Verdict.Action.CONFIRMED_FRAUD, "ann");
        }
        Path champion = dir.resolve("champion.json");
        CliRun train = CliRun.of("train", "--data", MadeUpTransactions.write(dir.resolve("old.csv"), 2_000, 0.05, 9)
                .toString(), "--out", champion.toString(), "--epochs", "2", "--ensemble", "1", "--folds", "2");
        assertThat(train.exitCode()).as(train.errorLines()).isZero();
        String championVersion = ModelFile.read(champion).modelVersion();
        assertThat(CliRun.of("publish", "-b", broker.bootstrapServers(), "--model-topic", topics.models(), "--model",
                champion.toString()).exitCode()).isZero();

        // When a dry run, then a run whose gate cannot hold
        Path dryReport = dir.resolve("dry.json");
        CliRun dry = retrain(broker, topics, "--dry-run",
                "--min-gain", "-0.99", "--max-f1-loss", "1", "--report", dryReport.toString());
        Path refusedReport = dir.resolve("refused.json");
        CliRun refused = retrain(broker, topics, "--min-gain", "0.99", "--report", refusedReport.toString());

        // Then the challenger learnt from the 1,200 labelled events only, in time order, and was evaluated on the
        // latest quarter of them; the rest is counted; nothing was published
        assertThat(dry.exitCode()).as(dry.errorLines()).isZero();
        JsonNode d = json(dryReport);
        assertThat(d.get("decision").asText()).isEqualTo("dry_run");
        assertThat(d.get("family").asText()).isEqualTo("creditcard-format rows");
        JsonNode read = d.get("read");
        assertThat(read.get("events").asInt()).isEqualTo(1_603);
        assertThat(read.get("labelled_events").asInt()).isEqualTo(1_200);
        assertThat(read.get("unlabelled_events").asInt()).isEqualTo(400);
        assertThat(read.get("rejected_events").asInt()).isEqualTo(1);
        assertThat(read.get("events_without_id").asInt()).isEqualTo(1);
        assertThat(read.get("duplicate_events").asInt()).isEqualTo(1);
        assertThat(read.get("labels").asInt()).isEqualTo(1_200);
        assertThat(read.get("rejected_labels").asInt()).isEqualTo(1);
        assertThat(read.get("labels_for_unknown_events").asInt()).isEqualTo(1);
        assertThat(read.get("first_unknown_label_id").asText()).isEqualTo("never-seen");
        assertThat(read.get("labels_with_their_row").asInt()).as("the console's labels carry the row judged")
                .isEqualTo(1_200);
        assertThat(read.get("ambiguous_labels").asInt()).isZero();
        // and the labels not applied are said in one line, not in the report only
        assertThat(RetrainCommandTest.errorLines(dry)).isEqualTo("warning: 2 records on " + topics.labels() + " not "
                + "applied: 1 for an id not on " + topics.input() + " (first: never-seen), 1 not a label (an id and a "
                + "Class 0 or 1)");
        long frauds = labelled.stream().filter(i -> rows.label(i) == 1).count();
        long windowFrauds = labelled.subList(900, 1_200).stream().filter(i -> rows.label(i) == 1).count();
        assertThat(read.get("frauds").asLong()).isEqualTo(frauds);
        assertThat(d.get("training").asText()).isEqualTo("the earliest 900 rows by Time");
        assertThat(d.get("window").asText()).isEqualTo("the latest 300 rows by Time");
        assertThat(d.get("challenger").get("rows").asInt()).isEqualTo(300);
        assertThat(d.get("challenger").get("frauds").asLong()).isEqualTo(windowFrauds).isPositive();
        assertThat(d.get("champion").get("model_version").asText()).isEqualTo(championVersion);
        assertThat(d.get("champion").get("frauds").asLong()).isEqualTo(windowFrauds);
        assertThat(d.get("gate").get("passed").asBoolean()).isTrue();
        assertThat(refused.exitCode()).as(refused.errorLines()).isZero();
        assertThat(json(refusedReport).get("decision").asText()).isEqualTo("refused");
        assertThat(json(refusedReport).get("gate").get("passed").asBoolean()).isFalse();
        assertThat(modelTopic(kafka, topics.models())).hasSize(1);

        // When a run whose gate holds publishes as challenger
        Path report = dir.resolve("challenger.json");
        CliRun published = retrain(broker, topics,
                "--min-gain", "-0.99", "--max-f1-loss", "1", "--as", "challenger", "--report",
                report.toString());

        // Then the model topic's latest record is the challenger under the challenger's key, and the champion is
        // still the one serving (a next retrain would compare with it)
        assertThat(published.exitCode()).as(published.errorLines()).isZero();
        assertThat(published.out()).contains("as challenger");
        JsonNode r = json(report);
        assertThat(r.get("decision").asText()).isEqualTo("published");
        assertThat(r.get("publish_as").asText()).isEqualTo("challenger");
        assertThat(r.get("publish_key").asText()).isEqualTo(ModelRegistry.CHALLENGER_KEY);
        List<ConsumerRecord<byte[], byte[]>> models = modelTopic(kafka, topics.models());
        assertThat(models).hasSize(2);
        assertThat(new String(models.get(1).key(), StandardCharsets.UTF_8)).isEqualTo(ModelRegistry.CHALLENGER_KEY);
        assertThat(ModelFile.load(models.get(1).value(), "latest", null).bundle().modelVersion())
                .isEqualTo(r.get("published_model").get("model_version").asText()).isNotEqualTo(championVersion);
        assertThat(org.fraudscorer.scorer.model.TopicChampion.read(kafka, topics.models(), null).modelVersion())
                .isEqualTo(championVersion);

        // When a model is published by hand under another name, then the first name's tombstone is written
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.models(), "hotfix", models.get(1).value())).get();
            producer.send(new ProducerRecord<>(topics.models(), "default", null)).get();
        }
        // Then retrain's champion is the one the scorers serve: the hotfix (any key but the challenger's is a
        // champion, and a champion's tombstone changes nothing a scorer serves)
        assertThat(org.fraudscorer.scorer.model.TopicChampion.read(kafka, topics.models(), null).modelVersion())
                .isEqualTo(r.get("published_model").get("model_version").asText());
    }

    @Test
    void shouldRefuseTopicsWithoutFraudOrWithoutFraudInTheWindowInOneLineAndPublishNothing(TestBroker broker)
            throws Exception {
        // Given labelled creditcard events with no fraud at all, others whose frauds are all before the latest quarter,
        // and others with only their frauds labelled
        Dataset rows = CreditCardCsv.read(MadeUpTransactions.write(dir.resolve("rows.csv"), 400, 0.1, 33));
        Topics none = topics(broker);
        Topics early = topics(broker);
        Topics reviewed = topics(broker); // only the confirmed frauds labelled, as the console's verdicts mostly are
        Properties kafka = kafka(broker);
        try (LabelWriter noFraud = writer(kafka, none); LabelWriter earlyFraud = writer(kafka, early);
             LabelWriter confirmed = writer(kafka, reviewed);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka, new StringSerializer(),
                     new ByteArraySerializer())) {
            for (int i = 0; i < rows.rows(); i++) {
                String id = "e-" + i;
                producer.send(new ProducerRecord<>(none.input(), id, event(rows, i, id)));
                producer.send(new ProducerRecord<>(early.input(), id, event(rows, i, id)));
                producer.send(new ProducerRecord<>(reviewed.input(), id, event(rows, i, id)));
                if (rows.label(i) == 1) {
                    confirmed.write(alert(rows, i, id), Verdict.Action.CONFIRMED_FRAUD, "ann");
                }
                noFraud.write(alert(rows, i, id), Verdict.Action.FALSE_ALARM, "ann");
                earlyFraud.write(alert(rows, i, id), rows.label(i) == 1 && i < 300 ? Verdict.Action.CONFIRMED_FRAUD
                        : Verdict.Action.FALSE_ALARM, "ann");
            }
        }

        // When retrain reads each (a first model would be published if the gate could hold)
        Path noneReport = dir.resolve("none.json");
        CliRun noneRun = retrain(broker, none, "--allow-first", "--report", noneReport.toString());
        Path earlyReport = dir.resolve("early.json");
        CliRun earlyRun = retrain(broker, early, "--allow-first", "--report", earlyReport.toString());
        CliRun reviewedRun = retrain(broker, reviewed, "--allow-first");

        // Then both fail with one line and a report, and nothing reaches the model topics
        assertThat(noneRun.exitCode()).isEqualTo(1);
        assertThat(RetrainCommandTest.errorLines(noneRun)).startsWith("error: no fraud among the 400 rows")
                .doesNotContain("\n");
        assertThat(json(noneReport).get("decision").asText()).isEqualTo("error");
        assertThat(earlyRun.exitCode()).isEqualTo(1);
        assertThat(RetrainCommandTest.errorLines(earlyRun)).startsWith("error: the gate cannot be evaluated")
                .doesNotContain("\n");
        assertThat(json(earlyReport).get("reason").asText()).contains("holds no fraud");
        // labels of confirmed frauds only: refused before training, saying where genuine labels come from
        assertThat(reviewedRun.exitCode()).isEqualTo(1);
        assertThat(RetrainCommandTest.errorLines(reviewedRun)).startsWith("error: the labelled events hold "
                + rows.positives() + " frauds and 0 genuine payments").contains("send " + reviewed.labels()
                + " genuine labels too").doesNotContain("\n");
        // without --allow-first, a run with no champion to compare with says so before it trains
        CliRun noChampion = retrain(broker, early, "--report", dir.resolve("no-champion.json").toString());
        assertThat(noChampion.err()).contains("warning: no champion on " + early.models() + " and no --champion: the "
                + "challenger is trained and reported, not published: scorers started with --model serve that file "
                + "until a model is published; publish the serving model first ('./fraud publish --model FILE') or "
                + "give it as --champion FILE, so that the challenger is compared with it (--allow-first only for a "
                + "deployment that serves no model yet: it publishes without a comparison)");
        assertThat(noChampion.err().indexOf("warning: no champion")).isLessThan(noChampion.err().indexOf("error:"));
        assertThat(modelTopic(kafka, none.models())).isEmpty();
        assertThat(modelTopic(kafka, early.models())).isEmpty();
        assertThat(modelTopic(kafka, reviewed.models())).isEmpty();
    }

    /**
     * The weekly retrain after a promotion: the champion a first retrain published was refit on every labelled row it
     * read, and the next window (the latest rows by Time) is mostly rows of that read. Its file records the input and
     * labels topics' end offsets read, so a next retrain leaves out of the judgement the window's rows with an event
     * and a label below them (a row labelled only later was never learnt, and is judged on), or judges on the whole
     * window with a caveat when the others are too few. The old code judged every such window in the champion's favour,
     * silently.
     */
    @Test
    void shouldLeaveOutOfTheWindowTheRowsTheChampionMayHaveBeenFitOn(TestBroker broker) throws Exception {
        // Given 1,600 creditcard events, three out of four labelled, and a first retrain that publishes its
        // challenger as the deployment's first champion
        Dataset rows = CreditCardCsv.read(MadeUpTransactions.write(dir.resolve("weeks.csv"), 1_900, 0.08, 41));
        Topics topics = topics(broker);
        Properties kafka = kafka(broker);
        send(kafka, topics, rows, 0, 1_600, i -> i % 4 != 3);
        Path firstReport = dir.resolve("first.json");
        CliRun first = retrain(broker, topics, "--allow-first", "--report", firstReport.toString());
        assertThat(first.exitCode()).as(first.errorLines()).isZero();
        JsonNode published = json(firstReport).get("published_model");
        String championVersion = published.get("model_version").asText();
        assertThat(json(firstReport).get("decision").asText()).isEqualTo("published");
        // its provenance says what it read: the input topic to its end, 1,600 events on 3 partitions
        JsonNode provenance = published.get("provenance");
        assertThat(provenance.get("inputTopic").asText()).isEqualTo(topics.input());
        JsonNode ends = provenance.get("inputEndOffsets");
        assertThat(ends.size()).isEqualTo(3);
        assertThat(ends.get("0").asLong() + ends.get("1").asLong() + ends.get("2").asLong()).isEqualTo(1_600);
        assertThat(provenance.get("labelsTopic").asText()).isEqualTo(topics.labels());
        JsonNode labelEnds = provenance.get("labelsEndOffsets");
        assertThat(labelEnds.get("0").asLong() + labelEnds.get("1").asLong() + labelEnds.get("2").asLong())
                .as("the 1,200 labels").isEqualTo(1_200);
        assertThat(org.fraudscorer.scorer.model.TopicChampion.read(kafka, topics.models(), null).provenance()
                .get("inputEndOffsets")).as("in the model file published, under its checksum").isNotNull();

        // When a retrain runs again on the same rows
        Path againReport = dir.resolve("again.json");
        CliRun again = retrain(broker, topics, "--dry-run", "--min-gain", "-0.99", "--max-f1-loss", "1", "--report",
                againReport.toString());

        // Then the champion may have been fit on every row of the window: both are judged on all of it, with a caveat
        assertThat(again.exitCode()).as(again.errorLines()).isZero();
        JsonNode a = json(againReport);
        assertThat(a.get("window").asText()).isEqualTo("the latest 300 rows by Time");
        assertThat(a.get("window_seen_by_champion").asInt()).isEqualTo(300);
        assertThat(a.get("window_left_out").asInt()).isZero();
        assertThat(a.get("champion").get("rows").asInt()).isEqualTo(300);
        String caveat = "the champion " + championVersion + " may have been fit on 300 of the window's 300 rows (an "
                + "event on " + topics.input() + " and a label on " + topics.labels() + " below the end offsets its "
                + "provenance records): no row of it is one it cannot have "
                + "seen, so both were judged on the whole window, where its figures are not held out: the comparison "
                + "favours it";
        assertThat(a.get("caveat").asText()).isEqualTo(caveat);
        assertThat(again.out()).contains("  warning: " + caveat);

        // When 300 more events arrive, three of four labelled, and the analysts label the earlier unlabelled ones late
        send(kafka, topics, rows, 1_600, 1_900, i -> i % 4 != 3);
        try (LabelWriter late = writer(kafka, topics)) {
            for (int i = 3; i < 1_600; i += 4) {
                late.write(alert(rows, i, "w-" + i), rows.label(i) == 1 ? Verdict.Action.CONFIRMED_FRAUD
                        : Verdict.Action.FALSE_ALARM, "ann");
            }
        }
        Path secondReport = dir.resolve("second.json");
        CliRun second = retrain(broker, topics, "--dry-run", "--min-gain", "-0.99", "--max-f1-loss", "1", "--report",
                secondReport.toString());

        // Then of the window (the latest quarter of the 1,825 labelled rows), the rows the first retrain learnt are
        // left out, and both models are judged on the others: the 225 new rows and the late-labelled ones, whose
        // events the first retrain read but whose labels came after it (before 2026-12-07 they were left out too)
        assertThat(second.exitCode()).as(second.errorLines()).isZero();
        JsonNode d = json(secondReport);
        assertThat(d.get("read").get("labelled_events").asInt()).isEqualTo(1_825);
        assertThat(d.get("window").asText()).isEqualTo("the latest 456 rows by Time");
        List<Integer> window = new ArrayList<>();
        for (int i = 0; i < 1_900; i++) {
            if (i < 1_600 || i % 4 != 3) {
                window.add(i); // the labelled rows, in Time order (row i at Time 10 i)
            }
        }
        window = window.subList(window.size() - 456, window.size());
        long seen = window.stream().filter(i -> i < 1_600 && i % 4 != 3).count();
        long lateLabelled = window.stream().filter(i -> i < 1_600 && i % 4 == 3).count();
        long unseenFrauds = window.stream().filter(i -> (i >= 1_600 || i % 4 == 3) && rows.label(i) == 1).count();
        assertThat(seen).isEqualTo(173);
        assertThat(lateLabelled).isEqualTo(58);
        assertThat(d.get("window_seen_by_champion").asLong()).isEqualTo(seen);
        assertThat(d.get("window_left_out").asLong()).isEqualTo(seen);
        assertThat(d.get("caveat").isNull()).as(d.get("caveat").asText()).isTrue();
        for (String model : List.of("challenger", "champion")) {
            assertThat(d.get(model).get("rows").asInt()).as(model).isEqualTo(225 + 58);
            assertThat(d.get(model).get("frauds").asLong()).as(model).isEqualTo(unseenFrauds);
        }
        assertThat(unseenFrauds).isGreaterThanOrEqualTo(5);
        assertThat(d.get("champion").get("model_version").asText()).isEqualTo(championVersion);
        assertThat(d.get("gate").get("bootstrap_replicates").asInt()).isEqualTo(1_000);
        assertThat(second.out()).contains("  judged on the 283 window rows the champion cannot have seen ("
                + unseenFrauds + " frauds); left out the 173 it may have been fit on (an event on " + topics.input()
                + " and a label on " + topics.labels() + " below the end offsets its provenance records)");
    }

    /**
     * Sends rows {@code from..to-1} as events keyed and identified {@code w-i}, and the console's labels of those
     * {@code labelled} says.
     */
    private static void send(Properties kafka, Topics topics, Dataset rows, int from, int to,
                             java.util.function.IntPredicate labelled) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topics.input(), "w-" + i, event(rows, i, "w-" + i)));
            }
        }
        try (LabelWriter labels = writer(kafka, topics)) {
            for (int i = from; i < to; i++) {
                if (labelled.test(i)) {
                    labels.write(alert(rows, i, "w-" + i), rows.label(i) == 1 ? Verdict.Action.CONFIRMED_FRAUD
                            : Verdict.Action.FALSE_ALARM, "ann");
                }
            }
        }
    }

    private static LabelWriter writer(Properties kafka, Topics topics) {
        return new LabelWriter(new KafkaProducer<>(LabelWriter.producerProperties(kafka), new StringSerializer(),
                new ByteArraySerializer()), topics.labels(), 10_000, System::currentTimeMillis);
    }

    private static Topics topics(TestBroker broker) {
        String p = "retrain-cc-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics(p + ".in", p + ".flagged", p + ".clean", p + ".dlq", p + ".models", p + ".labels");
        broker.createTopic(topics.input(), 3);
        broker.createTopic(topics.labels(), 3);
        broker.createTopic(topics.models(), 1, Map.of("cleanup.policy", "compact"));
        return topics;
    }

    private static Properties kafka(TestBroker broker) {
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", broker.bootstrapServers());
        return kafka;
    }

    /** Row {@code i} as the scorer reads it (the label not on it: labels come from the console). */
    static byte[] event(Dataset rows, int i, String id) {
        double[] inputs = new double[Dataset.INPUT_COUNT];
        rows.copyRow(i, inputs, 0);
        return TransactionJson.write(FeatureSchema.CREDITCARD, id, inputs, null);
    }

    /**
     * A --champion file need not be what the topic serves: a challenger that does not fit the topic's champion
     * (another schema) is refused before it is sent, as publish refuses it (retrain used to send it).
     */
    @Test
    void shouldRefuseToPublishAChallengerThatDoesNotFitTheTopicsChampion(TestBroker broker) throws Exception {
        Topics topics = topics(broker);
        Path raw = dir.resolve("raw-champion.json");
        org.fraudscorer.common.model.ModelFile.write(org.fraudscorer.common.model.ModelFixtures.raw("raw-7", 7), raw);
        assertThat(CliRun.of("publish", "-b", broker.bootstrapServers(), "--model-topic", topics.models(), "--model",
                raw.toString()).exitCode()).isZero();
        Path data = MadeUpTransactions.write(dir.resolve("archive.csv"), 2_000, 0.05, 9);
        Path champion = dir.resolve("cc-champion.json");
        assertThat(CliRun.of("train", "--data", data.toString(), "--out", champion.toString(), "--epochs", "2",
                "--ensemble", "1", "--folds", "2").exitCode()).isZero();
        Path report = dir.resolve("misfit.json");

        CliRun run = CliRun.of(concat(List.of("retrain", "-b", broker.bootstrapServers(), "--model-topic",
                topics.models(), "--data", data.toString(), "--champion", champion.toString(), "--min-gain", "-0.99",
                "--max-f1-loss", "1", "--report", report.toString()), QUICK));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errorLines()).contains("does not fit the champion raw-7 that " + topics.models()
                + " serves: feature schema creditcard-v1");
        assertThat(json(report).get("decision").asText()).isEqualTo("error");
        assertThat(modelTopic(kafka(broker), topics.models())).hasSize(1);
    }

    private static String[] concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all.toArray(String[]::new);
    }

    /** The console's alert for row {@code i}, as flagged by a scorer. */
    static Alert alert(Dataset rows, int i, String id) throws java.io.IOException {
        ObjectNode e = (ObjectNode) JSON.readTree(event(rows, i, id));
        return new Alert(i + 1, id, LabelFormat.CREDITCARD, e, null, null, null, rows.input(i, Dataset.AMOUNT), 0.9,
                0.5, "m", 0, List.of());
    }

    private CliRun retrain(TestBroker broker, Topics topics, String... args) {
        List<String> all = new ArrayList<>(List.of("retrain", "--family", "creditcard", "-b",
                broker.bootstrapServers(), "--input-topic", topics.input(), "--labels-topic", topics.labels(),
                "--model-topic", topics.models()));
        all.addAll(List.of(args));
        all.addAll(QUICK);
        return CliRun.of(all.toArray(String[]::new));
    }

    private static JsonNode json(Path file) throws java.io.IOException {
        return JSON.readTree(file.toFile());
    }

    private static List<ConsumerRecord<byte[], byte[]>> modelTopic(Properties kafka, String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        TopicHistory.readToEnd(kafka, topic, records::add);
        return records;
    }
}
