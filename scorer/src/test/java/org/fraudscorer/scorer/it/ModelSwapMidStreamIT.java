package org.fraudscorer.scorer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * A new model is published to the model topic while events flow. Every output record is scored wholly by one
 * version: its modelVersion is v1 or v2, and its probability, threshold, checksum and decision are exactly that
 * version's (the probability as computed offline by that version's {@link ModelScorer}, compared as doubles).
 * Per input partition, in input-offset order, the versions are monotone: once a record of a partition was scored
 * by v2, no later record of that partition carries v1. Dead letters carry the serving version too and are
 * included in that order.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600)
class ModelSwapMidStreamIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GOOD = 20_000;
    private static final int BAD_EVERY = 100; // one bad event after every 100 good ones: 200 in all
    private static final int PER_SECOND = 2_000;
    private static final Duration WAIT = Duration.ofSeconds(240);

    @Test
    void shouldScoreEachRecordWhollyByOneVersionAndSwitchOncePerPartition(TestBroker broker, @TempDir Path stateDir)
            throws Exception {
        // Given: v1 serving, v2 (same schema, other weights and threshold) ready, events in a known order
        Topics topics = ItKafka.topics("swap");
        ItKafka.createTopics(broker, topics, 3);
        List<ItEvents.Event> good = ItEvents.good("swap", GOOD, 343);
        List<ItEvents.Event> bad = ItEvents.bad("swapbad", GOOD / BAD_EVERY, 444);
        List<ItEvents.Event> events = new ArrayList<>();
        for (int i = 0; i < good.size(); i++) {
            events.add(good.get(i));
            if ((i + 1) % BAD_EVERY == 0) {
                events.add(bad.get(i / BAD_EVERY));
            }
        }
        double[][] rows = good.stream().map(ItEvents.Event::row).toArray(double[][]::new);
        ModelBundle v1 = ItEvents.model("it-model-v1", 41, rows, 0.10);
        ModelBundle v2 = ItEvents.model("it-model-v2", 42, rows, 0.20);
        Map<String, ModelBundle> versions = Map.of(v1.modelVersion(), v1, v2.modelVersion(), v2);

        try (ScorerApp app = ScorerApp.start(ItKafka.scorerConfig(broker, topics, ItKafka.unique("swap-app"), stateDir), v1,
                     ScorerApp.Options.forTests());
             ItKafka.SteadyProducer producer = new ItKafka.SteadyProducer(broker, topics.input(), events, PER_SECOND, Map.of());
             ItKafka.Drain drain = new ItKafka.Drain(broker, topics.outputs())) {
            assertThat(app.awaitRunning(WAIT)).as("scorer running").isTrue();
            producer.start();

            // When: v2 is published once 40 % of the input is in and outputs are flowing
            ItKafka.await("40 % of the input produced and outputs flowing", WAIT, () -> {
                drain.poll(Duration.ofMillis(50));
                return producer.produced() >= events.size() * 2 / 5 && drain.size() > 0;
            });
            int producedAtPublish = producer.produced();
            try (KafkaProducer<String, byte[]> p = ItKafka.producer(broker)) {
                p.send(new ProducerRecord<>(topics.models(), "default", ModelFile.toBytes(v2))).get();
            }
            ItKafka.await("the scorer serving v2", WAIT, () -> app.registry().current().modelVersion().equals(v2.modelVersion()));
            producer.await(WAIT);
            List<ItKafka.Out> outputs = drain.drain(events.size(), WAIT);

            // Then: exactly once ...
            Map<String, ItKafka.Out> byId = ItKafka.assertExactlyOnce(events, outputs, topics);
            // ... each record wholly by v1 or v2 ...
            Map<String, ModelScorer> scorers = new HashMap<>();
            versions.forEach((v, m) -> scorers.put(v, m.newScorer()));
            Map<String, String> versionOf = new HashMap<>();
            Map<String, Integer> count = new TreeMap<>();
            for (ItEvents.Event e : events) {
                ItKafka.Out out = byId.get(e.id());
                JsonNode r = JSON.readTree(out.value());
                String version = r.path("modelVersion").asText();
                assertThat(version).as("model version of %s", e.id()).isIn(versions.keySet());
                versionOf.put(e.id(), version);
                count.merge(version, 1, Integer::sum);
                if (!e.good()) {
                    continue;
                }
                ModelBundle m = versions.get(version);
                ModelScorer s = scorers.get(version);
                double p = s.probability(e.row());
                assertThat(r.path("probability").doubleValue()).as("probability of %s by %s", e.id(), version).isEqualTo(p);
                assertThat(r.path("threshold").doubleValue()).as("threshold of %s", e.id()).isEqualTo(m.threshold().value());
                assertThat(r.path("modelSha256").asText()).as("checksum of %s", e.id()).isEqualTo(m.sha256());
                boolean flagged = s.flagged(p);
                assertThat(r.path("decision").asText()).as("decision of %s", e.id()).isEqualTo(flagged ? "FLAGGED" : "CLEAN");
                assertThat(out.topic()).as("topic of %s", e.id()).isEqualTo(flagged ? topics.flagged() : topics.clean());
            }
            // ... and, per input partition in offset order, v1 … v1 v2 … v2 (sequence numbers confirm the order)
            Map<Integer, List<ItKafka.Sent>> byPartition = new TreeMap<>();
            producer.sent().values().forEach(s -> byPartition.computeIfAbsent(s.partition(), k -> new ArrayList<>()).add(s));
            List<String> switches = new ArrayList<>();
            for (var part : byPartition.entrySet()) {
                List<ItKafka.Sent> inOrder = part.getValue().stream().sorted(Comparator.comparingLong(ItKafka.Sent::offset)).toList();
                int lastSeq = -1;
                int firstV2 = -1;
                for (int i = 0; i < inOrder.size(); i++) {
                    String id = inOrder.get(i).event().id();
                    if (id.startsWith("swap-")) {
                        int seq = Integer.parseInt(id.substring("swap-".length()));
                        assertThat(seq).as("sequence numbers follow offsets on partition %d", part.getKey()).isGreaterThan(lastSeq);
                        lastSeq = seq;
                    }
                    boolean isV2 = versionOf.get(id).equals(v2.modelVersion());
                    if (isV2 && firstV2 < 0) {
                        firstV2 = i;
                    }
                    assertThat(isV2 || firstV2 < 0).as("partition %d offset %d (%s) scored by v1 after v2 at offset %d",
                            part.getKey(), inOrder.get(i).offset(), id, firstV2 < 0 ? -1 : inOrder.get(firstV2).offset()).isTrue();
                }
                assertThat(firstV2).as("partition %d switched to v2", part.getKey()).isGreaterThan(0);
                switches.add("p" + part.getKey() + ": v1 " + firstV2 + " then v2 " + (inOrder.size() - firstV2));
            }
            System.out.printf("ModelSwapMidStreamIT: v2 published at %d of %d produced; %s; per partition %s; %s%n",
                    producedAtPublish, events.size(), count, switches, ItKafka.countsByTopic(outputs, topics));
            assertThat(count).containsOnlyKeys(v1.modelVersion(), v2.modelVersion());
        }
    }
}
