package org.fraudscorer.scorer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelScorer;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole scorer ({@link ScorerApp}: topic setup, model watcher, Kafka Streams with exactly_once_v2) on a real
 * broker, fed 10,000 good and 390 bad events on a 3-partition input. One run (in {@code @BeforeAll}: the Given and
 * the When) serves both tests, which check it from two sides: accounting and scoring parity.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class ScorerIntegrationIT {
    private static final int GOOD = 10_000;
    private static final int BAD = 390; // 30 of each of the 13 kinds
    private static final ObjectMapper JSON = new ObjectMapper();

    private Topics topics;
    private ModelBundle model;
    private byte[] modelFile;
    private List<ItKafka.Sent> sent;
    private List<ItKafka.Out> outputs;

    @BeforeAll
    void scoreEverything(TestBroker broker, @TempDir Path stateDir) throws Exception {
        // Given: a model flagging ~12% of the made-up transactions, and good plus bad events in a 3-partition input
        List<ItEvents.Event> good = ItEvents.good("good", GOOD, 101);
        double[][] rows = good.stream().map(ItEvents.Event::row).toArray(double[][]::new);
        model = ItEvents.model("it-model-1", 7, rows, 0.12);
        modelFile = ModelFile.toBytes(model);
        List<ItEvents.Event> events = new ArrayList<>(good);
        events.addAll(ItEvents.bad("bad", BAD, 202));
        java.util.Collections.shuffle(events, new java.util.Random(3));
        topics = ItKafka.topics("sit");
        ItKafka.createTopics(broker, topics, 3);
        try (KafkaProducer<String, byte[]> producer = ItKafka.producer(broker)) {
            sent = ItKafka.sendAll(producer, topics.input(), events);
        }

        // When: a scorer instance runs over them, and all three outputs are read with read_committed
        ScorerConfig config = ItKafka.scorerConfig(broker, topics, ItKafka.unique("sit-app"), stateDir);
        long t0 = System.nanoTime();
        try (ScorerApp app = ScorerApp.start(config, model, new ScorerApp.Options("127.0.0.1", -1, 3));
             ItKafka.Drain drain = new ItKafka.Drain(broker,
                     topics.outputs())) {
            outputs = drain.drain(events.size(), Duration.ofSeconds(180));
        }
        System.out.printf("ScorerIntegrationIT: %d events scored and read back in %d ms%n", events.size(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    void release() {
        outputs = null;
        sent = null;
    }

    @Test
    void shouldAccountForEveryEventExactlyOnce() throws Exception {
        Map<String, List<ItKafka.Out>> byId = outputs.stream().collect(Collectors.groupingBy(ItKafka.Out::key));
        long flagged = count(topics.flagged());
        long clean = count(topics.clean());
        long dlq = count(topics.deadLetter());

        // Then: every input is in exactly one output, and the outputs hold nothing else
        assertThat(flagged + clean + dlq).as("flagged + clean + dead letters").isEqualTo(sent.size());
        assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(
                sent.stream().map(s -> s.event().id()).toList());
        assertThat(byId.values()).allSatisfy(outs -> assertThat(outs).hasSize(1));
        // and the model flagged a plausible share, so both branches really ran
        assertThat((double) flagged / GOOD).isBetween(0.05, 0.20);

        // Then: bad events all went to the dead-letter topic, with the right reason and their provenance; good ones never
        Set<String> dlqIds = new java.util.HashSet<>();
        for (ItKafka.Sent s : sent) {
            ItKafka.Out out = byId.get(s.event().id()).get(0);
            if (s.event().good()) {
                assertThat(out.topic()).as("topic of good event %s", s.event().id()).isNotEqualTo(topics.deadLetter());
                continue;
            }
            dlqIds.add(s.event().id());
            assertThat(out.topic()).as("topic of bad event %s", s.event().id()).isEqualTo(topics.deadLetter());
            JsonNode d = JSON.readTree(out.value());
            assertThat(d.path("reason").asText()).as("reason of %s", s.event().id()).isEqualTo(s.event().expectedReason());
            assertThat(d.path("sourceTopic").asText()).isEqualTo(topics.input());
            assertThat(d.path("sourcePartition").asInt()).isEqualTo(s.partition());
            assertThat(d.path("sourceOffset").asLong()).isEqualTo(s.offset());
            assertThat(d.has("raw")).isTrue();
            assertThat(raw(d)).as("raw of %s", s.event().id()).isEqualTo(s.event().value());
        }
        assertThat(dlqIds).hasSize(BAD);
        assertThat(dlq).isEqualTo(BAD);
        System.out.printf("ScorerIntegrationIT: %d flagged, %d clean, %d dead letters%n", flagged, clean, dlq);
    }

    @Test
    void shouldScoreExactlyAsTheOfflineModelScorer() throws Exception {
        // Given: the model file as the trainer would write it, loaded offline. ModelScorer is exactly what the
        // trainer's `score` command uses (trainer/.../train/RowScoring.java); the trainer module is not a
        // dependency of the scorer, so the scorer's tests compare with ModelScorer directly.
        ModelBundle offline = ModelFile.fromBytes(modelFile, "offline");
        ModelScorer scorer = offline.newScorer();
        Map<String, ItKafka.Out> byId = new HashMap<>();
        outputs.forEach(o -> byId.put(o.key(), o));

        // When / Then: every scored record carries the offline probability, bit for bit, and the matching decision
        int compared = 0;
        for (ItKafka.Sent s : sent) {
            if (!s.event().good()) {
                continue;
            }
            ItKafka.Out out = byId.get(s.event().id());
            JsonNode r = JSON.readTree(out.value());
            double expected = scorer.probability(s.event().row());
            Double actual = r.path("probability").doubleValue();
            assertThat(actual).as("probability of %s", s.event().id()).isEqualTo(Double.valueOf(expected));
            assertThat(r.path("id").asText()).isEqualTo(s.event().id());
            assertThat(r.path("decision").asText()).isEqualTo(scorer.flagged(expected) ? "FLAGGED" : "CLEAN");
            assertThat(out.topic()).isEqualTo(scorer.flagged(expected) ? topics.flagged() : topics.clean());
            assertThat(r.path("threshold").doubleValue()).isEqualTo(offline.threshold().value());
            assertThat(r.path("modelVersion").asText()).isEqualTo(offline.modelVersion());
            assertThat(r.path("modelSha256").asText()).isEqualTo(offline.sha256());
            compared++;
        }
        assertThat(compared).isEqualTo(GOOD);
    }

    private long count(String topic) {
        return outputs.stream().filter(o -> o.topic().equals(topic)).count();
    }

    private static byte[] raw(JsonNode d) {
        return switch (d.path("rawEncoding").asText()) {
            case "null" -> null;
            case "base64" -> Base64.getDecoder().decode(d.path("raw").asText());
            default -> d.path("raw").asText().getBytes(StandardCharsets.UTF_8);
        };
    }
}
