package org.fraudscorer.scorer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison pills on a real broker: an event whose scored output is too large for the producer. Before the output
 * limit and the bounded thread replacement, the refused send failed the stream thread, which was replaced and
 * failed again on the same record, for ever. Now the output becomes a dead letter, and a failure that still comes
 * back on every retry (here: even the dead letter is too large) stops the scorer with the reason.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(300)
class PoisonPillIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_EVENT_BYTES = 512 * 1024;

    /** A valid event of about 200 KB: a good event with white space after its opening brace. */
    private static ItEvents.Event huge(String id) {
        ItEvents.Event e = ItEvents.good(id, 1, 5).get(0);
        String json = new String(e.value(), StandardCharsets.UTF_8);
        byte[] padded = ("{" + " ".repeat(200_000) + json.substring(1)).getBytes(StandardCharsets.UTF_8);
        return new ItEvents.Event(e.id(), padded, e.row(), "OUTPUT_TOO_LARGE");
    }

    private static ScorerConfig config(TestBroker broker, Topics topics, Path state, int maxRequestBytes) {
        ScorerConfig base = ItKafka.scorerConfig(broker, topics, ItKafka.unique("pill-app"), state);
        Properties p = new Properties();
        p.putAll(base.kafka());
        p.put("producer.max.request.size", Integer.toString(maxRequestBytes));
        p.put("num.stream.threads", "2"); // the failure budget counts episodes of up to one failure per thread
        return new ScorerConfig(topics, p, MAX_EVENT_BYTES, 3);
    }

    @Test
    void anOutputKafkaRefusesBecomesADeadLetterAndTheStreamGoesOn(TestBroker broker, @TempDir Path state)
            throws Exception {
        // Given: good events around one whose scored record (~200 KB) exceeds the producer's 100 KiB request limit;
        // its dead letter keeps the first 64 KiB of the input, so it fits
        List<ItEvents.Event> events = new ArrayList<>(ItEvents.good("before", 50, 11));
        ItEvents.Event pill = huge("pill");
        events.add(pill);
        events.addAll(ItEvents.good("after", 50, 12));
        Topics topics = ItKafka.topics("pill");
        ItKafka.createTopics(broker, topics, 1);
        List<ItKafka.Sent> sent;
        try (KafkaProducer<String, byte[]> producer = ItKafka.producer(broker,
                Map.of("max.request.size", 1024 * 1024))) {
            sent = ItKafka.sendAll(producer, topics.input(), events);
        }
        ModelBundle model = ItEvents.model("pill-model", 7,
                events.stream().map(ItEvents.Event::row).toArray(double[][]::new), 0.12);

        // When: one scorer runs over them
        List<ItKafka.Out> outputs;
        KafkaStreams.State state1;
        try (ScorerApp app = ScorerApp.start(config(broker, topics, state, 100 * 1024), model,
                ScorerApp.Options.forTests());
             ItKafka.Drain drain = new ItKafka.Drain(broker,
                     topics.outputs())) {
            outputs = drain.drain(events.size(), Duration.ofSeconds(120));
            state1 = app.streams().state();
        }

        // Then: every event exactly once, the pill as a dead letter with its reason and origin, the stream running
        Map<String, ItKafka.Out> one = ItKafka.assertExactlyOnce(events, outputs, topics);
        JsonNode d = JSON.readTree(one.get(pill.id()).value());
        assertThat(d.path("reason").asText()).isEqualTo("OUTPUT_TOO_LARGE");
        // 100 KiB less 1 KiB of framing and the 12,800 bytes (an eighth) kept for the key and headers
        assertThat(d.path("detail").asText()).contains("over the 88576 bytes the producer may send");
        ItKafka.Sent at = sent.stream().filter(s -> s.event().id().equals(pill.id())).findFirst().orElseThrow();
        assertThat(d.path("sourceTopic").asText()).isEqualTo(topics.input());
        assertThat(d.path("sourceOffset").asLong()).isEqualTo(at.offset());
        assertThat(d.path("rawBytes").asInt()).isEqualTo(pill.value().length);
        assertThat(d.path("rawTruncated").asBoolean()).isTrue();
        assertThat(state1).isEqualTo(KafkaStreams.State.RUNNING);
    }

    @Test
    void aFailureThatComesBackOnEveryRetryStopsTheScorerWithTheReason(TestBroker broker, @TempDir Path state)
            throws Exception {
        // Given: the same pill, but a 10 KiB request limit, so that even its dead letter is refused
        Topics topics = ItKafka.topics("pill2");
        ItKafka.createTopics(broker, topics, 1);
        ItEvents.Event pill = huge("pill");
        try (KafkaProducer<String, byte[]> producer = ItKafka.producer(broker,
                Map.of("max.request.size", 1024 * 1024))) {
            ItKafka.sendAll(producer, topics.input(), List.of(pill));
        }
        ModelBundle model = ItEvents.model("pill-model", 7, new double[][] {pill.row()}, 0.12);

        // When: a scorer runs; Then: it stops on its own, saying why, instead of replacing its thread for ever
        try (ScorerApp app = ScorerApp.start(config(broker, topics, state, 10 * 1024), model,
                ScorerApp.Options.forTests())) {
            assertThat(app.failureReason()).as("while running").isNull();
            String reason = CompletableFuture.supplyAsync(() -> {
                try {
                    return app.awaitFailure();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }).get(240, TimeUnit.SECONDS);
            assertThat(reason).startsWith("stream threads failed in 4 episodes within 5 min, stopping:")
                    .contains("RecordTooLargeException").doesNotContain("\n");
            assertThat(app.streams().state()).isIn(KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.ERROR);
            assertThat(app.failureReason()).as("what the demo prints without waiting").isEqualTo(reason);
        }
    }
}
