package org.fraudscorer.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.scorer.serde.RawEventFields;
import org.fraudscorer.scorer.serde.RawEventJson;
import org.fraudscorer.scorer.serde.RawEventParser;
import org.fraudscorer.scorer.serde.TransactionParser;
import org.junit.jupiter.api.Test;

class LabelWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
            new ByteArraySerializer());
    private final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    private final LabelWriter writer = new LabelWriter(producer, "labels", 1_000, clock::get);

    private static Alert alert(byte[] flagged) {
        return Alert.parse(1, flagged, JSON);
    }

    @Test
    void shouldWriteARawEventVerdictAsTheLabelFeedbackTheScorersTerminalStageReads() throws Exception {
        Alert a = alert(FlaggedRecords.raw(77, 1_523_000_000L, 12, 345, 99.5, 0.93));
        LabelWriter.Result r = writer.write(a, Verdict.Action.CONFIRMED_FRAUD, "ana");

        assertThat(r.written()).isTrue();
        assertThat(producer.history()).hasSize(1);
        ProducerRecord<String, byte[]> label = producer.history().get(0);
        assertThat(label.topic()).isEqualTo("labels");
        assertThat(label.key()).isEqualTo("345"); // by terminal, as the replay keys labels
        assertThat(label.value()).isEqualTo(RawEventJson.label(77, 1_523_000_000L, 345, true));
        RawEventFields f = new RawEventFields();
        assertThat(new RawEventParser(RawEventParser.Kind.LABEL, 16_384).parse(label.value(), f).isOk()).isTrue();
        assertThat(f.transactionId).isEqualTo(77);
        assertThat(f.terminalId).isEqualTo(345);
        assertThat(f.epochSeconds).isEqualTo(1_523_000_000L);
        assertThat(f.fraud).isTrue();
        assertThat(LabelWriter.fromHeaders(label.headers()))
                .isEqualTo(new Verdict("77", Verdict.Action.CONFIRMED_FRAUD, "ana", clock.get()));
    }

    @Test
    void shouldWriteAFalseAlarmOnARawEventWithTxFraudZero() throws Exception {
        writer.write(alert(FlaggedRecords.raw(5, 1_523_000_000L, 1, 2, 3.0, 0.5)), Verdict.Action.FALSE_ALARM, "ana");
        assertThat(producer.history().get(0).value()).isEqualTo(RawEventJson.label(5, 1_523_000_000L, 2, false));
    }

    @Test
    void shouldWriteACreditcardVerdictAsALabelledRowKeyedByTheEventId() throws Exception {
        Alert a = alert(FlaggedRecords.creditcard("row-9", 0.8));
        writer.write(a, Verdict.Action.CONFIRMED_FRAUD, "ana");

        ProducerRecord<String, byte[]> label = producer.history().get(0);
        assertThat(label.key()).isEqualTo("row-9");
        var row = JSON.readTree(label.value());
        assertThat(row.get("Class").asInt()).isEqualTo(1);
        assertThat(row.get("id").asText()).isEqualTo("row-9");
        assertThat(row.get("Amount")).isEqualTo(a.event().get("Amount"));
        // a valid input row for the creditcard schema (the label is read back by retraining, not by the scorer)
        double[] inputs = new double[FeatureSchema.CREDITCARD.inputFields().size()];
        assertThat(new TransactionParser(FeatureSchema.CREDITCARD).parse(label.value(), inputs).isOk()).isTrue();
    }

    @Test
    void shouldWriteEachActionOnAnAlertExactlyOnce() throws Exception {
        Alert a = alert(FlaggedRecords.creditcard("tx-1", 0.8));
        LabelWriter.Result first = writer.write(a, Verdict.Action.CONFIRMED_FRAUD, "ana");
        clock.addAndGet(5_000);
        LabelWriter.Result again = writer.write(a, Verdict.Action.CONFIRMED_FRAUD, "bob");
        LabelWriter.Result correction = writer.write(a, Verdict.Action.FALSE_ALARM, "bob");
        LabelWriter.Result correctionAgain = writer.write(a, Verdict.Action.FALSE_ALARM, "bob");

        assertThat(again.written()).isFalse();
        assertThat(again.verdict()).isEqualTo(first.verdict()); // who and when of the first click
        assertThat(correction.written()).isTrue();
        assertThat(correctionAgain.written()).isFalse();
        assertThat(producer.history()).hasSize(2);
        assertThat(new String(producer.history().get(1).headers().lastHeader(LabelWriter.ACTION_HEADER).value(),
                StandardCharsets.UTF_8)).isEqualTo("false_alarm");
    }

    /** Fraud, then false alarm, then fraud again: the third click writes, so the topic's last label is fraud. */
    @Test
    void shouldWriteAVerdictChangedBackAfterACorrection() throws Exception {
        Alert a = alert(FlaggedRecords.creditcard("tx-4", 0.8));
        assertThat(writer.write(a, Verdict.Action.CONFIRMED_FRAUD, "ana").written()).isTrue();
        assertThat(writer.write(a, Verdict.Action.FALSE_ALARM, "bob").written()).isTrue();
        clock.addAndGet(1_000);
        LabelWriter.Result back = writer.write(a, Verdict.Action.CONFIRMED_FRAUD, "ana");
        assertThat(back.written()).isTrue();
        assertThat(back.verdict().atMs()).isEqualTo(clock.get());
        assertThat(producer.history()).hasSize(3);
        assertThat(new String(producer.history().get(2).headers().lastHeader(LabelWriter.ACTION_HEADER).value(),
                StandardCharsets.UTF_8)).isEqualTo("confirmed_fraud");
        // after a restart, the labels topic read back in order: its last verdict is the alert's latest
        writer.remember(new Verdict("tx-5", Verdict.Action.CONFIRMED_FRAUD, "ana", 1));
        writer.remember(new Verdict("tx-5", Verdict.Action.FALSE_ALARM, "bob", 2));
        Alert b = alert(FlaggedRecords.creditcard("tx-5", 0.8));
        assertThat(writer.write(b, Verdict.Action.FALSE_ALARM, "cy").written()).isFalse();
        assertThat(writer.write(b, Verdict.Action.CONFIRMED_FRAUD, "cy").written()).isTrue();
    }

    @Test
    void shouldNotWriteAVerdictThatWasRememberedFromTheLabelsTopic() throws Exception {
        Alert a = alert(FlaggedRecords.creditcard("tx-2", 0.8));
        Verdict earlier = new Verdict("tx-2", Verdict.Action.CONFIRMED_FRAUD, "ana", 42);
        writer.remember(earlier);
        assertThat(writer.write(a, Verdict.Action.CONFIRMED_FRAUD, "bob")).isEqualTo(new LabelWriter.Result(earlier, false));
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldForgetAFailedSendSoThatItCanBeRetried() throws Exception {
        Alert a = alert(FlaggedRecords.creditcard("tx-3", 0.8));
        producer.sendException = new org.apache.kafka.common.errors.TimeoutException("broker away");
        assertThatThrownBy(() -> writer.write(a, Verdict.Action.CONFIRMED_FRAUD, "ana"))
                .isInstanceOf(LabelWriter.LabelException.class).hasMessageEndingWith(": Kafka did not answer in "
                        + "time, so the verdict is not saved: give it again once Kafka is back (broker away)");
        producer.sendException = null;
        assertThat(writer.write(a, Verdict.Action.CONFIRMED_FRAUD, "ana").written()).isTrue();
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void shouldRefuseAnEmptyOrControlCharacterReviewer() {
        Alert a = alert(FlaggedRecords.creditcard("tx-4", 0.8));
        assertThatThrownBy(() -> writer.write(a, Verdict.Action.FALSE_ALARM, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.write(a, Verdict.Action.FALSE_ALARM, "a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldIgnoreLabelsOfOtherProducersWhenReadingHistory() {
        assertThat(LabelWriter.fromHeaders(new org.apache.kafka.common.header.internals.RecordHeaders())).isNull();
    }

    @Test
    void shouldMakeTheLabelProducerIdempotent() {
        var p = LabelWriter.producerProperties(new java.util.Properties());
        assertThat(p.getProperty("enable.idempotence")).isEqualTo("true");
        assertThat(p.getProperty("acks")).isEqualTo("all");
    }

    /**
     * A verdict history that could not be read says why (the console then warns and tells the page), within the
     * limit given for the whole read; a labels topic that does not exist yet is not a failure (nothing was written).
     */
    @Test
    void shouldSayWhyTheVerdictHistoryWasNotRead() {
        java.util.Properties nowhere = new java.util.Properties();
        nowhere.put("bootstrap.servers", "127.0.0.1:1");
        LabelWriter.History h = LabelWriter.history(nowhere, "labels", java.time.Duration.ofSeconds(1));
        assertThat(h.verdicts()).isEmpty();
        assertThat(h.incomplete()).isEqualTo("cannot reach Kafka at 127.0.0.1:1 to read topic labels (no answer within "
                + "1 s)");
    }

    /**
     * A click waiting for its send (the cluster unavailable) holds only its own alert: a click on another alert is
     * sent meanwhile, while a second click on the same alert waits and then writes nothing (the first one's verdict).
     */
    @Test
    void shouldNotHoldOtherAlertsBehindAClickWaitingForItsSend() throws Exception {
        MockProducer<String, byte[]> slow = new MockProducer<>(false, null, new StringSerializer(),
                new ByteArraySerializer());
        LabelWriter w = new LabelWriter(slow, "labels", 100, clock::get);
        Alert one = alert(FlaggedRecords.creditcard("a1", 0.9));
        Alert two = alert(FlaggedRecords.creditcard("a2", 0.9));
        java.util.concurrent.ExecutorService clicks = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            var first = clicks.submit(() -> w.write(one, Verdict.Action.CONFIRMED_FRAUD, "ana"));
            await(() -> slow.history().size() == 1);
            var other = clicks.submit(() -> w.write(two, Verdict.Action.CONFIRMED_FRAUD, "bob"));
            var same = clicks.submit(() -> w.write(one, Verdict.Action.CONFIRMED_FRAUD, "bob"));
            await(() -> slow.history().size() == 2); // the other alert's send did not wait for the first
            assertThat(slow.history().get(1).key()).isEqualTo("a2");
            assertThat(slow.completeNext()).isTrue(); // a1 acknowledged
            assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS).written()).isTrue();
            LabelWriter.Result repeated = same.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(repeated.written()).isFalse();
            assertThat(repeated.verdict().reviewer()).isEqualTo("ana");
            assertThat(slow.completeNext()).isTrue(); // a2 acknowledged
            assertThat(other.get(10, java.util.concurrent.TimeUnit.SECONDS).written()).isTrue();
            assertThat(slow.history()).hasSize(2);
        } finally {
            clicks.shutdownNow();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
