package org.fraudscorer.scorer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelScorer;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shadow scoring on a real broker, driven by {@code publish} itself: a champion and a challenger are published, events
 * flow, and every input is routed exactly once by the champion (its version, probability and topic) and recorded
 * exactly once on the shadow topic with both versions and probabilities; dead letters get no shadow record. After
 * {@code publish --demote-challenger}, events are routed as before and no further shadow record appears; after
 * {@code publish --promote} of the challenger's file, it routes and nothing is shadowed.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600)
class ShadowScoringIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(240);
    private static final int GOOD = 3_000;
    private static final int BAD = 30;

    @Test
    void shouldRouteByTheChampionAndRecordBothDecisionsOnceUntilTheChallengerIsDemoted(TestBroker broker,
            @TempDir Path dir) throws Exception {
        // Given: a scorer started from v1, topics created by its own topic setup (the shadow topic included)
        Topics topics = ItKafka.topics("shadow");
        ItKafka.createTopics(broker, topics, 3);
        List<ItEvents.Event> good = ItEvents.good("sh", 3 * GOOD, 515);
        double[][] rows = good.stream().map(ItEvents.Event::row).toArray(double[][]::new);
        ModelBundle v1 = ItEvents.model("it-champion-v1", 51, rows, 0.10);
        ModelBundle v2 = ItEvents.model("it-challenger-v2", 52, rows, 0.20);
        Path v1File = Files.write(dir.resolve("v1.json"), ModelFile.toBytes(v1));
        Path v2File = Files.write(dir.resolve("v2.json"), ModelFile.toBytes(v2));
        List<List<ItEvents.Event>> batches = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            List<ItEvents.Event> batch = new ArrayList<>(good.subList(b * GOOD, (b + 1) * GOOD));
            batch.addAll(ItEvents.bad("shbad" + b, BAD, 600 + b));
            batches.add(batch);
        }

        try (ScorerApp app = ScorerApp.start(ItKafka.scorerConfig(broker, topics, ItKafka.unique("shadow-app"),
                dir.resolve("state")), v1, ScorerApp.Options.forTests());
             KafkaProducer<String, byte[]> producer = ItKafka.producer(broker);
             ItKafka.Drain routed = new ItKafka.Drain(broker, topics.outputs());
             ItKafka.Drain shadow = new ItKafka.Drain(broker, List.of(topics.shadow()))) {
            assertThat(app.awaitRunning(WAIT)).as("scorer running").isTrue();

            // When: the champion and then a challenger are published with the product's command
            publish(broker, topics, "--model", v1File.toString());
            publish(broker, topics, "--model", v2File.toString(), "--as", "challenger");
            ItKafka.await("the challenger held", WAIT, () -> app.registry().challenger() != null);
            assertThat(app.registry().challenger().modelVersion()).isEqualTo(v2.modelVersion());
            ItKafka.sendAll(producer, topics.input(), batches.get(0));

            // Then: every input routed once by the champion; every good one shadowed once with both decisions
            Map<String, ItKafka.Out> out = ItKafka.assertExactlyOnce(batches.get(0), routed.drain(GOOD + BAD, WAIT), topics);
            List<ItKafka.Out> shadows = shadow.drain(GOOD, WAIT);
            assertShadowedOnce(batches.get(0), out, shadows, topics, v1, v2);
            var meters = app.prometheus();
            assertThat(meters.get("fraud.shadow.events").counter().count()).isEqualTo(GOOD);
            double agreeing = meters.get("fraud.shadow.decisions").tag("decisions", "both_flagged").counter().count()
                    + meters.get("fraud.shadow.decisions").tag("decisions", "both_clean").counter().count();
            long agreeingRecords = shadows.stream().filter(o -> json(o.value()).get("agree").asBoolean()).count();
            assertThat(agreeing).isEqualTo(agreeingRecords);

            // A model topic that does not exist has no challenger to demote: refused, and not created (a mistyped
            // topic was created and given a tombstone, and "demoted" said; found by a helper session)
            Topics mistyped = new Topics(topics.input(), topics.flagged(), topics.clean(), topics.deadLetter(),
                    topics.models() + "-mistyped", topics.labels(), topics.shadow());
            ItKafka.CliAnswer missing = ItKafka.publish(broker, mistyped, "--demote-challenger");
            assertThat(missing.code()).isEqualTo(1);
            assertThat(missing.err()).isEqualTo("error: model topic " + mistyped.models() + " does not exist: there is "
                    + "no challenger to demote (nothing created or sent)");
            try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                    java.util.Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).doesNotContain(mistyped.models());
            }

            // When: the challenger is demoted, and more events flow
            java.util.Properties client = new java.util.Properties();
            client.put("bootstrap.servers", broker.bootstrapServers());
            assertThat(org.fraudscorer.scorer.model.TopicChampion.challengerHeld(client, topics.models())).isTrue();
            assertThat(publish(broker, topics, "--demote-challenger")).startsWith("demoted the challenger: tombstone "
                    + "at " + topics.models() + "-0@")
                    .endsWith("(scorers stop shadow scoring; the champion is untouched)");
            // what publish reads to say "demoted" or "no challenger was held" (it said "demoted" of none; a hunt)
            assertThat(org.fraudscorer.scorer.model.TopicChampion.challengerHeld(client, topics.models())).isFalse();
            assertThat(publish(broker, topics, "--demote-challenger")).startsWith("no challenger was held on "
                    + topics.models() + "; tombstone written anyway at " + topics.models() + "-0@");
            ItKafka.await("the challenger demoted", WAIT, () -> app.registry().challenger() == null);
            ItKafka.sendAll(producer, topics.input(), batches.get(1));
            ItKafka.assertExactlyOnce(union(batches.get(0), batches.get(1)), routed.drain(2 * (GOOD + BAD), WAIT),
                    topics);
            // Then: no more shadow records (the drain waited for the routed outputs, which share its transactions)
            assertThat(shadow.drain(GOOD, ItKafka.QUIET)).hasSize(GOOD);

            // When: a challenger again, then promoted with its file
            publish(broker, topics, "--model", v2File.toString(), "--as", "challenger");
            ItKafka.await("the challenger held again", WAIT, () -> app.registry().challenger() != null);
            publish(broker, topics, "--model", v2File.toString(), "--promote");
            ItKafka.await("v2 promoted", WAIT, () -> app.registry().challenger() == null
                    && app.registry().current().modelVersion().equals(v2.modelVersion()));
            ItKafka.sendAll(producer, topics.input(), batches.get(2));
            Map<String, ItKafka.Out> all = ItKafka.assertExactlyOnce(union(union(batches.get(0), batches.get(1)),
                    batches.get(2)), routed.drain(3 * (GOOD + BAD), WAIT), topics);
            // Then: the promoted model routes the last batch, and nothing more is shadowed
            for (ItEvents.Event e : batches.get(2)) {
                if (e.good()) {
                    assertThat(json(all.get(e.id()).value()).get("modelVersion").asText()).isEqualTo(v2.modelVersion());
                }
            }
            assertThat(shadow.drain(GOOD, ItKafka.QUIET)).hasSize(GOOD);
            assertThat(app.registry().refusals()).isEmpty();
            // and the promoted file published again as champion: said to change nothing
            assertThat(publish(broker, topics, "--model", v2File.toString())).startsWith("published model "
                    + v2.modelVersion()).endsWith("(it was already the champion there: the scorers keep serving it, "
                    + "no swap)");
            System.out.printf("ShadowScoringIT: %d events shadowed of %d routed; agreement %.3f, flag rate champion "
                            + "%.3f challenger %.3f%n", GOOD, 3 * (GOOD + BAD), meters.get("fraud.shadow.agreement")
                            .gauge().value(), meters.get("fraud.shadow.flag.rate").tag("model", "champion").gauge().value(),
                    meters.get("fraud.shadow.flag.rate").tag("model", "challenger").gauge().value());
        }
    }

    @Test
    void shouldRefuseAChallengerWhenTheShadowTopicIsMissingAndTheScorerCreatesNoTopics(TestBroker broker,
            @TempDir Path dir) throws Exception {
        // Given: every topic but the shadow topic, and a scorer that creates none
        Topics topics = ItKafka.topics("noshadow");
        ItKafka.createTopics(broker, topics, 3);
        List<ItEvents.Event> events = ItEvents.good("ns", 200, 717);
        double[][] rows = events.stream().map(ItEvents.Event::row).toArray(double[][]::new);
        ModelBundle v1 = ItEvents.model("it-ns-v1", 71, rows, 0.10);
        Path v2File = Files.write(dir.resolve("v2.json"), ModelFile.toBytes(ItEvents.model("it-ns-v2", 72, rows, 0.2)));
        try (ScorerApp app = ScorerApp.start(ItKafka.scorerConfig(broker, topics, ItKafka.unique("noshadow-app"),
                dir.resolve("state")), v1, new ScorerApp.Options("127.0.0.1", -1, 0));
             KafkaProducer<String, byte[]> producer = ItKafka.producer(broker);
             ItKafka.Drain routed = new ItKafka.Drain(broker, topics.outputs())) {
            assertThat(app.awaitRunning(WAIT)).as("scorer running").isTrue();
            // When: a challenger is published
            publish(broker, topics, "--model", v2File.toString(), "--as", "challenger");
            ItKafka.await("the challenger refused", WAIT, () -> !app.registry().refusals().isEmpty());
            // Then: refused with the reason, and the champion routes every event as before
            assertThat(app.registry().refusals()).containsExactly("challenger: shadow topic " + topics.shadow()
                    + " does not exist and this scorer creates no topics: create it (or start with --create-topics), "
                    + "then restart this scorer, to shadow-score a challenger");
            assertThat(app.registry().challenger()).isNull();
            ItKafka.sendAll(producer, topics.input(), events);
            ItKafka.assertExactlyOnce(events, routed.drain(events.size(), WAIT), topics);
            assertThat(app.streams().state().isRunningOrRebalancing()).isTrue();
        }
    }

    private static void assertShadowedOnce(List<ItEvents.Event> events, Map<String, ItKafka.Out> routed,
                                           List<ItKafka.Out> shadows, Topics topics, ModelBundle champion,
                                           ModelBundle challenger) {
        Map<String, JsonNode> byId = new HashMap<>();
        for (ItKafka.Out o : shadows) {
            JsonNode n = json(o.value());
            assertThat(n.get("id").asText()).isEqualTo(o.key());
            assertThat(byId.put(o.key(), n)).as("shadow records of %s", o.key()).isNull();
        }
        ModelScorer a = champion.newScorer();
        ModelScorer b = challenger.newScorer();
        int good = 0;
        for (ItEvents.Event e : events) {
            if (!e.good()) {
                assertThat(byId).as("a dead letter is not shadowed").doesNotContainKey(e.id());
                continue;
            }
            good++;
            JsonNode s = byId.get(e.id());
            assertThat(s).as("shadow record of %s", e.id()).isNotNull();
            double p = a.probability(e.row());
            double q = b.probability(e.row());
            assertThat(s.at("/champion/modelVersion").asText()).isEqualTo(champion.modelVersion());
            assertThat(s.at("/champion/probability").asDouble()).isEqualTo(p);
            assertThat(s.at("/challenger/modelVersion").asText()).isEqualTo(challenger.modelVersion());
            assertThat(s.at("/challenger/probability").asDouble()).isEqualTo(q);
            assertThat(s.at("/challenger/decision").asText()).isEqualTo(b.flagged(q) ? "FLAGGED" : "CLEAN");
            ItKafka.Out r = routed.get(e.id());
            assertThat(json(r.value()).get("modelVersion").asText()).isEqualTo(champion.modelVersion());
            assertThat(r.topic()).as("routed by the champion only").isEqualTo(a.flagged(p) ? topics.flagged() : topics.clean());
        }
        assertThat(byId).hasSize(good);
    }

    /** Runs publish, which must succeed; returns its answer (standard output). */
    private static String publish(TestBroker broker, Topics topics, String... args) {
        ItKafka.CliAnswer a = ItKafka.publish(broker, topics, args);
        assertThat(a.code()).as("publish %s: %s", List.of(args), a.err()).isZero();
        return a.out();
    }

    private static List<ItEvents.Event> union(List<ItEvents.Event> a, List<ItEvents.Event> b) {
        List<ItEvents.Event> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static JsonNode json(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
