package org.fraudscorer.scorer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFormatException;
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
 * Two scorer instances with one application id share a 4-partition input: every event is scored once. A model
 * published to the model topic reaches both and serves every later record; a tampered model is refused by both.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(300)
class TwoInstancesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void shouldShareTheWorkAndSwapModelsTogether(TestBroker broker, @TempDir Path stateA, @TempDir Path stateB)
            throws Exception {
        // Given: a 4-partition input, model 1 serving, models 2 (same schema, other weights) and a tampered one ready
        Topics topics = ItKafka.topics("two");
        ItKafka.createTopics(broker, topics, 4);
        List<ItEvents.Event> before = ItEvents.good("before", 2_000, 505);
        before.addAll(ItEvents.bad("before-bad", 104, 606));
        List<ItEvents.Event> afterSwap = ItEvents.good("after-swap", 1_000, 707);
        List<ItEvents.Event> afterTamper = ItEvents.good("after-tamper", 500, 808);
        double[][] rows = before.stream().filter(ItEvents.Event::good).map(ItEvents.Event::row).toArray(double[][]::new);
        ModelBundle model1 = ItEvents.model("it-model-1", 11, rows, 0.10);
        ModelBundle model2 = ItEvents.model("it-model-2", 22, rows, 0.10);
        byte[] tampered = tamper(ModelFile.toBytes(ItEvents.model("it-model-3", 33, rows, 0.10)));
        assertThatThrownBy(() -> ModelFile.fromBytes(tampered, "tampered")).isInstanceOf(ModelFormatException.class);
        String applicationId = ItKafka.unique("two-app");

        try (ScorerApp a = ScorerApp.start(ItKafka.scorerConfig(broker, topics, applicationId, stateA), model1,
                     new ScorerApp.Options("127.0.0.1", -1, 4));
             ScorerApp b = ScorerApp.start(ItKafka.scorerConfig(broker, topics, applicationId, stateB), model1,
                     new ScorerApp.Options("127.0.0.1", -1, 4));
             KafkaProducer<String, byte[]> producer = ItKafka.producer(broker);
             ItKafka.Drain drain = new ItKafka.Drain(broker,
                     topics.outputs())) {
            await("both instances running with the 4 tasks split between them", () ->
                    a.streams().state() == KafkaStreams.State.RUNNING && b.streams().state() == KafkaStreams.State.RUNNING
                            && activeTasks(a) > 0 && activeTasks(b) > 0 && activeTasks(a) + activeTasks(b) == 4);

            // When: events arrive, then model 2 is published, then more events, then a tampered model, then more events
            ItKafka.sendAll(producer, topics.input(), before);
            drain.awaitAtLeast(before.size(), WAIT);

            publish(broker, topics.models(), ModelFile.toBytes(model2));
            await("both instances serving model 2", () -> a.registry().current().modelVersion().equals("it-model-2")
                    && b.registry().current().modelVersion().equals("it-model-2"));
            ItKafka.sendAll(producer, topics.input(), afterSwap);
            drain.awaitAtLeast(before.size() + afterSwap.size(), WAIT);

            publish(broker, topics.models(), tampered);
            await("both instances refusing the tampered model",
                    () -> !a.registry().refusals().isEmpty() && !b.registry().refusals().isEmpty());
            ItKafka.sendAll(producer, topics.input(), afterTamper);
            int total = before.size() + afterSwap.size() + afterTamper.size();
            List<ItKafka.Out> outputs = drain.drain(total, WAIT);

            // Then: every event was scored exactly once across the two instances
            Map<String, List<ItKafka.Out>> byId = outputs.stream().collect(Collectors.groupingBy(ItKafka.Out::key));
            assertThat(outputs).hasSize(total);
            List<String> ids = new ArrayList<>();
            for (List<ItEvents.Event> batch : List.of(before, afterSwap, afterTamper)) {
                batch.forEach(e -> ids.add(e.id()));
            }
            assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(byId.values()).allSatisfy(outs -> assertThat(outs).hasSize(1));
            // and each record by the model serving when it arrived, with that model's exact probability
            assertScoredBy(before, byId, model1, topics);
            assertScoredBy(afterSwap, byId, model2, topics);
            assertScoredBy(afterTamper, byId, model2, topics);
            // and the tampered model never served: both refused it and still serve model 2
            for (ScorerApp app : List.of(a, b)) {
                assertThat(app.registry().current().modelVersion()).isEqualTo("it-model-2");
                assertThat(app.registry().current().sha256()).isEqualTo(model2.sha256());
                assertThat(app.registry().refusals()).hasSize(1);
            }
            System.out.printf("TwoInstancesIT: %d events; refusal: %s%n", total, a.registry().refusals().get(0));
        }
    }

    private static void assertScoredBy(List<ItEvents.Event> events, Map<String, List<ItKafka.Out>> byId,
                                       ModelBundle model, Topics topics) throws Exception {
        ModelScorer scorer = model.newScorer();
        for (ItEvents.Event e : events) {
            ItKafka.Out out = byId.get(e.id()).get(0);
            if (!e.good()) {
                assertThat(out.topic()).as("topic of %s", e.id()).isEqualTo(topics.deadLetter());
                continue;
            }
            JsonNode r = JSON.readTree(out.value());
            assertThat(r.path("modelVersion").asText()).as("model of %s", e.id()).isEqualTo(model.modelVersion());
            assertThat(r.path("probability").doubleValue()).as("probability of %s", e.id())
                    .isEqualTo(scorer.probability(e.row()));
        }
    }

    private static int activeTasks(ScorerApp app) {
        return app.streams().metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
    }

    /** What {@code ./fraud publish} does: the model file as the value, the model name as the key. */
    private static void publish(TestBroker broker, String topic, byte[] file) throws Exception {
        Map<String, Object> c = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(c, new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topic, "default", file)).get();
        }
    }

    /** The file with one digit of one weight changed (the checksum no longer matches). */
    private static byte[] tamper(byte[] file) {
        String text = new String(file, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\\d\\.(\\d)").matcher(text);
        int from = text.indexOf("\"model\"");
        assertThat(m.find(text.lastIndexOf("\"members\"") > from ? text.lastIndexOf("\"members\"") : from)).isTrue();
        char d = text.charAt(m.start(1));
        String changed = text.substring(0, m.start(1)) + (char) ('0' + (d - '0' + 1) % 10) + text.substring(m.start(1) + 1);
        return changed.getBytes(StandardCharsets.UTF_8);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(100); // polling state that offers nothing to block on
        }
    }
}
