package org.fraudscorer.scorer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.model.ModelWatcher;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The model watcher on a real broker: a failure while following the model topic (here a listener that throws on
 * a swap) is reported and retried, and every later publication is still served. Before, the watcher's thread ended
 * on the first exception and the scorer kept its model for good, with nothing to show it.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(180)
class ModelWatcherIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"exception", "error"})
    void aFailureWhileFollowingIsReportedAndRetriedAndLaterModelsAreServed(String kind, TestBroker broker,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // Given a watcher serving v1, whose registry's listener throws on the first swap only: an exception, or an
        // Error (as building a model that runs out of memory would)
        Topics topics = ItKafka.topics("watch-" + kind);
        ItKafka.createTopics(broker, topics, 1);
        ModelBundle v1 = ModelFixtures.bundle(1);
        ModelBundle v2 = ModelFixtures.bundle(2);
        ModelBundle v3 = ModelFixtures.bundle(3);
        ModelRegistry registry = new ModelRegistry(v1);
        List<String> swaps = new CopyOnWriteArrayList<>();
        registry.addListener(new ModelRegistry.Listener() {
            @Override
            public void swapped(ModelBundle from, ModelBundle to) {
                swaps.add(to.modelVersion());
                if (swaps.size() == 1) {
                    String message = "listener failed on " + to.modelVersion();
                    if (kind.equals("error")) {
                        throw new OutOfMemoryError(message);
                    }
                    throw new IllegalStateException(message);
                }
            }
        });
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        AtomicReference<String> seenFailure = new AtomicReference<>();
        java.nio.file.Path kept = dir.resolve("kept.json");
        try (ModelWatcher watcher = new ModelWatcher(client, topics.models(), registry, kept).start();
             KafkaProducer<String, byte[]> producer = ItKafka.producer(broker)) {
            assertThat(watcher.awaitCaughtUp(WAIT)).isTrue();
            assertThat(watcher.failure()).isNull();

            // When v2 is published (its swap's listener throws), then, once reading resumed, v3
            producer.send(new ProducerRecord<>(topics.models(), "default", ModelFile.toBytes(v2))).get();
            ItKafka.await("the failure reported", WAIT, () -> {
                String f = watcher.failure();
                if (f != null) {
                    seenFailure.set(f);
                }
                return seenFailure.get() != null;
            });
            // v2 serves (the listener threw after the swap), so it is the model kept
            assertThat(kept).hasBinaryContent(ModelFile.toBytes(v2));
            ItKafka.await("reading resumed after the back-off", WAIT, () -> watcher.failure() == null);
            producer.send(new ProducerRecord<>(topics.models(), "default", ModelFile.toBytes(v3))).get();

            // Then the failure was reported with its reason, and v3 serves: the watcher outlived the failure
            // (the registry serves a model before it tells its listeners: wait for both)
            ItKafka.await("v3 served and its swap told", WAIT, () -> registry.current().modelVersion()
                    .equals(v3.modelVersion()) && swaps.contains(v3.modelVersion()));
            assertThat(seenFailure.get()).contains("listener failed on " + v2.modelVersion());
            // each version swapped in once
            assertThat(swaps).containsExactly(v2.modelVersion(), v3.modelVersion());
        }
    }

    @org.junit.jupiter.api.Test
    void catchingUpServesOnlyTheLatestAcceptableModelPerSlot(TestBroker broker) throws Exception {
        // Given a model topic that already holds, in order: a corrupt champion and a corrupt challenger record (both
        // replaced later), champions v2 and v3, a corrupt champion record, a challenger c4, its tombstone and a
        // challenger c5
        Topics topics = ItKafka.topics("watch-catch-up");
        ItKafka.createTopics(broker, topics, 1);
        ModelBundle v1 = ModelFixtures.bundle(1);
        ModelBundle v2 = ModelFixtures.bundle(2);
        ModelBundle v3 = ModelFixtures.bundle(3);
        ModelBundle c4 = ModelFixtures.bundle(4);
        ModelBundle c5 = ModelFixtures.bundle(5);
        try (KafkaProducer<String, byte[]> producer = ItKafka.producer(broker)) {
            String models = topics.models();
            producer.send(new ProducerRecord<>(models, "default", "{\"format\": \"old and bad\"}".getBytes())).get();
            producer.send(new ProducerRecord<>(models, ModelRegistry.CHALLENGER_KEY, "{}".getBytes())).get();
            producer.send(new ProducerRecord<>(models, "default", ModelFile.toBytes(v2))).get();
            producer.send(new ProducerRecord<>(models, "default", ModelFile.toBytes(v3))).get();
            producer.send(new ProducerRecord<>(models, "default", "{\"format\": \"not a model\"}".getBytes())).get();
            producer.send(new ProducerRecord<>(models, ModelRegistry.CHALLENGER_KEY, ModelFile.toBytes(c4))).get();
            producer.send(new ProducerRecord<>(models, ModelRegistry.CHALLENGER_KEY, null)).get();
            producer.send(new ProducerRecord<>(models, ModelRegistry.CHALLENGER_KEY, ModelFile.toBytes(c5))).get();
        }
        // a registry serving its start-up model v1, recording every change
        ModelRegistry registry = new ModelRegistry(v1);
        List<String> changes = new CopyOnWriteArrayList<>();
        registry.addListener(new ModelRegistry.Listener() {
            @Override
            public void swapped(ModelBundle from, ModelBundle to) {
                changes.add("champion " + to.modelVersion());
            }

            @Override
            public void challenger(ModelBundle from, ModelBundle to) {
                changes.add("challenger " + (to == null ? "demoted" : to.modelVersion()));
            }

            @Override
            public void refused(String origin, String reason) {
                changes.add("refused " + origin);
            }
        });
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());

        // When a watcher reads the topic from its beginning
        try (ModelWatcher watcher = new ModelWatcher(client, topics.models(), registry).start()) {
            assertThat(watcher.awaitCaughtUp(WAIT)).isTrue();

            // Then the corrupt record after the last acceptable champion is told (the two a later record replaced are
            // not: a restart told them again each time), and the latest acceptable model of each slot changed it
            // once: v2 never served, the demoted c4 never shadowed (before, each served in turn)
            assertThat(changes).containsExactly("refused " + topics.models() + "-0@4",
                    "champion " + v3.modelVersion(), "challenger " + c5.modelVersion());
            assertThat(registry.current().modelVersion()).isEqualTo(v3.modelVersion());
            assertThat(registry.challenger().modelVersion()).isEqualTo(c5.modelVersion());

            // and, caught up, a model published later is served as it arrives
            ModelBundle v6 = ModelFixtures.bundle(6);
            try (KafkaProducer<String, byte[]> producer = ItKafka.producer(broker)) {
                producer.send(new ProducerRecord<>(topics.models(), "default", ModelFile.toBytes(v6))).get();
            }
            // (the registry swaps, then tells its listeners: wait for the change to be told, not only served)
            ItKafka.await("v6 served and told", WAIT, () -> registry.current().modelVersion().equals(v6.modelVersion())
                    && changes.contains("champion " + v6.modelVersion()));
            assertThat(changes).endsWith("champion " + v6.modelVersion());
        }
    }

    @org.junit.jupiter.api.Test
    void whenEveryChampionOnTheTopicIsRefusedTheModelLastServedFromItServesAgain(TestBroker broker,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        ModelBundle v1 = ModelFixtures.bundle(1);
        ModelBundle v2 = ModelFixtures.bundle(2);
        byte[] v2File = ModelFile.toBytes(v2);
        java.nio.file.Path kept = dir.resolve("state").resolve("app.served-model.json");
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        // Given a scorer (start-up model v1) that served v2 from its model topic
        Topics before = ItKafka.topics("watch-kept");
        ItKafka.createTopics(broker, before, 1);
        try (KafkaProducer<String, byte[]> producer = ItKafka.producer(broker)) {
            producer.send(new ProducerRecord<>(before.models(), "default", v2File)).get();
        }
        ModelBundle v3 = ModelFixtures.bundle(3);
        byte[] v3File = ModelFile.toBytes(v3);
        ModelRegistry first = new ModelRegistry(v1);
        try (ModelWatcher watcher = new ModelWatcher(client, before.models(), first, kept).start()) {
            assertThat(watcher.awaitCaughtUp(WAIT)).isTrue();
            assertThat(kept).hasBinaryContent(v2File);
            // and, caught up, v3 published later: kept in turn
            try (KafkaProducer<String, byte[]> producer = ItKafka.producer(broker)) {
                producer.send(new ProducerRecord<>(before.models(), "default", v3File)).get();
            }
            ItKafka.await("v3 served", WAIT, () -> first.current().modelVersion().equals(v3.modelVersion()));
        }
        assertThat(kept).hasBinaryContent(v3File);

        // When it restarts on a model topic whose champion key holds only a refused record (what compaction leaves
        // once a bad file was published over v2), then on a topic with no champion at all
        Topics compacted = ItKafka.topics("watch-kept-compacted");
        Topics empty = ItKafka.topics("watch-kept-empty");
        ItKafka.createTopics(broker, compacted, 1);
        ItKafka.createTopics(broker, empty, 1);
        try (KafkaProducer<String, byte[]> producer = ItKafka.producer(broker)) {
            producer.send(new ProducerRecord<>(compacted.models(), "default", "not a model".getBytes())).get();
        }
        ModelRegistry restarted = new ModelRegistry(v1);
        ModelRegistry onEmpty = new ModelRegistry(v1);
        try (ModelWatcher watcher = new ModelWatcher(client, compacted.models(), restarted, kept).start();
             ModelWatcher other = new ModelWatcher(client, empty.models(), onEmpty, kept).start()) {
            assertThat(watcher.awaitCaughtUp(WAIT)).isTrue();
            assertThat(other.awaitCaughtUp(WAIT)).isTrue();
        }

        // Then the refused topic's scorer serves v3 again, not its start-up model; the empty topic's keeps v1
        assertThat(restarted.refusals()).hasSize(1);
        assertThat(restarted.current().modelVersion()).isEqualTo(v3.modelVersion());
        assertThat(onEmpty.current().modelVersion()).isEqualTo(v1.modelVersion());
        // but a start-up model newer than the kept one keeps serving
        ModelBundle newer = ModelFixtures.bundle(9);
        newer = new ModelBundle(newer.modelVersion(), v3.createdAt().plusSeconds(60), newer.schema(),
                newer.preprocessing(), newer.members(), newer.threshold(), newer.seed(), newer.metrics(),
                newer.hyperparameters(), newer.provenance(), null);
        ModelRegistry withNewer = new ModelRegistry(newer);
        try (ModelWatcher watcher = new ModelWatcher(client, compacted.models(), withNewer, kept).start()) {
            assertThat(watcher.awaitCaughtUp(WAIT)).isTrue();
        }
        assertThat(withNewer.current().modelVersion()).isEqualTo(newer.modelVersion());
        assertThat(withNewer.refusals()).hasSize(1); // the topic's record only: the kept file verified, and is older
        // and a kept file that no longer verifies is refused like any record: v1 keeps serving
        java.nio.file.Files.write(kept, "tampered".getBytes());
        ModelRegistry third = new ModelRegistry(v1);
        try (ModelWatcher watcher = new ModelWatcher(client, compacted.models(), third, kept).start()) {
            assertThat(watcher.awaitCaughtUp(WAIT)).isTrue();
        }
        assertThat(third.current().modelVersion()).isEqualTo(v1.modelVersion());
        assertThat(third.refusals()).hasSize(2);
    }

    private static ModelBundle createdAt(ModelBundle b, java.time.Instant when) {
        return new ModelBundle(b.modelVersion(), when, b.schema(), b.preprocessing(), b.members(), b.threshold(),
                b.seed(), b.metrics(), b.hyperparameters(), b.provenance(), null);
    }

    /**
     * After compaction, a topic can hold an older champion under another key (a hotfix) and, as the latest champion
     * record, one that is refused: the running instances refused it and kept the newer model they served, whose record
     * compaction removed. A restarted scorer serves that model again (kept in its state directory with its record's
     * position), not the older hotfix (found by a helper session: restarted instances rolled back while the others did
     * not). By position, not creation time: a rollback published after the kept model's record still serves. Without a
     * kept model, the hotfix serves, as before.
     */
    @org.junit.jupiter.api.Test
    void aRefusedLatestChampionDoesNotRollARestartBackToAnEarlierChampionUnderAnotherKey(TestBroker broker,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        ModelBundle startUp = ModelFixtures.bundle(1);
        ModelBundle hotfix = createdAt(ModelFixtures.bundle(2), startUp.createdAt().plusSeconds(60));
        ModelBundle newest = createdAt(ModelFixtures.bundle(3), startUp.createdAt().plusSeconds(3_600));
        java.nio.file.Path kept = dir.resolve("app.served-model.json");
        java.nio.file.Path position = dir.resolve("app.served-model.json.position");
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        // Given a scorer that served the newest model from offset 1 of its topic (kept, with its position)
        Topics served = ItKafka.topics("watch-hotfix-served");
        ItKafka.createTopics(broker, served, 1);
        try (KafkaProducer<String, byte[]> producer = ItKafka.producer(broker)) {
            producer.send(new ProducerRecord<>(served.models(), "hotfix", ModelFile.toBytes(hotfix))).get();
            producer.send(new ProducerRecord<>(served.models(), "default", ModelFile.toBytes(newest))).get();
        }
        ModelRegistry first = new ModelRegistry(startUp);
        try (ModelWatcher watcher = new ModelWatcher(client, served.models(), first, kept).start()) {
            assertThat(watcher.awaitCaughtUp(WAIT)).isTrue();
        }
        assertThat(first.current().modelVersion()).isEqualTo(newest.modelVersion());
        assertThat(kept).hasBinaryContent(ModelFile.toBytes(newest));
        assertThat(position).hasContent("0@1");

        // When it restarts on the topic as compaction leaves it: the hotfix, the newest's record gone (a challenger
        // tombstone holds its offset here), and the refused record that replaced it under its key
        Topics compacted = ItKafka.topics("watch-hotfix-compacted");
        ItKafka.createTopics(broker, compacted, 1);
        try (KafkaProducer<String, byte[]> producer = ItKafka.producer(broker)) {
            producer.send(new ProducerRecord<>(compacted.models(), "hotfix", ModelFile.toBytes(hotfix))).get();
            producer.send(new ProducerRecord<>(compacted.models(), ModelRegistry.CHALLENGER_KEY, null)).get();
            producer.send(new ProducerRecord<>(compacted.models(), "default", "not a model".getBytes())).get();
        }
        ModelRegistry restarted = new ModelRegistry(startUp);
        ModelRegistry freshHost = new ModelRegistry(startUp);
        try (ModelWatcher watcher = new ModelWatcher(client, compacted.models(), restarted, kept).start();
             ModelWatcher other = new ModelWatcher(client, compacted.models(), freshHost,
                     dir.resolve("empty").resolve("app.served-model.json")).start()) {
            assertThat(watcher.awaitCaughtUp(WAIT)).isTrue();
            assertThat(other.awaitCaughtUp(WAIT)).isTrue();
        }

        // Then it serves the newest again, as the running instances do; a new host serves the hotfix
        assertThat(restarted.current().modelVersion()).isEqualTo(newest.modelVersion());
        assertThat(restarted.refusals()).hasSize(1);
        assertThat(freshHost.current().modelVersion()).isEqualTo(hotfix.modelVersion());

        // But a rollback published after the kept model's record (the older hotfix at offset 1, the kept newest at 0)
        // is what the running instances serve: it serves after a restart too
        Topics rolledBack = ItKafka.topics("watch-hotfix-rollback");
        ItKafka.createTopics(broker, rolledBack, 1);
        try (KafkaProducer<String, byte[]> producer = ItKafka.producer(broker)) {
            producer.send(new ProducerRecord<>(rolledBack.models(), "default", ModelFile.toBytes(newest))).get();
            producer.send(new ProducerRecord<>(rolledBack.models(), "rollback", ModelFile.toBytes(hotfix))).get();
            producer.send(new ProducerRecord<>(rolledBack.models(), "default", "not a model".getBytes())).get();
        }
        java.nio.file.Files.writeString(position, "0@0\n");
        ModelRegistry afterRollback = new ModelRegistry(startUp);
        try (ModelWatcher watcher = new ModelWatcher(client, rolledBack.models(), afterRollback, kept).start()) {
            assertThat(watcher.awaitCaughtUp(WAIT)).isTrue();
        }
        assertThat(afterRollback.current().modelVersion()).isEqualTo(hotfix.modelVersion());
    }

    /**
     * The model topic decides what every instance serves: a champion on it replaces a newer start-up model (so that
     * instances restarted with different files still agree), and the scorer says so, naming both.
     */
    @org.junit.jupiter.api.Test
    void anOlderChampionOnTheTopicReplacesANewerStartUpModelWithAWarning(TestBroker broker) throws Exception {
        Topics topics = ItKafka.topics("watch-older");
        ItKafka.createTopics(broker, topics, 1);
        ModelBundle published = ModelFixtures.bundle(2);
        try (KafkaProducer<String, byte[]> producer = ItKafka.producer(broker)) {
            producer.send(new ProducerRecord<>(topics.models(), "default", ModelFile.toBytes(published))).get();
        }
        ModelBundle b = ModelFixtures.bundle(7);
        ModelBundle newer = new ModelBundle(b.modelVersion(), published.createdAt().plusSeconds(3600), b.schema(),
                b.preprocessing(), b.members(), b.threshold(), b.seed(), b.metrics(), b.hyperparameters(),
                b.provenance(), null);
        WatcherLog logged = new WatcherLog();
        ModelRegistry registry = new ModelRegistry(newer);
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        try (ModelWatcher watcher = new ModelWatcher(client, topics.models(), registry).start()) {
            assertThat(watcher.awaitCaughtUp(WAIT)).isTrue();
        } finally {
            logged.close();
        }
        assertThat(registry.current().modelVersion()).isEqualTo(published.modelVersion());
        assertThat(logged.warnings())
                .anySatisfy(m -> assertThat(m).contains("is older than the serving model " + newer.modelVersion(),
                        published.modelVersion(), "publish " + newer.modelVersion()));
    }

    /**
     * A champion published while the scorer runs that is older than the model it serves replaces it (the topic decides:
     * a rollback), and the scorer says so as it does at start-up; a newer one swaps in without that warning.
     */
    @org.junit.jupiter.api.Test
    void anOlderChampionPublishedLiveReplacesTheServingModelWithAWarning(TestBroker broker) throws Exception {
        Topics topics = ItKafka.topics("watch-live-older");
        ItKafka.createTopics(broker, topics, 1);
        ModelBundle serving = ModelFixtures.bundle(4);
        ModelBundle newer = createdAt(ModelFixtures.bundle(5), serving.createdAt().plusSeconds(60));
        ModelBundle older = createdAt(ModelFixtures.bundle(6), serving.createdAt().minusSeconds(3600));
        WatcherLog logged = new WatcherLog();
        ModelRegistry registry = new ModelRegistry(serving);
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        try (ModelWatcher watcher = new ModelWatcher(client, topics.models(), registry).start();
                KafkaProducer<String, byte[]> producer = ItKafka.producer(broker)) {
            assertThat(watcher.awaitCaughtUp(WAIT)).isTrue();
            producer.send(new ProducerRecord<>(topics.models(), "default", ModelFile.toBytes(newer))).get();
            ItKafka.await("the newer model served", WAIT,
                    () -> registry.current().modelVersion().equals(newer.modelVersion()));
            producer.send(new ProducerRecord<>(topics.models(), "default", ModelFile.toBytes(older))).get();
            ItKafka.await("the older model served", WAIT,
                    () -> registry.current().modelVersion().equals(older.modelVersion()));
        } finally {
            logged.close();
        }
        assertThat(logged.warnings())
                .filteredOn(m -> m.contains("is older than the serving model"))
                .singleElement().satisfies(m -> assertThat(m).contains(older.modelVersion(),
                        "is older than the serving model " + newer.modelVersion(), "a rollback"));
    }

    /** The watcher's log lines while it is open (logback's list appender on ModelWatcher's logger). */
    private static final class WatcherLog implements AutoCloseable {
        private final ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(ModelWatcher.class);
        private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();

        WatcherLog() {
            lines.start();
            log.addAppender(lines);
        }

        java.util.List<String> warnings() {
            return lines.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
        }

        @Override
        public void close() {
            log.detachAppender(lines);
        }
    }
}
