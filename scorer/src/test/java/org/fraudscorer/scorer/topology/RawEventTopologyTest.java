package org.fraudscorer.scorer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.events.CustomerHistory;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.common.features.events.TerminalHistory;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.scorer.config.Backfill;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.serde.RawEventJson;
import org.fraudscorer.scorer.server.ScorerMetrics;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.events.EventPeriod;
import org.fraudscorer.trainer.events.FeatureReplay;
import org.fraudscorer.trainer.events.HandbookModels;
import org.fraudscorer.trainer.events.TransactionSimulator;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.TrainingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The raw-event topology through TopologyTestDriver: online features equal the offline replay's, bit for bit. Events
 * are keyed by card, as this project's producers key them; {@link RawEventTopologyKeyedByCardTest} runs every test
 * here again with the input read as keyed by card (no repartition by card).
 */
class RawEventTopologyTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path stateDir;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DELAY = HandbookFeatures.DEFAULT_DELAY_DAYS;
    static RawEvents events;
    static double[] offline;
    static ModelBundle model;

    final Topics topics = Topics.defaults();
    TestedTopology tested;
    TopologyTestDriver driver;
    org.apache.kafka.streams.Topology topology;
    ModelRegistry registry;
    ScorerMetrics metrics;
    TestInputTopic<byte[], byte[]> input;
    private TestInputTopic<byte[], byte[]> labels;
    TestOutputTopic<byte[], byte[]> flagged;
    TestOutputTopic<byte[], byte[]> clean;
    TestOutputTopic<byte[], byte[]> dlq;
    /** The most payments one terminal-store record holds. */
    private int terminalRecordPayments = TerminalDays.DEFAULT_RECORD_PAYMENTS;
    /** The most payments one card's stored history holds (0: the default). */
    private int cardPayments;
    /** The early labels a terminal-stage task may hold (0: the default). */
    private int earlyLabels;
    private SimpleMeterRegistry meters;
    /** {@code --max-clock-skew-ms}. */
    private long maxFutureSkewMs = ScorerConfig.DEFAULT_MAX_FUTURE_SKEW_MS;
    /** {@code --duplicate-window-ms}. */
    private long duplicateWindowMs = ScorerConfig.DEFAULT_DUPLICATE_WINDOW_MS;

    /** Whether the scorer reads the input as keyed by card ({@code --input-keyed-by-card}). */
    boolean inputKeyedByCard() {
        return false;
    }

    @BeforeAll
    static void simulateAndTrain() {
        // ~6,000 events over 40 days: 100 cards, 200 terminals, a radius wide enough that cards share terminals.
        events = TransactionSimulator.simulate(new TransactionSimulator.Config(100, 200, 40, LocalDate.of(2018, 4, 1),
                8, 13)).events();
        offline = FeatureReplay.replay(events, DELAY);
        TrainerConfig config = TrainerConfig.defaults().toBuilder().hidden(8).learningRate(1e-2).epochs(3).patience(0)
                .seed(7).build();
        model = HandbookModels.trainProcedure(events, offline,
                new EventPeriod(LocalDate.of(2018, 4, 20), LocalDate.of(2018, 4, 26)), DELAY,
                FraudModelTrainer.Options.defaults().withConfig(config).withFolds(2).withEnsemble(1).withRefit(false),
                TrainingListener.NONE).bundle();
    }

    @BeforeEach
    void start() {
        start(model);
    }

    private void start(ModelBundle serving) {
        registry = new ModelRegistry(serving);
        meters = new SimpleMeterRegistry();
        metrics = new ScorerMetrics(meters);
        ScorerConfig config = new ScorerConfig(topics, new Properties(), 16_384, 3, maxFutureSkewMs, 0)
                .withInputKeyedByCard(inputKeyedByCard()).withDuplicateWindowMs(duplicateWindowMs);
        Properties props = TestedTopology.driverProperties("raw-topology-test");
        props.put("state.dir", stateDir.toString());
        StoreLimits limits = StoreLimits.of(config).withTerminalRecordPayments(terminalRecordPayments);
        limits = earlyLabels > 0 ? limits.withEarlyLabels(earlyLabels) : limits;
        tested = new TestedTopology(props, config, registry, metrics,
                cardPayments > 0 ? limits.withCardPayments(cardPayments) : limits);
        topology = tested.topology;
        driver = tested.driver;
        input = tested.input;
        labels = tested.labels;
        flagged = tested.flagged;
        clean = tested.clean;
        dlq = tested.dlq;
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void sendEvent(int i, String extra) {
        sendEvent(i, extra, new RecordHeaders());
    }

    private void sendEvent(int i, String extra, Headers headers) {
        sendEvent(events, i, extra, headers);
    }

    private void sendEvent(RawEvents events, int i, String extra, Headers headers) {
        byte[] json = RawEventJson.event(events.id(i), events.time(i), events.customer(i), events.terminal(i),
                events.amount(i));
        if (extra != null) {
            json = new String(json, StandardCharsets.US_ASCII).replace("}", extra + "}").getBytes(StandardCharsets.UTF_8);
        }
        input.pipeInput(new TestRecord<>(cardKey(events.customer(i)), json, headers,
                Instant.ofEpochSecond(events.time(i))));
    }

    static byte[] cardKey(long customer) {
        return Long.toString(customer).getBytes(StandardCharsets.US_ASCII);
    }

    private void sendLabel(int j) {
        sendLabel(events, j);
    }

    private void sendLabel(RawEvents events, int j) {
        labels.pipeInput(new TestRecord<>(null, RawEventJson.label(events.id(j), events.time(j), events.terminal(j),
                events.label(j) == 1), Instant.ofEpochSecond(events.time(j) + DELAY * HandbookFeatures.DAY)));
    }

    /**
     * Every event, each label piped exactly when it becomes known: before the first event at or after time + delay.
     * Returns how many labels were piped: those of the first events, in order.
     */
    private int replayLive(int count) {
        return replayLive(count, -1, null);
    }

    /** {@link #replayLive(int)}, with {@code inject} run right before event {@code at}. */
    private int replayLive(int count, int at, Runnable inject) {
        return replayLive(events, count, at, inject);
    }

    /** {@link #replayLive(int, int, Runnable)} of other events. */
    private int replayLive(RawEvents events, int count, int at, Runnable inject) {
        long delay = DELAY * HandbookFeatures.DAY;
        int labelled = 0;
        for (int i = 0; i < count; i++) {
            if (i == at) {
                inject.run();
            }
            for (; labelled < i && events.time(labelled) + delay <= events.time(i); labelled++) {
                sendLabel(events, labelled);
            }
            // the live event carries its label fields too: they must be ignored
            sendEvent(events, i, ",\"TX_FRAUD\":" + events.label(i) + ",\"TX_FRAUD_SCENARIO\":0", new RecordHeaders());
        }
        return labelled;
    }

    static Map<Long, JsonNode> byId(TestOutputTopic<byte[], byte[]> topic, Map<Long, JsonNode> into)
            throws Exception {
        for (TestRecord<byte[], byte[]> r : topic.readRecordsToList()) {
            JsonNode n = JSON.readTree(r.value());
            assertThat(new String(r.key(), StandardCharsets.US_ASCII)).isEqualTo(n.get("id").asText());
            into.put(n.get("id").asLong(), n);
        }
        return into;
    }

    /**
     * Every feature set's model is served with that set's own features, equal to its replay, so a new set is checked
     * here without a test of its own ({@link #liveFeaturesAndProbabilitiesEqualTheOfflineReplayForEveryEvent} checks
     * the newest in depth).
     */
    @ParameterizedTest
    @EnumSource(HandbookFeatures.Version.class)
    void everyFeatureSetsModelIsServedWithItsOwnFeaturesEqualToItsReplay(HandbookFeatures.Version version)
            throws Exception {
        double[] replayed = version == HandbookFeatures.Version.NEWEST ? offline
                : FeatureReplay.replay(events, DELAY, version);
        TrainerConfig config = TrainerConfig.defaults().toBuilder().hidden(8).learningRate(1e-2).epochs(3).patience(0)
                .seed(7).build();
        ModelBundle served = version == HandbookFeatures.Version.NEWEST ? model
                : HandbookModels.trainProcedure(events, replayed,
                new EventPeriod(LocalDate.of(2018, 4, 20), LocalDate.of(2018, 4, 26)), DELAY,
                FraudModelTrainer.Options.defaults().withConfig(config).withFolds(2).withEnsemble(1).withRefit(false),
                TrainingListener.NONE).bundle();
        assertThat(served.schema()).isEqualTo(FeatureSchema.of(version));
        driver.close();
        start(served);
        int count = 1_500;
        replayLive(count);
        Map<Long, JsonNode> out = byId(clean, byId(flagged, new HashMap<>()));
        assertThat(out).hasSize(count);
        double[] p = HandbookModels.probabilities(served, events, replayed,
                java.util.stream.IntStream.range(0, count).toArray());
        int f = version.count();
        for (int i = 0; i < count; i++) {
            JsonNode live = out.get(events.id(i)).get("features");
            assertThat(live).hasSize(f);
            for (int j = 0; j < f; j++) {
                assertThat(live.get(j).asDouble()).as("event %d feature %s", i, version.names().get(j))
                        .isEqualTo(replayed[i * f + j]);
            }
            assertThat(out.get(events.id(i)).get("probability").asDouble()).isEqualTo(p[i]);
        }
    }

    @Test
    void liveFeaturesAndProbabilitiesEqualTheOfflineReplayForEveryEvent() throws Exception {
        assertThat(model.schema()).isEqualTo(FeatureSchema.HANDBOOK_V2);
        assertThat(events.size()).isBetween(3_000, 12_000);
        replayLive(events.size());
        assertThat(dlq.readRecordsToList()).isEmpty();
        Map<Long, JsonNode> out = byId(clean, byId(flagged, new HashMap<>()));
        assertThat(out).hasSize(events.size());
        int[] all = java.util.stream.IntStream.range(0, events.size()).toArray();
        double[] p = HandbookModels.probabilities(model, events, offline, all);
        int f = model.schema().featureCount(); // handbook-v2: 17
        int withTerminalRisk = 0;
        for (int i = 0; i < events.size(); i++) {
            JsonNode n = out.get(events.id(i));
            JsonNode live = n.get("features");
            assertThat(live).hasSize(f);
            for (int j = 0; j < f; j++) {
                assertThat(live.get(j).asDouble()).as("event %d feature %s", i, model.schema().featureNames().get(j))
                        .isEqualTo(offline[i * f + j]);
            }
            withTerminalRisk += offline[i * f + HandbookFeatures.TERMINAL + 5] > 0 ? 1 : 0;
            assertThat(n.get("probability").asDouble()).as("event %d", i).isEqualTo(p[i]);
            assertThat(n.get("decision").asText()).isEqualTo(p[i] >= model.threshold().value() ? "FLAGGED" : "CLEAN");
            assertThat(n.get("modelVersion").asText()).isEqualTo(model.modelVersion());
            assertThat(n.get("event").get("TX_FRAUD").asInt()).isEqualTo(events.label(i)); // kept, never read
        }
        assertThat(withTerminalRisk).as("label feedback reached the terminal features").isGreaterThan(500);
        assertThat(out.values().stream().filter(n -> n.get("decision").asText().equals("FLAGGED")).count())
                .isPositive();
    }

    /**
     * A backlog of both topics (a scorer catching up on more than the label delay) lets a label reach the terminal
     * stage before its payment, which crosses one repartition more: here every label comes right before its own
     * payment. The labels wait for their payments, so every feature is the offline replay's.
     */
    @Test
    void aLabelThatComesBeforeItsPaymentWaitsForItSoTheFeaturesAreTheReplays() throws Exception {
        for (int i = 0; i < events.size(); i++) {
            sendLabel(i);
            sendEvent(i, null);
        }
        assertThat(dlq.readRecordsToList()).isEmpty();
        Map<Long, JsonNode> out = byId(clean, byId(flagged, new HashMap<>()));
        assertThat(out).hasSize(events.size());
        int f = model.schema().featureCount();
        int withTerminalRisk = 0;
        for (int i = 0; i < events.size(); i++) {
            JsonNode live = out.get(events.id(i)).get("features");
            for (int j = 0; j < f; j++) {
                assertThat(live.get(j).asDouble()).as("event %d feature %s", i, model.schema().featureNames().get(j))
                        .isEqualTo(offline[i * f + j]);
            }
            withTerminalRisk += live.get(HandbookFeatures.TERMINAL + 5).asDouble() > 0 ? 1 : 0;
        }
        assertThat(withTerminalRisk).as("the held labels reached the terminal features").isGreaterThan(500);
        assertThat(meters.get("fraud.labels.early").counter().count()).isEqualTo(events.size());
        assertThat(meters.get("fraud.labels").tag("matched", "true").counter().count()).isEqualTo(events.size());
        assertThat(meters.get("fraud.labels").tag("matched", "false").counter().count()).isZero();
        // each checked against its payment's decision, taken after the label came (live precision and recall)
        assertThat(meters.get("fraud.monitor.labels").tag("decision", "known").counter().count())
                .isEqualTo(events.size());
        KeyValueStore<Bytes, byte[]> held = driver.getKeyValueStore(EarlyLabels.STORE);
        assertThat(count(held)).as("each applied label leaves the store").isZero();
    }

    @Test
    void aLabelWhosePaymentNeverComesIsDroppedByTheSweepAndCountedUnmatched() {
        // a label for a payment of a known terminal that is never sent, and a corrected label for it
        labels.pipeInput(new TestRecord<>(null, RawEventJson.label(99_999_999L, events.time(0) + 60, events.terminal(0),
                false), Instant.ofEpochSecond(events.time(0) + DELAY * HandbookFeatures.DAY)));
        labels.pipeInput(new TestRecord<>(null, RawEventJson.label(99_999_999L, events.time(0) + 60, events.terminal(0),
                true), Instant.ofEpochSecond(events.time(0) + DELAY * HandbookFeatures.DAY)));
        KeyValueStore<Bytes, byte[]> held = driver.getKeyValueStore(EarlyLabels.STORE);
        assertThat(count(held)).isEqualTo(1);
        replayLive(1_500);
        assertThat(count(held)).as("its payment could still come").isEqualTo(1);
        // 48 more days: the payment would now be older than any history keeps
        long last = events.time(1_499);
        for (int d = 1; d <= 48; d++) {
            input.pipeInput(cardKey(77_777), RawEventJson.event(10_000_000L + d, last + d * HandbookFeatures.DAY,
                    77_777, 88_888, 1.0));
        }
        assertThat(count(held)).isZero();
        assertThat(meters.get("fraud.labels.early").counter().count()).isEqualTo(2);
        assertThat(meters.get("fraud.labels").tag("matched", "false").counter().count())
                .as("both label records, once settled").isEqualTo(2);
    }

    @Test
    void aHeldLabelIsSettledWhenItsPaymentComesAndTheCorrectionWins() throws Exception {
        // payment 0's label comes twice before it (a correction: fraud, then genuine), payment 1's with another time
        int first = 0;
        int second = 1;
        boolean corrected = events.label(first) == 0;
        labels.pipeInput(new TestRecord<>(null, RawEventJson.label(events.id(first), events.time(first),
                events.terminal(first), corrected), Instant.ofEpochSecond(events.time(first))));
        labels.pipeInput(new TestRecord<>(null, RawEventJson.label(events.id(first), events.time(first),
                events.terminal(first), !corrected), Instant.ofEpochSecond(events.time(first))));
        labels.pipeInput(new TestRecord<>(null, RawEventJson.label(events.id(second), events.time(second) + 1,
                events.terminal(second), true), Instant.ofEpochSecond(events.time(second))));
        assertThat(meters.get("fraud.labels.early").counter().count()).isEqualTo(3);
        sendEvent(first, null);
        sendEvent(second, null);
        assertThat(meters.get("fraud.labels").tag("matched", "true").counter().count()).as("payment 0's two records")
                .isEqualTo(2);
        assertThat(meters.get("fraud.labels").tag("matched", "false").counter().count()).as("the other time's")
                .isEqualTo(1);
        assertThat(count(driver.getKeyValueStore(EarlyLabels.STORE))).isZero();
        // the later label is the one the terminal keeps: a fraud label would show in a fraud rate a delay later
        TerminalHistory h = TerminalHistory.fromDays(dayRecords(driver.getKeyValueStore(TerminalStage.STORE))
                .get(events.terminal(first)));
        double[] out = new double[6];
        h.observe(events.time(first) + (DELAY + 1) * HandbookFeatures.DAY - 1, -5L, out, 0); // its 1-day window
        assertThat(out[0]).as("the 1-day count").isPositive();
        assertThat(out[1]).as("the 1-day fraud rate").isEqualTo(events.label(first) == 1 ? 1.0 / out[0] : 0.0);
    }

    @Test
    void aLabelOfAPaymentTooOldForTheHistoryIsUnmatchedAtOnceAndAFullTaskHoldsNoMore() throws Exception {
        driver.close();
        earlyLabels = 1;
        start(model);
        replayLive(1_500);
        long newest = events.time(1_499);
        double unmatched = meters.get("fraud.labels").tag("matched", "false").counter().count();
        // a label of a payment older than its terminal's history keeps: it could not be taken if it came
        long terminal = events.terminal(1_499);
        labels.pipeInput(new TestRecord<>(null, RawEventJson.label(99_000_001L, newest - (DELAY + 32)
                * HandbookFeatures.DAY, terminal, true), Instant.ofEpochSecond(newest)));
        assertThat(meters.get("fraud.labels").tag("matched", "false").counter().count()).isEqualTo(unmatched + 1);
        // one that could still come is held; a second, with the task full, is counted at once
        labels.pipeInput(new TestRecord<>(null, RawEventJson.label(99_000_002L, newest, terminal, true),
                Instant.ofEpochSecond(newest)));
        labels.pipeInput(new TestRecord<>(null, RawEventJson.label(99_000_003L, newest, terminal, true),
                Instant.ofEpochSecond(newest)));
        assertThat(meters.get("fraud.labels.early").counter().count()).isEqualTo(1);
        assertThat(meters.get("fraud.labels").tag("matched", "false").counter().count()).isEqualTo(unmatched + 2);
        assertThat(count(driver.getKeyValueStore(EarlyLabels.STORE))).isEqualTo(1);
    }

    private static long count(KeyValueStore<?, ?> store) {
        long n = 0;
        try (var all = store.all()) {
            for (; all.hasNext(); all.next()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aPaymentDeliveredTwiceIsADeadLetterNamingTheFirstCopyAndCountsOnce() throws Exception {
        // Given the live replay of 1,500 events in which 45 payments are delivered twice: 15 at once, and 30 again
        // five events later (both copies as the same bytes, an upstream retry)
        int count = 1_500;
        long delay = DELAY * HandbookFeatures.DAY;
        Map<Long, Long> firstOffset = new HashMap<>();
        Map<Long, Long> duplicates = new HashMap<>(); // id -> the offset of its second copy
        long offset = 0;
        int labelled = 0;
        for (int i = 0; i < count; i++) {
            for (; labelled < i && events.time(labelled) + delay <= events.time(i); labelled++) {
                sendLabel(labelled);
            }
            sendEvent(i, null);
            firstOffset.put(events.id(i), offset++);
            for (int again : new int[] {i % 100 == 7 ? i : -1, i % 50 == 20 ? i - 5 : -1}) {
                if (again >= 0) {
                    sendEvent(again, null);
                    duplicates.put(events.id(again), offset++);
                }
            }
        }
        assertThat(duplicates).hasSize(45);
        // Each card remembers exactly its payments of the window and a day's grace before its newest one
        KeyValueStore<Long, byte[]> cards = driver.getKeyValueStore(CustomerStage.STORE);
        Map<Long, Long> newest = new HashMap<>();
        for (int i = 0; i < count; i++) {
            newest.merge(events.customer(i), events.time(i), Math::max);
        }
        long keep = ScorerConfig.DEFAULT_DUPLICATE_WINDOW_MS / 1000 + HandbookFeatures.LATE_GRACE;
        long remembered = 0;
        for (Map.Entry<Long, Long> c : newest.entrySet()) {
            CardRecord card = CardRecord.read(cards.get(c.getKey()));
            int expected = 0;
            for (int i = 0; i < count; i++) {
                if (events.customer(i) == c.getKey() && events.time(i) >= c.getValue() - keep) {
                    expected++;
                    assertThat(card.find(events.id(i))).as("payment %d", i).isNotNegative();
                }
            }
            assertThat(card.takenCount()).as("card %d", c.getKey()).isEqualTo(expected);
            remembered += expected;
        }
        assertThat(remembered).isPositive().isLessThan(count / 2);

        // Then each second copy is a dead letter keyed by its id, naming where its first copy came from
        var dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(duplicates.size());
        for (TestRecord<byte[], byte[]> r : dead) {
            JsonNode d = JSON.readTree(r.value());
            long id = Long.parseLong(new String(r.key(), StandardCharsets.US_ASCII));
            assertThat(d.get("reason").asText()).isEqualTo("DUPLICATE_EVENT");
            assertThat(d.get("sourceTopic").asText()).isEqualTo(topics.input());
            assertThat(d.get("sourceOffset").asLong()).isEqualTo(duplicates.get(id));
            assertThat(d.get("detail").asText()).contains("TRANSACTION_ID " + id + " was already taken from "
                    + topics.input() + "-0@" + firstOffset.get(id)).containsPattern(
                            "\\(TX_DATETIME \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\)");
        }
        // and every payment has one decision, whose features and probability are the offline replay's: no copy was
        // counted in its card's or terminal's history
        Map<Long, JsonNode> out = byId(clean, byId(flagged, new HashMap<>()));
        assertThat(out).hasSize(count);
        int[] first = java.util.stream.IntStream.range(0, count).toArray();
        double[] p = HandbookModels.probabilities(model, events, offline, first);
        int f = model.schema().featureCount();
        for (int i = 0; i < count; i++) {
            JsonNode n = out.get(events.id(i));
            for (int j = 0; j < f; j++) {
                assertThat(n.get("features").get(j).asDouble()).as("event %d feature %d", i, j)
                        .isEqualTo(offline[i * f + j]);
            }
            assertThat(n.get("probability").asDouble()).as("event %d", i).isEqualTo(p[i]);
        }
    }

    @Test
    void anIdTakenFurtherThanTheWindowAwayOrAsBackfillHistoryIsNotADuplicate() throws Exception {
        // Given a one-hour duplicate window
        driver.close();
        duplicateWindowMs = 3_600_000;
        start(model);
        long id = events.id(0);
        long t = events.time(0);
        java.util.function.LongFunction<byte[]> at = time -> RawEventJson.event(id, time, events.customer(0),
                events.terminal(0), events.amount(0));
        byte[] key = cardKey(events.customer(0));
        // When the payment comes, then its id again 59 minutes later, then 2 hours later
        input.pipeInput(new TestRecord<>(key, at.apply(t), new RecordHeaders(), Instant.ofEpochSecond(t)));
        input.pipeInput(new TestRecord<>(key, at.apply(t + 3540), new RecordHeaders(), Instant.ofEpochSecond(t + 3540)));
        input.pipeInput(new TestRecord<>(key, at.apply(t + 7200), new RecordHeaders(), Instant.ofEpochSecond(t + 7200)));
        // and another payment live, then as backfill history (checked: it would be a copy), then live again (
        // remembered: the history copy would make this one new)
        long other = events.id(1);
        byte[] otherJson = RawEventJson.event(other, events.time(1), events.customer(1), events.terminal(1),
                events.amount(1));
        byte[] otherKey = cardKey(events.customer(1));
        Instant otherAt = Instant.ofEpochSecond(events.time(1));
        input.pipeInput(new TestRecord<>(otherKey, otherJson, new RecordHeaders(), otherAt)); // offset 3
        input.pipeInput(new TestRecord<>(otherKey, otherJson, Backfill.mark(new RecordHeaders(), false), otherAt));
        input.pipeInput(new TestRecord<>(otherKey, otherJson, new RecordHeaders(), otherAt)); // offset 5

        // Then the copies within the window of a live payment are dead letters: the id 2 hours later is another
        // payment, and the history copy is neither checked nor remembered (a backfill reads its history once)
        var dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(2);
        assertThat(JSON.readTree(dead.get(0).value()).get("sourceOffset").asLong()).isEqualTo(1);
        JsonNode again = JSON.readTree(dead.get(1).value());
        assertThat(again.get("sourceOffset").asLong()).isEqualTo(5);
        assertThat(again.get("detail").asText()).contains("already taken from " + topics.input() + "-0@3");
        List<TestRecord<byte[], byte[]>> decisions = new java.util.ArrayList<>(flagged.readRecordsToList());
        decisions.addAll(clean.readRecordsToList());
        assertThat(decisions).hasSize(3); // the payment, its id 2 hours later, the other payment's first copy
    }

    @Test
    void takenPaymentsAreMatchedByTimeAndOriginAndKeptInTheCardsRecord() {
        CustomerHistory history = new CustomerHistory();
        history.observe(999_000, 12.5, new double[9], 3);
        CardRecord card = new CardRecord(history);
        card.take(5, 1_000_000, 999_000, 2, 77);
        card.take(6, 1_000_100, 1_000_000, 2, 78);
        CardRecord read = CardRecord.read(card.toBytes());
        assertThat(read.history.size()).isEqualTo(1);
        assertThat(read.history.newestTime()).isEqualTo(999_000);
        int i = read.find(5);
        assertThat(i).isZero();
        assertThat(read.takenTime(i)).isEqualTo(1_000_000);
        assertThat(read.takenPartition(i)).isEqualTo(2);
        assertThat(read.takenOffset(i)).isEqualTo(77);
        assertThat(read.find(7)).isEqualTo(-1);
        // the same record: AGAIN; another record within the window: DUPLICATE; outside it, or another id: NEW
        assertThat(CustomerStage.classify(read, read.match(5, 1_000_000, 2, 77, 3600), 2, 77))
                .isEqualTo(CustomerStage.Copy.AGAIN);
        assertThat(CustomerStage.classify(read, read.match(5, 1_000_000, 2, 79, 3600), 2, 79))
                .isEqualTo(CustomerStage.Copy.DUPLICATE);
        assertThat(CustomerStage.classify(read, read.match(5, 1_000_000 - 3600, 3, 77, 3600), 3, 77))
                .isEqualTo(CustomerStage.Copy.DUPLICATE);
        assertThat(read.match(5, 1_000_000 + 3601, 0, 1, 3600)).isEqualTo(-1);
        assertThat(read.match(5, 1_000_000 - 3601, 0, 1, 3600)).isEqualTo(-1);
        assertThat(read.match(8, 1_000_000, 2, 77, 3600)).isEqualTo(-1);
        // an id used twice: a copy of the older use is still found (the newest use alone would be outside its window)
        read.take(5, 1_010_000, 1_010_000, 1, 5);
        assertThat(read.match(5, 1_000_000, 2, 79, 3600)).isZero();
        // pruned by the card's clock when taken, then to the last n
        assertThat(read.pruneTaken(1_000_050, 10)).isZero();
        assertThat(read.takenCount()).isEqualTo(2);
        assertThat(read.find(6)).isZero();
        assertThat(read.pruneTaken(0, 1)).isEqualTo(1);
        assertThat(read.takenTime(0)).isEqualTo(1_010_000);
        // a late payment is kept as long as one taken in time order at that moment
        read.take(9, 100, 1_010_000, 0, 9);
        read.pruneTaken(1_000_050, 10);
        assertThat(read.find(9)).isNotNegative();
        // a record written before the duplicate check (the history alone) reads as that history, nothing taken
        CardRecord legacy = CardRecord.read(history.toBytes());
        assertThat(legacy.takenCount()).isZero();
        assertThat(legacy.history.size()).isEqualTo(1);
        assertThat(CardRecord.newestTime(history.toBytes())).isEqualTo(999_000);
        // malformed records are refused as a history that cannot be read
        byte[] good = card.toBytes();
        for (byte[] bad : List.of(new byte[] {CardRecord.FORMAT, 0, 0}, java.util.Arrays.copyOf(good, good.length - 1),
                java.nio.ByteBuffer.allocate(9).put(CardRecord.FORMAT).putInt(-1).putInt(0).array(),
                java.nio.ByteBuffer.allocate(9).put(CardRecord.FORMAT).putInt(100).putInt(0).array())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CardRecord.read(bad))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(HistoryStage.newestOrExpired(bad, CardRecord::newestTime)).isEqualTo(Long.MIN_VALUE);
        }
    }

    @Test
    void aCardRecordAtBothBoundsFitsInTheLargestRecordTheScorerSends() {
        ScorerConfig config = new ScorerConfig(topics, new Properties(), 16_384, 3);
        StoreLimits limits = StoreLimits.of(config);
        CustomerHistory history = new CustomerHistory();
        double[] out = new double[9];
        for (int i = 0; i < limits.cardPayments(); i++) {
            history.observe(1_000_000 + i, 1e6 + i, out, 3);
        }
        CardRecord card = new CardRecord(history);
        for (int i = 0; i < limits.cardTaken(); i++) {
            card.take(i, 1_000_000 + i, 1_000_000 + i, 0, i);
        }
        card.storedByRun(7, 1_000_000); // a backfilled card's record (format 17) is the larger
        card.storedByRun(8, 1_000_001);
        assertThat(card.toBytes()[0]).isEqualTo(CardRecord.FORMAT_BACKFILLED);
        assertThat(card.history.size()).isEqualTo(limits.cardPayments());
        assertThat(card.toBytes().length).isLessThanOrEqualTo(config.maxOutputBytes())
                .isGreaterThan(config.maxOutputBytes() - 64);
    }

    @Test
    void theSameInputRecordProcessedAgainIsScoredAsOnItsFirstPassAndStoredOnce() throws Exception {
        // Given 300 events taken, then the last one's taken entry pointed at the next input offset, as if that record
        // had been processed and its offset not committed (at-least-once, a crash)
        int count = 300;
        replayLive(count);
        flagged.readRecordsToList();
        clean.readRecordsToList();
        int j = count - 1;
        KeyValueStore<Long, byte[]> cards = driver.getKeyValueStore(CustomerStage.STORE);
        CardRecord card = CardRecord.read(cards.get(events.customer(j)));
        int held = card.history.size();
        CardRecord moved = new CardRecord(card.history);
        for (int i = 0; i < card.takenCount(); i++) {
            boolean it = i == card.find(events.id(j));
            moved.take(it ? events.id(j) : -i - 1, card.takenTime(i), card.takenTime(i), card.takenPartition(i),
                    it ? count : card.takenOffset(i));
        }
        cards.put(events.customer(j), moved.toBytes());
        // When that record comes again at that offset
        sendEvent(j, ",\"TX_FRAUD\":" + events.label(j) + ",\"TX_FRAUD_SCENARIO\":0", new RecordHeaders());
        // Then it is scored with its first pass's features, no dead letter, and its card's history holds it once
        assertThat(dlq.readRecordsToList()).isEmpty();
        Map<Long, JsonNode> out = byId(clean, byId(flagged, new HashMap<>()));
        int f = model.schema().featureCount();
        for (int k = 0; k < f; k++) {
            assertThat(out.get(events.id(j)).get("features").get(k).asDouble()).as("feature %d", k)
                    .isEqualTo(offline[j * f + k]);
        }
        assertThat(CardRecord.read(cards.get(events.customer(j))).history.size()).isEqualTo(held);
    }

    @Test
    void withTheDuplicateCheckOffACopyIsScoredAgainAndCountedTwice() throws Exception {
        // Given --duplicate-window-ms 0
        driver.close();
        duplicateWindowMs = 0;
        start(model);
        // When a card's payment is delivered twice, then its next payment
        int i = 0;
        int next = i + 1;
        while (events.customer(next) != events.customer(i)) {
            next++;
        }
        sendEvent(i, null);
        sendEvent(i, null);
        sendEvent(next, null);
        // Then both copies are scored, and the copy counts in the card's features of the next payment
        assertThat(dlq.readRecordsToList()).isEmpty();
        List<TestRecord<byte[], byte[]>> decisions = new java.util.ArrayList<>(flagged.readRecordsToList());
        decisions.addAll(clean.readRecordsToList());
        assertThat(decisions).hasSize(3);
        JsonNode scoredNext = null;
        for (TestRecord<byte[], byte[]> r : decisions) {
            JsonNode n = JSON.readTree(r.value());
            if (n.get("id").asLong() == events.id(next)) {
                scoredNext = n;
            }
        }
        // the card's 30-day count (offline: the two payments; live: the copy too)
        int count30 = HandbookFeatures.CUSTOMER + 4;
        assertThat(scoredNext.get("features").get(count30).asDouble()).isEqualTo(3.0);
    }

    @Test
    void aLabelWhoseTerminalHistoryCannotBeReadIsADeadLetterWithItsOwnBytes() throws Exception {
        // Given a payment stored, then its terminal's day record made unreadable
        sendEvent(0, null);
        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(TerminalStage.STORE);
        store.put(TerminalDays.dayKey(events.terminal(0), HandbookFeatures.day(events.time(0))), new byte[] {9, 9, 9});
        // When its label arrives
        byte[] label = RawEventJson.label(events.id(0), events.time(0), events.terminal(0), true);
        labels.pipeInput(new TestRecord<>(null, label, new RecordHeaders(),
                Instant.ofEpochSecond(events.time(0) + DELAY * HandbookFeatures.DAY)));
        // Then it is a dead letter from the labels topic that keeps the label itself, so it can be sent again
        var dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(1);
        JsonNode d = JSON.readTree(dead.get(0).value());
        assertThat(d.get("reason").asText()).isEqualTo("PROCESSING_ERROR");
        assertThat(d.get("sourceTopic").asText()).isEqualTo(topics.labels());
        assertThat(d.get("raw").asText()).isEqualTo(new String(label, StandardCharsets.UTF_8));
    }

    @Test
    void aCardPayingMoreThanItsHistoryRecordHoldsIsStillScoredAndItsStoredHistoryStaysBounded() throws Exception {
        // Given card histories bounded at 10 payments (by default: as many as one record the producer may send)
        driver.close();
        cardPayments = 10;
        start(model);
        // When 1,500 events are replayed, among them cards with more than 10 payments in 30 days
        int count = 1_500;
        replayLive(count);

        // Then every event is scored, none dead-lettered, and no stored history holds more than 10 payments
        Map<Long, JsonNode> out = byId(clean, byId(flagged, new HashMap<>()));
        assertThat(out).hasSize(count);
        assertThat(dlq.readRecordsToList()).isEmpty();
        KeyValueStore<Long, byte[]> cards = driver.getKeyValueStore(CustomerStage.STORE);
        try (var it = cards.all()) {
            while (it.hasNext()) {
                assertThat(CardRecord.read(it.next().value).history.size()).isLessThanOrEqualTo(10);
            }
        }
        // and a card's 30-day count is the offline one while its earlier payments in the window fit in the 10 kept
        // (the newest), else 10 and the payment itself
        int f = model.schema().featureCount();
        int count30 = HandbookFeatures.CUSTOMER + 4;
        int over = 0;
        for (int i = 0; i < count; i++) {
            double live = out.get(events.id(i)).get("features").get(count30).asDouble();
            double exact = offline[i * f + count30];
            assertThat(live).as("event %d", i).isEqualTo(Math.min(exact, 11.0));
            over += exact > 11 ? 1 : 0;
        }
        assertThat(over).as("payments whose card's window held more than the bound").isPositive();
        assertThat(meters.get("fraud.card_history.capped").counter().count()).isPositive();
    }

    @Test
    void aTerminalHistoryBuiltForAnotherLabelDelayStopsTheStreamSayingWhy() {
        // Given the terminal store holding a history built with a 14-day delay (a scorer restarted with a model of
        // another delay on the same application id), while the serving model's delay is 7 days
        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(TerminalStage.STORE);
        store.put(TerminalDays.legacyKey(events.terminal(0)), new TerminalHistory(DELAY + 7).toBytes());

        // When a label for that terminal arrives, or a payment at it, then the stream fails with the reason (no dead
        // letter, no output), and the stored history is kept for the operator to decide
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sendLabel(0))
                .hasRootCauseInstanceOf(IncompatibleStateException.class)
                .rootCause().hasMessageContaining("built for models with a " + (DELAY + 7) + "-day label delay");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sendEvent(0, null))
                .hasRootCauseInstanceOf(IncompatibleStateException.class)
                .rootCause().hasMessageContaining("built for models with a " + (DELAY + 7) + "-day label delay")
                .hasMessageContaining("new --application-id");
        assertThat(dlq.readRecordsToList()).isEmpty();
        assertThat(store.get(TerminalDays.legacyKey(events.terminal(0)))).isNotNull();
    }

    @Test
    void aPaymentStampedAfterItsOwnRecordIsADeadLetterAndExpiresNoHistory() throws Exception {
        // Given a payment of the first event's card and terminal whose TX_DATETIME is in 2099, written (record
        // timestamp) halfway through the stream: the histories' clock runs on TX_DATETIME, so stored it would expire
        // every other card's and terminal's payments of its task
        int at = events.size() / 2;
        long in2099 = java.time.LocalDateTime.of(2099, 1, 1, 12, 0).toEpochSecond(java.time.ZoneOffset.UTC);
        byte[] future = RawEventJson.event(99_999_999L, in2099, events.customer(0), events.terminal(0), 10.0);

        // When it arrives amid the live stream
        replayLive(events.size(), at, () -> input.pipeInput(new TestRecord<>(cardKey(events.customer(0)), future,
                new RecordHeaders(), Instant.ofEpochSecond(events.time(at)))));

        // Then it is a dead letter saying why, and every real payment's features are still the offline replay's
        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(1);
        JsonNode d = JSON.readTree(dead.get(0).value());
        assertThat(d.get("reason").asText()).isEqualTo("FUTURE_EVENT_TIME");
        assertThat(d.get("detail").asText()).contains("TX_DATETIME 2099-01-01T12:00:00 is after");
        Map<Long, JsonNode> out = byId(clean, byId(flagged, new HashMap<>()));
        assertThat(out).hasSize(events.size());
        int f = model.schema().featureCount();
        for (int i = at; i < events.size(); i++) {
            JsonNode live = out.get(events.id(i)).get("features");
            for (int j = 0; j < f; j++) {
                assertThat(live.get(j).asDouble()).as("event %d feature %d", i, j).isEqualTo(offline[i * f + j]);
            }
        }
    }

    /**
     * A payment dated more than 31 days before its card's newest (a mistyped year, a payment re-sent weeks later) is
     * a dead letter: its card's history no longer holds its windows, and scored it would count 0 payments in every
     * window, which no payment has. One 20 days late is still scored, from the payments its windows hold.
     */
    @Test
    void aPaymentOlderThanItsCardsHistoryKeepsIsADeadLetterNotAFeatureVectorOfZeros() throws Exception {
        replayLive(events.size());
        assertThat(late("card") + late("terminal")).as("in time order: none late").isZero();
        int last = events.size() - 1;
        long card = events.customer(last);
        // on a whole minute: the seconds must still be written (LocalDateTime.toString drops ':00')
        long fortyDaysBefore = (events.time(last) - 40 * HandbookFeatures.DAY) / 60 * 60;
        long twentyDaysBefore = events.time(last) - 20 * HandbookFeatures.DAY;
        Instant now = Instant.ofEpochSecond(events.time(last));
        input.pipeInput(new TestRecord<>(cardKey(card), RawEventJson.event(99_999_001L, fortyDaysBefore, card,
                events.terminal(last), 12.0), new RecordHeaders(), now));
        input.pipeInput(new TestRecord<>(cardKey(card), RawEventJson.event(99_999_002L, twentyDaysBefore, card,
                events.terminal(last), 12.0), new RecordHeaders(), now));
        // history sent by backfill as late is stored, not scored: not counted as a late payment
        input.pipeInput(new TestRecord<>(cardKey(card), RawEventJson.event(99_999_003L, twentyDaysBefore + 60, card,
                events.terminal(last), 12.0), Backfill.mark(new RecordHeaders()), now));

        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(1);
        JsonNode d = JSON.readTree(dead.get(0).value());
        assertThat(d.get("reason").asText()).isEqualTo("LATE_EVENT");
        assertThat(d.get("detail").asText()).contains("is more than 31 days before the newest payment of card " + card)
                // times as TX_DATETIME writes them, seconds included
                .startsWith("TX_DATETIME " + org.fraudscorer.common.features.events.TxDateTime.format(fortyDaysBefore)
                        + " is more").contains("(" + org.fraudscorer.common.features.events.TxDateTime.format(
                                events.time(last)) + ")");
        Map<Long, JsonNode> out = byId(clean, byId(flagged, new HashMap<>()));
        assertThat(out).doesNotContainKey(99_999_001L).containsKey(99_999_002L);
        assertThat(out.get(99_999_002L).get("features").get(4).asDouble()).as("its card's 30-day count")
                .isGreaterThanOrEqualTo(1.0);
        // scored, but counted as late for its card and its terminal: its windows may miss what they no longer held
        assertThat(late("card")).isEqualTo(1.0);
        assertThat(late("terminal")).isEqualTo(1.0);
    }

    private double late(String history) {
        return metrics.registry().get("fraud.late_payments").tag("history", history).counter().count();
    }

    /**
     * A deployment warmed with the first 25 days as history ({@code ./fraud backfill}: each event marked, its label
     * in the same record), then scoring the rest live with label feedback: no decision for the history, and every
     * live event's 15 features and probability equal the offline replay over the full history, bit for bit.
     */
    @Test
    void afterABackfillLiveFeaturesEqualTheOfflineReplayOverTheFullHistory() throws Exception {
        long historyEnd = events.time(0) + 25 * HandbookFeatures.DAY;
        int h = 0;
        for (; events.time(h) < historyEnd; h++) {
            sendEvent(h, null, Backfill.mark(new RecordHeaders(), events.label(h) == 1));
        }
        assertThat(flagged.readRecordsToList()).as("no decision for history").isEmpty();
        assertThat(clean.readRecordsToList()).as("no decision for history").isEmpty();
        assertThat(dlq.readRecordsToList()).isEmpty();
        assertThat(metrics.registry().get("fraud.events").tag("outcome", "backfilled").counter().count())
                .isEqualTo(h);
        assertThat(metrics.registry().get("fraud.labels").tag("matched", "true").counter().count()).isEqualTo(h);
        assertLiveFeaturesEqualTheOfflineReplayAfter(h);
    }

    /**
     * A backfill of days 5–12, then one over days 0–25 (reaching back before the first and on after it, as a run
     * stopped part-way and started again with an earlier --from), then the 25 days sent once more by a third run:
     * each history payment is stored once. Every repeat is a dead letter naming the span stored before, and the live
     * features equal the offline replay over the history sent once. The old scorer stored every repeat again: its
     * card and terminal windows counted payments twice.
     */
    @Test
    void aBackfillRepeatedOrResumedOverTheSameDaysStoresEachPaymentOnce() throws Exception {
        long historyEnd = events.time(0) + 25 * HandbookFeatures.DAY;
        long firstFrom = events.time(0) + 5 * HandbookFeatures.DAY;
        long firstUntil = events.time(0) + 12 * HandbookFeatures.DAY;
        int h = 0;
        int first = 0;
        for (; events.time(h) < historyEnd; h++) {
            first += events.time(h) >= firstFrom && events.time(h) < firstUntil ? 1 : 0;
        }
        long[] runs = {11, 22, 33};
        long[] from = {firstFrom, Long.MIN_VALUE, Long.MIN_VALUE};
        long[] until = {firstUntil, historyEnd, historyEnd};
        int firstDead = -1;
        for (int r = 0; r < runs.length; r++) {
            for (int i = 0; i < h; i++) {
                if (events.time(i) >= from[r] && events.time(i) < until[r]) {
                    sendEvent(i, null, Backfill.mark(new RecordHeaders(), runs[r], events.label(i)));
                    firstDead = firstDead < 0 && r == 1 && events.time(i) >= firstFrom ? i : firstDead;
                }
            }
        }
        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).as("the second run's days 5–12, and all of the third run").hasSize(first + h);
        JsonNode firstRepeat = JSON.readTree(dead.get(0).value());
        assertThat(firstRepeat.get("reason").asText()).isEqualTo("DUPLICATE_EVENT");
        assertThat(firstRepeat.get("detail").asText()).startsWith("TRANSACTION_ID " + events.id(firstDead) + " is "
                + "history").contains("within the history an earlier backfill run stored for card "
                + events.customer(firstDead) + " (" + org.fraudscorer.common.features.events.TxDateTime.format(
                        events.time(firstDead)) + " .. ");
        for (TestRecord<byte[], byte[]> d : dead) {
            assertThat(JSON.readTree(d.value()).get("reason").asText()).isEqualTo("DUPLICATE_EVENT");
        }
        assertThat(flagged.readRecordsToList()).as("no decision for history").isEmpty();
        assertThat(clean.readRecordsToList()).as("no decision for history").isEmpty();
        assertThat(metrics.registry().get("fraud.events").tag("outcome", "backfilled").counter().count())
                .as("each history payment stored once").isEqualTo(h);
        assertThat(metrics.registry().get("fraud.labels").tag("matched", "true").counter().count()).isEqualTo(h);
        assertLiveFeaturesEqualTheOfflineReplayAfter(h);
    }

    /** Sends events {@code h..} live with label feedback; each one's features and probability equal the offline. */
    private void assertLiveFeaturesEqualTheOfflineReplayAfter(int h) throws Exception {
        long delay = DELAY * HandbookFeatures.DAY;
        int liveLabelled = h;
        for (int i = h; i < events.size(); i++) {
            for (; liveLabelled < i && events.time(liveLabelled) + delay <= events.time(i); liveLabelled++) {
                sendLabel(liveLabelled);
            }
            sendEvent(i, null);
        }
        assertThat(dlq.readRecordsToList()).isEmpty();
        Map<Long, JsonNode> out = byId(clean, byId(flagged, new HashMap<>()));
        assertThat(out).hasSize(events.size() - h);
        int[] live = java.util.stream.IntStream.range(h, events.size()).toArray();
        double[] p = HandbookModels.probabilities(model, events, offline, live);
        int f = model.schema().featureCount(); // handbook-v2: 17
        int withHistory = 0;
        for (int k = 0; k < live.length; k++) {
            int i = live[k];
            JsonNode n = out.get(events.id(i));
            assertThat(n).as("live event %d scored", i).isNotNull();
            for (int j = 0; j < f; j++) {
                assertThat(n.get("features").get(j).asDouble()).as("event %d feature %s", i, model.schema().featureNames().get(j))
                        .isEqualTo(offline[i * f + j]);
            }
            assertThat(n.get("probability").asDouble()).as("event %d", i).isEqualTo(p[k]);
            withHistory += offline[i * f + HandbookFeatures.TERMINAL + 5] > 0 ? 1 : 0;
        }
        assertThat(h).isGreaterThan(2_000);
        assertThat(live.length).isGreaterThan(1_000);
        assertThat(withHistory).as("live terminal risk from backfilled labels").isGreaterThan(100);
    }

    @Test
    void malformedEventsAndLabelsGoToTheDeadLetterTopicWithTheirReasonAndSource() throws Exception {
        sendEvent(0, null);
        input.pipeInput("bad".getBytes(StandardCharsets.UTF_8), "{\"TRANSACTION_ID\":1}".getBytes(StandardCharsets.UTF_8));
        labels.pipeInput(null, "{\"TRANSACTION_ID\":1,\"TERMINAL_ID\":2,\"TX_DATETIME\":0,\"TX_FRAUD\":7}"
                .getBytes(StandardCharsets.UTF_8));
        labels.pipeInput(null, RawEventJson.label(999_999, 0, 1, true)); // unknown payment: applied nowhere, no output
        var dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(2);
        JsonNode e = JSON.readTree(dead.get(0).value());
        assertThat(e.get("reason").asText()).isEqualTo("MISSING_FIELD");
        assertThat(e.get("sourceTopic").asText()).isEqualTo(topics.input());
        assertThat(e.get("raw").asText()).isEqualTo("{\"TRANSACTION_ID\":1}");
        JsonNode l = JSON.readTree(dead.get(1).value());
        assertThat(l.get("reason").asText()).isEqualTo("OUT_OF_RANGE");
        assertThat(l.get("sourceTopic").asText()).isEqualTo(topics.labels());
        assertThat(flagged.readRecordsToList().size() + clean.readRecordsToList().size()).isEqualTo(1);
    }

    @Test
    void anEventOrLabelWhoseHeadersAreTooLargeToCarryIsADeadLetterAtIntake() throws Exception {
        RecordHeaders big = new RecordHeaders();
        big.add("blob", new byte[20_000]);
        sendEvent(0, null, big);
        labels.pipeInput(new TestRecord<>(null, RawEventJson.label(events.id(0), events.time(0), events.terminal(0),
                true), big));
        var dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(2);
        for (var d : dead) {
            JsonNode j = JSON.readTree(d.value());
            assertThat(j.get("reason").asText()).isEqualTo("OVERSIZE");
            assertThat(j.get("detail").asText()).contains("headers (20006 bytes)");
            assertThat(d.headers().toArray()).isEmpty();
        }
        assertThat(JSON.readTree(dead.get(1).value()).get("sourceTopic").asText()).isEqualTo(topics.labels());
        assertThat(flagged.readRecordsToList().size() + clean.readRecordsToList().size()).isZero();
        // a key over the limit: refused, and its dead letter written without it
        input.pipeInput(new TestRecord<>(new byte[20_000], RawEventJson.event(events.id(1), events.time(1),
                events.customer(1), events.terminal(1), events.amount(1)), Instant.ofEpochSecond(events.time(1))));
        var keyed = dlq.readRecordsToList();
        assertThat(keyed).hasSize(1);
        assertThat(JSON.readTree(keyed.get(0).value()).get("detail").asText()).startsWith("the record's key (20000 bytes)");
        assertThat(keyed.get(0).key()).isNull();
    }

    @Test
    void historiesOfCardsAndTerminalsThatStopPayingAreSweptSoStoresStayBounded() {
        replayLive(1_500); // about 10 days: enough cards and terminals to sweep
        KeyValueStore<Long, byte[]> customers = driver.getKeyValueStore(CustomerStage.STORE);
        KeyValueStore<Bytes, byte[]> terminals = driver.getKeyValueStore(TerminalStage.STORE);
        long before = customers.approximateNumEntries();
        assertThat(customers.get(events.customer(0))).isNotNull();
        // unreadable histories of a card and a terminal that never pay again: the sweep must not stumble on them
        customers.put(123_456L, new byte[] {9});
        terminals.put(TerminalDays.legacyKey(654_321L), new byte[] {9});
        // 48 quiet days for everyone but one card at one terminal, which pays once a day: every other history expires
        // (the sweep's clock is the earliest of the latest 8 events, so at one event a day it lags 7 days)
        long last = events.time(1_499);
        for (int d = 1; d <= 48; d++) {
            input.pipeInput(cardKey(77_777), RawEventJson.event(10_000_000L + d, last + d * HandbookFeatures.DAY, 77_777,
                    88_888, 1.0));
        }
        long kept = 0;
        try (var it = customers.all()) {
            while (it.hasNext()) {
                it.next();
                kept++;
            }
        }
        assertThat(before).isGreaterThan(50);
        assertThat(kept).isEqualTo(1);
        assertThat(customers.get(123_456L)).isNull();
        assertThat(terminals.get(TerminalDays.legacyKey(654_321L))).isNull();
        assertThat(dayRecords(terminals).get(88_888L)).hasSizeBetween(37, 39); // its window of days, no more
        assertThat(dayRecords(terminals)).containsOnlyKeys(88_888L);
    }

    /**
     * With the record-timestamp checks off ({@code --max-clock-skew-ms 0}) a payment dated 2100 is accepted: it must
     * not move the daily sweep's clock to 2100, which would delete every card and terminal history of the task and
     * reset the features of every later payment. The payment is of a card and a terminal of its own, so every other
     * payment's features still equal the offline replay's.
     */
    @Test
    void onePaymentDatedFarAheadDoesNotSweepAwayEveryHistory() throws Exception {
        driver.close();
        maxFutureSkewMs = 0;
        start(model);
        long year2100 = java.time.LocalDate.of(2100, 1, 1).toEpochDay() * HandbookFeatures.DAY;
        int half = events.size() / 2;
        replayLive(events.size(), half, () -> input.pipeInput(new TestRecord<>(cardKey(99_999),
                RawEventJson.event(99_000_000L, year2100, 99_999, 99_999, 10.0), new RecordHeaders(),
                Instant.ofEpochSecond(year2100))));
        assertThat(dlq.readRecordsToList()).isEmpty();
        Map<Long, JsonNode> out = byId(clean, byId(flagged, new HashMap<>()));
        assertThat(out).containsKey(99_000_000L).hasSize(events.size() + 1);
        assertFeaturesEqualOffline(events, offline, 0, out);
    }

    /** The terminal store's day records, by terminal, in key order (day, then record). */
    private static Map<Long, List<byte[]>> dayRecords(KeyValueStore<Bytes, byte[]> store) {
        Map<Long, List<byte[]>> out = new java.util.TreeMap<>();
        try (var it = store.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                assertThat(kv.key.get().length).as("a day record's key").isIn(12, 16);
                out.computeIfAbsent(java.nio.ByteBuffer.wrap(kv.key.get()).getLong(), k -> new java.util.ArrayList<>())
                        .add(kv.value);
            }
        }
        return out;
    }

    /** Every scored event's features, from {@code from} on, equal the offline replay's; returns how many. */
    private static int assertFeaturesEqualOffline(RawEvents events, double[] offline, int from,
                                                  Map<Long, JsonNode> out) {
        int f = model.schema().featureCount();
        for (int i = from; i < events.size(); i++) {
            JsonNode n = out.get(events.id(i));
            assertThat(n).as("event %d scored", i).isNotNull();
            for (int j = 0; j < f; j++) {
                assertThat(n.get("features").get(j).asDouble()).as("event %d feature %s", i,
                        model.schema().featureNames().get(j)).isEqualTo(offline[i * f + j]);
            }
        }
        return events.size() - from;
    }

    /** 150 cards paying at 2 terminals for 45 days: about 110 payments a day at each. */
    private static RawEvents busyTerminals() {
        return TransactionSimulator.simulate(new TransactionSimulator.Config(150, 2, 45, LocalDate.of(2018, 4, 1), 200,
                17)).events();
    }

    /** Replays the events live with their labels, checks every one's features against the offline replay's. */
    private double[] replayBusyTerminals(RawEvents busy) throws Exception {
        double[] busyOffline = FeatureReplay.replay(busy, DELAY);
        replayLive(busy, busy.size(), -1, null);
        assertThat(dlq.readRecordsToList()).isEmpty();
        Map<Long, JsonNode> out = byId(clean, byId(flagged, new HashMap<>()));
        assertThat(out).hasSize(busy.size());
        assertFeaturesEqualOffline(busy, busyOffline, 0, out);
        return busyOffline;
    }

    /**
     * A terminal that takes hundreds of payments a day: its features still equal the offline replay's, and what the
     * store holds (and writes, record by record) per terminal is one day's payments, not the 37 days of its window.
     * Stored as one value, a terminal at about 2,000 payments a day passed Kafka's 1 MiB record limit.
     */
    @Test
    void aBusyTerminalIsStoredByDaySoItsRecordsAreBoundedByOneDaysPayments() throws Exception {
        RawEvents busy = busyTerminals();
        double[] busyOffline = replayBusyTerminals(busy);

        Map<Long, Integer> mostInOneDay = new HashMap<>();
        Map<String, Integer> perDay = new HashMap<>();
        for (int i = 0; i < busy.size(); i++) {
            int n = perDay.merge(busy.terminal(i) + "/" + HandbookFeatures.day(busy.time(i)), 1, Integer::sum);
            mostInOneDay.merge(busy.terminal(i), n, Math::max);
        }
        assertThat(mostInOneDay.values()).allSatisfy(n -> assertThat(n).isGreaterThan(80));
        Map<Long, List<byte[]>> stored = dayRecords(driver.getKeyValueStore(TerminalStage.STORE));
        assertThat(stored).hasSize(2);
        stored.forEach((terminal, days) -> {
            assertThat(days).hasSizeBetween(37, 39);
            assertThat(days).allSatisfy(r -> assertThat(r.length).isLessThanOrEqualTo(17 + 13 * mostInOneDay.get(terminal)));
        });
        int withRisk = 0;
        for (int i = 0; i < busy.size(); i++) {
            withRisk += busyOffline[i * model.schema().featureCount() + HandbookFeatures.TERMINAL + 5] > 0 ? 1 : 0;
        }
        assertThat(withRisk).as("terminal fraud rates were computed from labels").isGreaterThan(1_000);
    }

    /**
     * A terminal whose day holds more payments than one store record may: each day is kept as several records of at
     * most that many consecutive payments, labels rewrite the record that holds their payment, and every feature still
     * equals the offline replay's. With records of 16 payments, days of about 110 payments make 7 records each.
     */
    @Test
    void aBusyTerminalsDaysAreSplitIntoRecordsOfBoundedSizeWithFeaturesUnchanged() throws Exception {
        driver.close();
        terminalRecordPayments = 16;
        start(model);
        replayBusyTerminals(busyTerminals());

        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(TerminalStage.STORE);
        Map<String, Integer> recordsPerDay = new HashMap<>();
        int withLabels = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                int payments = (kv.value.length - 17) / 13;
                assertThat(payments).as("payments in one record").isBetween(1, 16);
                recordsPerDay.merge(java.nio.ByteBuffer.wrap(kv.key.get()).getLong() + "/" + TerminalDays.dayOf(kv.key),
                        1, Integer::sum);
                for (int i = 0; i < payments; i++) {
                    withLabels += kv.value[17 + 13 * i + 12] != TerminalHistory.UNKNOWN ? 1 : 0;
                }
            }
        }
        assertThat(recordsPerDay).hasSizeBetween(2 * 37, 2 * 39);
        assertThat(recordsPerDay.values()).as("a day of about 110 payments").anySatisfy(n ->
                assertThat(n).isGreaterThanOrEqualTo(7));
        assertThat(withLabels).as("labels written into the records of their payments").isGreaterThan(1_000);
    }

    /**
     * Stores written by earlier versions hold a terminal's whole history as one value under its id: halfway through
     * the stream every terminal's day records are replaced by that form, and the features of every later payment
     * still equal the offline replay's, while each terminal's history is rewritten by day when it pays again.
     */
    @Test
    void singleValueTerminalHistoriesOfEarlierVersionsAreReadAndRewrittenByDay() throws Exception {
        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(TerminalStage.STORE);
        int half = events.size() / 2;
        int[] converted = {0};
        replayLive(events.size(), half, () -> dayRecords(store).forEach((terminal, days) -> {
            List<Bytes> keys = new java.util.ArrayList<>();
            try (var it = store.range(TerminalDays.dayKey(terminal, 0), TerminalDays.dayKey(terminal, 1 << 30))) {
                it.forEachRemaining(kv -> keys.add(kv.key));
            }
            assertThat(keys).hasSize(days.size());
            keys.forEach(store::delete);
            store.put(TerminalDays.legacyKey(terminal), TerminalHistory.fromDays(days).toBytes());
            converted[0]++;
        }));
        assertThat(converted[0]).isGreaterThan(150);
        assertThat(dlq.readRecordsToList()).isEmpty();
        Map<Long, JsonNode> out = byId(clean, byId(flagged, new HashMap<>()));
        assertThat(assertFeaturesEqualOffline(events, offline, half, out)).isGreaterThan(2_000);
        for (int i = half; i < events.size(); i++) {
            assertThat(store.get(TerminalDays.legacyKey(events.terminal(i)))).as("terminal %d, which paid again",
                    events.terminal(i)).isNull();
        }
    }

    /**
     * Shadow scoring of raw events: one shadow record per scored event, and each model's confusion counts over the
     * labelled events equal those computed here from the routed decision (champion), the shadow record (challenger)
     * and the label, exactly.
     */
    @Test
    void shadowScoringCountsEachModelsLivePrecisionAndRecallFromTheLabels() throws Exception {
        ModelBundle challenger = new ModelBundle("challenger-half-threshold", model.createdAt(), model.schema(),
                model.preprocessing(), model.members(),
                new org.fraudscorer.common.model.ThresholdInfo(model.threshold().value() / 2, "fixed"), model.seed(),
                model.metrics(), model.hyperparameters(), model.provenance(), null).sealed();
        assertThat(registry.offerChallenger(ModelFile.toBytes(challenger), "test")).isTrue();
        TestOutputTopic<byte[], byte[]> shadow = tested.shadow;
        int labelled = replayLive(events.size());
        Map<Long, JsonNode> routed = byId(clean, byId(flagged, new HashMap<>()));
        Map<Long, JsonNode> shadowed = byId(shadow, new HashMap<>());
        assertThat(routed).hasSize(events.size());
        assertThat(shadowed).hasSize(events.size());
        long[][] expected = new long[2][4]; // [champion, challenger][tp, fp, fn, tn]
        for (int j = 0; j < labelled; j++) {
            JsonNode s = shadowed.get(events.id(j));
            boolean champion = routed.get(events.id(j)).get("decision").asText().equals("FLAGGED");
            assertThat(s.at("/champion/decision").asText()).isEqualTo(champion ? "FLAGGED" : "CLEAN");
            boolean challengerFlagged = s.at("/challenger/decision").asText().equals("FLAGGED");
            boolean fraud = events.label(j) == 1;
            expected[0][champion ? fraud ? 0 : 1 : fraud ? 2 : 3]++;
            expected[1][challengerFlagged ? fraud ? 0 : 1 : fraud ? 2 : 3]++;
        }
        var meters = metrics.registry();
        String[] outcomes = {"true_positive", "false_positive", "false_negative", "true_negative"};
        String[] models = {"champion", "challenger"};
        for (int m = 0; m < 2; m++) {
            for (int o = 0; o < 4; o++) {
                assertThat(meters.get("fraud.shadow.labelled").tag("model", models[m]).tag("outcome", outcomes[o])
                        .counter().count()).as("%s %s", models[m], outcomes[o]).isEqualTo(expected[m][o]);
            }
            assertThat(meters.get("fraud.shadow.precision").tag("model", models[m]).gauge().value())
                    .isEqualTo(expected[m][0] / (double) (expected[m][0] + expected[m][1]));
            assertThat(meters.get("fraud.shadow.recall").tag("model", models[m]).gauge().value())
                    .isEqualTo(expected[m][0] / (double) (expected[m][0] + expected[m][2]));
        }
        assertThat(meters.get("fraud.shadow.labels").tag("matched", "true").counter().count()).isEqualTo(labelled);
        assertThat(meters.get("fraud.shadow.labels").tag("matched", "false").counter().count()).isZero();
        assertThat(labelled).isGreaterThan(3_000);
        assertThat(expected[0][0]).as("the champion catches some fraud").isPositive();
        assertThat(expected[1][0] + expected[1][1]).as("a lower threshold flags more")
                .isGreaterThan(expected[0][0] + expected[0][1]);
    }

    @Test
    void theInputIsRepartitionedByCardUnlessItIsReadAsKeyedByCard() {
        String described = topology.describe().toString();
        assertThat(described.contains("by-customer-repartition")).as(described).isEqualTo(!inputKeyedByCard());
        assertThat(described).contains("by-terminal-repartition");
    }
}
