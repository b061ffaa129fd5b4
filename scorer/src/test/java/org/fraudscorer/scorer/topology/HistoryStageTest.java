package org.fraudscorer.scorer.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.InternalFixedKeyRecordFactory;
import org.apache.kafka.streams.processor.api.Record;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.server.ScorerMetrics;
import org.junit.jupiter.api.Test;

/** What a stage takes for a corrupt history (dropped, the event dead-lettered) and what it leaves to Kafka Streams. */
class HistoryStageTest {
    private final List<Long> forgotten = new ArrayList<>();

    /** A stage whose update throws what {@code failure} gives, and which records the histories it drops. */
    private HistoryStage stage(Supplier<RuntimeException> failure) {
        return new HistoryStage("histories", 86_400, new ScorerConfig(Topics.defaults(), new Properties(), 16_384, 3),
                new ModelRegistry(ModelFixtures.bundle(1)), new ScorerMetrics(new SimpleMeterRegistry())) {
            @Override
            void useStore(StateStore store) {
            }

            @Override
            void forget(long key) {
                forgotten.add(key);
            }

            @Override
            void sweep(long cutoff) {
            }

            @Override
            Staged apply(long key, Staged s, Headers headers) {
                throw failure.get();
            }
        };
    }

    private static FixedKeyRecord<Long, Staged> event(long key) {
        Staged s = new Staged(Staged.EVENT, 7, 1_525_000_000L, key, 11, 12.5, false, 0, 3, new byte[] {1}, null);
        return InternalFixedKeyRecordFactory.create(new Record<>(key, s, 1_525_000_000_000L, new RecordHeaders()));
    }

    private static FixedKeyRecord<Long, Staged> label(long terminal) {
        Staged s = new Staged(Staged.LABEL, 8, 1_525_000_000L, -1, terminal, 0, true, 1, 5, new byte[0], null);
        return InternalFixedKeyRecordFactory.create(new Record<>(terminal, s, 1_525_000_000_000L, new RecordHeaders()));
    }

    /**
     * A send that failed earlier is thrown by the next send, here the store's changelog write, once: taken for a
     * corrupt history it would delete this card's history and let the stream commit past the record that was lost.
     */
    @Test
    void kafkasOwnFailureReachesKafkaStreamsAndNoHistoryIsDropped() {
        for (Supplier<RuntimeException> kafkaFailure : List.<Supplier<RuntimeException>>of(
                () -> new StreamsException("Error encountered sending record to topic t", new TimeoutException("x")),
                () -> new TaskCorruptedException(java.util.Set.of()),
                () -> new org.apache.kafka.common.errors.ProducerFencedException("fenced"))) {
            HistoryStage stage = stage(kafkaFailure);
            List<FixedKeyRecord<Long, Staged>> forwarded = initWithRecordingContext(stage);
            assertThatThrownBy(() -> stage.process(event(42))).isInstanceOf(org.apache.kafka.common.KafkaException.class);
            assertThat(forwarded).as("nothing dead-lettered for Kafka's own failure").isEmpty();
        }
        assertThat(forgotten).isEmpty();
    }

    /** Initialises {@code stage} with a context that keeps what the stage forwards (and answers null otherwise). */
    @SuppressWarnings("unchecked")
    private List<FixedKeyRecord<Long, Staged>> initWithRecordingContext(HistoryStage stage) {
        List<FixedKeyRecord<Long, Staged>> forwarded = new ArrayList<>();
        stage.init((org.apache.kafka.streams.processor.api.FixedKeyProcessorContext<Long, Staged>)
                java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {
                    org.apache.kafka.streams.processor.api.FixedKeyProcessorContext.class}, (proxy, method, args) -> {
                        if (method.getName().equals("forward")) {
                            forwarded.add((FixedKeyRecord<Long, Staged>) args[0]);
                        }
                        return null;
                    }));
        return forwarded;
    }

    /**
     * The stage's own failure on a history (unreadable bytes) drops that history; the event, or the label, is
     * dead-lettered with where it came from (a label that vanished could not be sent again).
     */
    @Test
    void aHistoryThatCannotBeReadIsDroppedAndItsEventOrLabelDeadLettered() {
        HistoryStage stage = stage(() -> new IllegalArgumentException("history of 42: truncated record"));
        List<FixedKeyRecord<Long, Staged>> forwarded = initWithRecordingContext(stage);
        stage.process(event(42));
        stage.process(label(11));
        assertThat(forgotten).containsExactly(42L, 11L);
        assertThat(forwarded).hasSize(2).allSatisfy(r -> {
            assertThat(r.value().kind()).isEqualTo(Staged.DEAD_LETTER);
            assertThat(new String(r.value().raw(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("PROCESSING_ERROR", "truncated record");
        });
        assertThat(new String(forwarded.get(0).value().raw(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"sourceTopic\":\"" + Topics.defaults().input() + "\"");
        assertThat(new String(forwarded.get(1).value().raw(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"sourceTopic\":\"" + Topics.defaults().labels() + "\"").contains("\"sourceOffset\":5");
    }
}
