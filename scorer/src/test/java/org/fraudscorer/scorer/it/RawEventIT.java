package org.fraudscorer.scorer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.serde.RawEventJson;
import org.fraudscorer.scorer.server.ModelMonitoring;
import org.fraudscorer.scorer.server.MonitoringFiles;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.SmallRawModel;
import org.fraudscorer.scorer.testing.TestBroker;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.events.FeatureReplay;
import org.fraudscorer.trainer.events.TransactionSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw payment events with label feedback on a real broker under exactly-once: ~3,000 simulated events (plus a few
 * malformed ones) and their labels, sent in time order with each label due {@code delay} after its payment. Every
 * event lands in exactly one of flagged, clean and dead letters. The card features, computed on the
 * customer-keyed partition from the card's events in produce order, equal the offline replay's; the terminal
 * features depend on how the broker interleaves two topics, so they are not compared here (the TopologyTestDriver
 * parity test does). It runs twice: with the repartition by card, and with the input read as keyed by card, where a
 * well-formed event keyed by its transaction id is a dead letter ({@code KEY_NOT_CARD}).
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(300)
class RawEventIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BAD_EVENTS = 20;
    private static final int BAD_LABELS = 5;

    @ParameterizedTest(name = "input keyed by card: {0}")
    @ValueSource(booleans = {false, true})
    void everyRawEventIsAccountedForExactlyOnceWithLabelFeedback(boolean inputKeyedByCard, TestBroker broker,
                                                                 @TempDir Path stateDir) throws Exception {
        int labelled = 0;
        RawEvents events = TransactionSimulator.simulate(new TransactionSimulator.Config(70, 100, 30,
                LocalDate.of(2018, 4, 1), 8, 21)).events();
        assertThat(events.size()).isBetween(2_500, 4_500);
        int delay = HandbookFeatures.DEFAULT_DELAY_DAYS;
        double[] offline = FeatureReplay.replay(events, delay);
        ModelBundle model = SmallRawModel.train(events, offline, LocalDate.of(2018, 4, 15), LocalDate.of(2018, 4, 28),
                delay);

        String p = ItKafka.unique("raw");
        Topics topics = new Topics(p + ".in", p + ".flagged", p + ".clean", p + ".dlq", p + ".models", p + ".labels");
        ScorerConfig config = ItKafka.scorerConfig(broker, topics, ItKafka.unique("raw-app"), stateDir)
                .withInputKeyedByCard(inputKeyedByCard);
        try (ScorerApp app = ScorerApp.start(config, model, new ScorerApp.Options("127.0.0.1", -1, 3));
             KafkaProducer<String, byte[]> producer = ItKafka.producer(broker);
             ItKafka.Drain drain = new ItKafka.Drain(broker,
                     topics.outputs())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            List<Future<RecordMetadata>> badAcks = new ArrayList<>();
            List<Future<RecordMetadata>> wrongKeyAcks = new ArrayList<>();
            long due = delay * HandbookFeatures.DAY;
            for (int i = 0; i < events.size(); i++) {
                for (; labelled < i && events.time(labelled) + due <= events.time(i); labelled++) {
                    acks.add(producer.send(new ProducerRecord<>(topics.labels(), null, RawEventJson.label(
                            events.id(labelled), events.time(labelled), events.terminal(labelled),
                            events.label(labelled) == 1))));
                }
                // keyed by card: a card's events stay in order on one partition, as the card features need
                acks.add(producer.send(new ProducerRecord<>(topics.input(), Long.toString(events.customer(i)),
                        RawEventJson.event(events.id(i), events.time(i), events.customer(i), events.terminal(i),
                                events.amount(i)))));
                if (i % (events.size() / BAD_EVENTS) == 0 && i / (events.size() / BAD_EVENTS) < BAD_EVENTS) {
                    badAcks.add(producer.send(new ProducerRecord<>(topics.input(), "bad-" + i,
                            ("{\"TRANSACTION_ID\":" + i + ",\"TX_AMOUNT\":\"12\"}").getBytes(StandardCharsets.UTF_8))));
                    if (inputKeyedByCard) { // a well-formed copy keyed by its transaction: refused, never scored
                        wrongKeyAcks.add(producer.send(new ProducerRecord<>(topics.input(), "tx-" + events.id(i),
                                RawEventJson.event(events.id(i), events.time(i), events.customer(i),
                                        events.terminal(i), events.amount(i)))));
                    }
                }
            }
            for (int k = 0; k < BAD_LABELS; k++) {
                badAcks.add(producer.send(new ProducerRecord<>(topics.labels(), "bad-label-" + k,
                        "{\"TX_FRAUD\":1}".getBytes(StandardCharsets.UTF_8))));
            }
            for (Future<RecordMetadata> a : acks) {
                a.get();
            }
            Set<ItKafka.Position> badSources = new HashSet<>();
            for (Future<RecordMetadata> a : badAcks) {
                badSources.add(ItKafka.Position.of(a.get()));
            }
            Set<ItKafka.Position> wrongKeySources = new HashSet<>();
            for (Future<RecordMetadata> a : wrongKeyAcks) {
                wrongKeySources.add(ItKafka.Position.of(a.get()));
            }
            assertThat(badSources).hasSize(BAD_EVENTS + BAD_LABELS);
            assertThat(wrongKeySources).hasSize(inputKeyedByCard ? BAD_EVENTS : 0);
            badSources.addAll(wrongKeySources);
            int expected = events.size() + badSources.size();
            List<ItKafka.Out> out = drain.drain(expected, Duration.ofSeconds(180));

            // Then: every event scored exactly once (by its id), every bad event and label dead-lettered exactly once
            // (by its source position), and nothing else
            Map<String, Integer> perTopic = new HashMap<>();
            Map<Long, JsonNode> scored = new HashMap<>();
            List<Long> duplicated = new ArrayList<>();
            List<ItKafka.Out> deadLetters = new ArrayList<>();
            for (ItKafka.Out o : out) {
                perTopic.merge(o.topic(), 1, Integer::sum);
                if (o.topic().equals(topics.deadLetter())) {
                    deadLetters.add(o);
                } else {
                    JsonNode n = JSON.readTree(o.value());
                    if (scored.put(n.get("id").asLong(), n) != null) {
                        duplicated.add(n.get("id").asLong());
                    }
                }
            }
            System.out.printf("RawEventIT: %d events, %d bad events, %d bad labels → %s%n", events.size(), BAD_EVENTS,
                    BAD_LABELS, perTopic);
            assertThat(duplicated).as("event ids scored more than once").isEmpty();
            Set<Long> ids = new HashSet<>();
            for (int i = 0; i < events.size(); i++) {
                ids.add(events.id(i));
            }
            assertThat(ids).as("distinct simulated event ids").hasSize(events.size());
            assertThat(scored.keySet()).as("scored ids").isEqualTo(ids);
            Map<ItKafka.Position, JsonNode> dead = ItKafka.assertDeadLettersExactlyOnce(deadLetters, badSources);
            for (ItKafka.Position wrong : wrongKeySources) {
                assertThat(dead.get(wrong).get("reason").asText()).isEqualTo("KEY_NOT_CARD");
            }
            assertThat(out).hasSize(expected); // input = flagged + clean + DLQ
            assertThat(perTopic.getOrDefault(topics.flagged(), 0)).isPositive();
            int f = model.schema().featureCount(); // handbook-v2: 17
            for (int i = 0; i < events.size(); i++) {
                JsonNode live = scored.get(events.id(i)).get("features");
                assertThat(live).hasSize(f);
                for (int j = 0; j < f; j++) {
                    if (j >= HandbookFeatures.TERMINAL && j < HandbookFeatures.COUNT) {
                        continue; // terminal features: the label timing of this test is not the replay's
                    }
                    assertThat(live.get(j).asDouble()).as("event %d feature %d", i, j).isEqualTo(offline[i * f + j]);
                }
            }
            // Every good label was applied to its payment. Sent within a second of it, a label may overtake its payment
            // (which crosses the customer repartition first): the terminal stage holds it until the payment comes.
            var labels = app.metrics().registry();
            java.util.function.DoubleSupplier matched = () -> labels.find("fraud.labels").tag("matched", "true")
                    .counter().count();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (matched.getAsDouble() < labelled && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            System.out.printf("RawEventIT: %d labels sent, %.0f matched, %.0f of them after waiting for their "
                    + "payment%n", labelled, matched.getAsDouble(),
                    labels.find("fraud.labels.early").counter().count());
            assertThat(matched.getAsDouble()).isEqualTo(labelled);
            assertThat(labels.find("fraud.labels").tag("matched", "false").counter().count()).isZero();

            // Model monitoring: every label was looked up against the decisions (the exact values are asserted by
            // ModelMonitoringTopologyTest); the trained model's reference gives a PSI for each feature; and every
            // metric the dashboard and the alert rules query is in this running scorer's scrape.
            assertThat(labels.get("fraud.monitor.labels").tag("decision", "known").counter().count()
                    + labels.get("fraud.monitor.labels").tag("decision", "unknown").counter().count())
                    .isEqualTo(labelled);
            assertThat(labels.find("fraud.monitor.psi").tag("model_version", model.modelVersion()).gauges())
                    .hasSize(model.schema().featureCount());
            assertThat(labels.get("fraud.monitor.window.events").tag("model_version", model.modelVersion()).gauge()
                    .value()).isEqualTo(Math.min(events.size(), ModelMonitoring.Windows.DEFAULT.events()));
            String scrape = app.prometheus().scrape();
            Set<String> exported = MonitoringFiles.scrapedNames(scrape);
            List<String> exprs = new ArrayList<>(MonitoringFiles.dashboardExpressions());
            exprs.addAll(MonitoringFiles.alertExpressions());
            Set<String> missing = new java.util.TreeSet<>();
            for (String e : exprs) {
                for (String name : MonitoringFiles.metricNames(e)) {
                    if (!exported.contains(name) && !name.equals("up")) { // up: made by Prometheus itself
                        missing.add(name);
                    }
                }
            }
            assertThat(missing).as("queried by the ops files, not in the scrape").isEmpty();
        }
    }

    /** A small handbook-schema model, for the tests that only start the scorer. */
    private static ModelBundle smallModel() {
        RawEvents events = TransactionSimulator.simulate(new TransactionSimulator.Config(70, 100, 30,
                LocalDate.of(2018, 4, 1), 8, 21)).events();
        int delay = HandbookFeatures.DEFAULT_DELAY_DAYS;
        return SmallRawModel.train(events, FeatureReplay.replay(events, delay), LocalDate.of(2018, 4, 15),
                LocalDate.of(2018, 4, 28), delay);
    }

    /**
     * A scorer started with a creditcard model on a raw-event deployment (its model topic serves a handbook-schema
     * champion) refuses to start, as publish refuses to send such a model: it used to start, report UP and
     * dead-letter every payment as an unknown field.
     */
    @Test
    void aStartUpModelThatDoesNotFitTheTopicsChampionIsRefused(TestBroker broker, @TempDir Path dir) throws Exception {
        String p = ItKafka.unique("raw-misfit");
        Topics topics = new Topics(p + ".in", p + ".flagged", p + ".clean", p + ".dlq", p + ".models", p + ".labels");
        ItKafka.createTopics(broker, topics, 1);
        ModelBundle raw = smallModel();
        Path file = dir.resolve("raw.json");
        ModelFile.write(raw, file);
        ItKafka.CliAnswer published = ItKafka.publish(broker, topics, "--model", file.toString());
        assertThat(published.code()).as(published.err()).isZero();
        ModelBundle creditcard = org.fraudscorer.common.model.ModelFixtures.bundle(1);
        String app = ItKafka.unique("raw-misfit-app");
        assertThatThrownBy(() -> ScorerApp.start(ItKafka.scorerConfig(broker, topics, app, dir.resolve("state")),
                creditcard, new ScorerApp.Options("127.0.0.1", -1, 0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("model topic " + topics.models() + " serves champion " + raw.modelVersion() + ", which "
                        + "the start-up model " + creditcard.modelVersion() + " does not fit: "
                        + ModelRegistry.misfit(raw, creditcard) + "; start with a model of that deployment ('./fraud "
                        + "inspect' shows a model's schema and delay), or give this one a --model-topic and "
                        + "--application-id of its own (if that champion is the mistake, 'publish "
                        + "--replace-misfit-champion' a model that fits)");
        assertThat(ModelRegistry.misfit(raw, creditcard)).startsWith("feature schema creditcard");
        // the deployment's own kind of model starts
        try (ScorerApp scorer = ScorerApp.start(ItKafka.scorerConfig(broker, topics, app, dir.resolve("state")), raw,
                new ScorerApp.Options("127.0.0.1", -1, 1))) { // creating the labels topic it needs
            assertThat(scorer.registry().current().modelVersion()).isEqualTo(raw.modelVersion());
            assertThat(scorer.awaitRunning(Duration.ofSeconds(60))).as("running, its stores made").isTrue();
        }
        // With no champion to compare with (a deployment serving its --model), the application id's stores refuse it
        Topics noChampion = new Topics(topics.input(), topics.flagged(), topics.clean(), topics.deadLetter(),
                p + ".models-none", topics.labels());
        assertThatThrownBy(() -> ScorerApp.start(ItKafka.scorerConfig(broker, noChampion, app, dir.resolve("state2")),
                creditcard, new ScorerApp.Options("127.0.0.1", -1, 0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("application id " + app + " holds the card and terminal histories of a "
                        + "raw-event deployment");
    }

    @Test
    void aLabelsTopicWithMorePartitionsThanTheInputIsRefusedWhenTheInputIsReadAsKeyedByCard(TestBroker broker,
                                                                                           @TempDir Path stateDir) {
        String p = ItKafka.unique("raw-parts");
        Topics topics = new Topics(p + ".in", p + ".flagged", p + ".clean", p + ".dlq", p + ".models", p + ".labels");
        broker.createTopic(topics.labels(), 4);
        ScorerConfig config = ItKafka.scorerConfig(broker, topics, ItKafka.unique("raw-parts-app"), stateDir)
                .withInputKeyedByCard(true);
        ModelBundle model = smallModel();
        assertThatThrownBy(() -> ScorerApp.start(config, model, new ScorerApp.Options("127.0.0.1", -1, 3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("--input-keyed-by-card needs the labels topic " + topics.labels() + " (4 partitions) to have"
                        + " no more partitions than the input topic " + topics.input() + " (3), so that the card store"
                        + " stays co-partitioned with the input");
    }

    @Test
    void anApplicationIdWhoseCardHistoriesWereBuiltInTheOtherModeIsRefusedBothWays(TestBroker broker,
                                                                                 @TempDir Path stateDir)
            throws Exception {
        ModelBundle model = smallModel();
        for (boolean firstKeyed : new boolean[] {false, true}) {
            String p = ItKafka.unique("raw-switch");
            Topics topics = new Topics(p + ".in", p + ".flagged", p + ".clean", p + ".dlq", p + ".models",
                    p + ".labels");
            String appId = ItKafka.unique("raw-switch-app");
            ScorerConfig first = ItKafka.scorerConfig(broker, topics, appId, stateDir.resolve("a" + firstKeyed))
                    .withInputKeyedByCard(firstKeyed);
            try (ScorerApp app = ScorerApp.start(first, model, new ScorerApp.Options("127.0.0.1", -1, 3))) {
                assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue(); // its internal topics now exist
            }
            ScorerConfig switched = ItKafka.scorerConfig(broker, topics, appId, stateDir.resolve("b" + firstKeyed))
                    .withInputKeyedByCard(!firstKeyed);
            assertThatThrownBy(() -> ScorerApp.start(switched, model, new ScorerApp.Options("127.0.0.1", -1, 3)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("application id " + appId + " holds card histories built "
                            + (firstKeyed ? "without" : "with") + " the repartition by card, so they cannot serve "
                            + (firstKeyed ? "a scorer without --input-keyed-by-card" : "--input-keyed-by-card")
                            + ": use a new application id and backfill it (docs/latency.md)");
            try (ScorerApp again = ScorerApp.start(first.withInputKeyedByCard(firstKeyed), model,
                    new ScorerApp.Options("127.0.0.1", -1, 3))) {
                assertThat(again.awaitRunning(Duration.ofSeconds(60))).as("the same mode starts again").isTrue();
            }
        }
    }
}
