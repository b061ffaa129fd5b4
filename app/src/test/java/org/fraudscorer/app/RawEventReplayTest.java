package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.trainer.data.RawEventCsv;
import org.fraudscorer.trainer.data.RawEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate}, and the raw-event replay used by {@code produce} and {@code demo}. */
class RawEventReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    @Test
    void simulateWritesAHandbookFormatFileThatTrainReadsAsRawEvents() throws java.io.IOException {
        Path out = dir.resolve("events.csv");
        CliRun r = CliRun.of("simulate", "--out", out.toString(), "--days", "20", "--seed", "4", "--customers", "100",
                "--terminals", "200");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("events", "frauds", "over 20 days from 2018-04-01");
        assertThat(RawEventCsv.family(out)).isEqualTo(org.fraudscorer.common.features.EventFamily.RAW_EVENTS);
        RawEvents e = RawEventCsv.read(out);
        assertThat(e.size()).isGreaterThan(1_000);
        assertThat(e.hasLabels()).isTrue();
        assertThat(e.isTimeOrdered()).isTrue();
        CliRun again = CliRun.of("simulate", "--out", dir.resolve("again.csv").toString(), "--days", "20", "--seed", "4",
                "--customers", "100", "--terminals", "200");
        assertThat(again.exitCode()).isZero();
        assertThat(RawEventCsv.read(dir.resolve("again.csv")).size()).isEqualTo(e.size());
        assertThat(again.err()).doesNotContain("warning");

        // a .gz name gets gzip (zcat and pandas read it), the same events
        Path gz = dir.resolve("events.csv.gz");
        assertThat(CliRun.of("simulate", "--out", gz.toString(), "--days", "20", "--seed", "4", "--customers", "100",
                "--terminals", "200").exitCode()).isZero();
        try (var in = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(gz))) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(java.nio.file.Files.readString(out));
        }
        // a population too small for the handbook's rules: said, not silently a useless file
        CliRun tiny = CliRun.of("simulate", "--out", dir.resolve("tiny.csv").toString(), "--days", "5",
                "--terminals", "1");
        assertThat(tiny.exitCode()).isZero();
        assertThat(tiny.err()).containsPattern("warning: \\d+% of the payments are frauds: the handbook's simulator");
        CliRun none = CliRun.of("simulate", "--out", dir.resolve("none.csv").toString(), "--days", "1",
                "--customers", "5", "--terminals", "5");
        assertThat(none.exitCode()).isZero();
        assertThat(none.err()).contains("warning: no payment at all: the handbook's simulator");
    }

    @Test
    void replaySendsEachLabelRightBeforeTheFirstEventAtLeastTheDelayLater() throws Exception {
        Path out = simulate(15, 5, 40, 80);
        RawEvents events = RawEventCsv.read(out);
        Topics topics = Topics.defaults();
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer());
        long sent = RawEventReplay.of(events, topics.input()).withLabelFeedback(topics.labels(), 7)
                .send(producer, new AtomicBoolean(true), new AtomicLong());
        assertThat(sent).isEqualTo(events.size());
        List<ProducerRecord<String, byte[]>> history = producer.history();
        long delay = 7 * HandbookFeatures.DAY;
        long latestEventTime = Long.MIN_VALUE;
        int labels = 0;
        java.util.Map<Long, Long> timeOf = new java.util.HashMap<>();
        for (ProducerRecord<String, byte[]> r : history) {
            JsonNode n = JSON.readTree(r.value());
            long t = java.time.LocalDateTime.parse(n.get("TX_DATETIME").asText()).toEpochSecond(java.time.ZoneOffset.UTC);
            if (r.topic().equals(topics.labels())) {
                labels++;
                // a label goes out only once event time has reached payment + delay, and before any later event
                assertThat(timeOf).containsKey(n.get("TRANSACTION_ID").asLong());
                assertThat(t + delay).isLessThanOrEqualTo(nextEventTime(history, r, topics));
                assertThat(n.has("TX_FRAUD")).isTrue();
            } else {
                assertThat(n.has("TX_FRAUD")).as("live events carry no label").isFalse();
                assertThat(t).isGreaterThanOrEqualTo(latestEventTime);
                latestEventTime = t;
                timeOf.put(n.get("TRANSACTION_ID").asLong(), t);
                assertThat(r.key()).isEqualTo(n.get("CUSTOMER_ID").asText());
            }
        }
        long due = java.util.stream.IntStream.range(0, events.size())
                .filter(i -> events.time(i) + delay <= events.time(events.size() - 1)).count();
        assertThat(labels).isEqualTo(due);
    }

    @Test
    void runsOverConsecutiveDaysSendWhatOneRunOverAllOfThemSends() throws Exception {
        // Given 20 days of payments, replayed with labels as produce --labels does: once whole, then in three runs
        // (--until D1; --from D1 --until D2; --from D2), with a 3-day label delay
        Path out = simulate(20, 6, 40, 80);
        RawEvents all = RawEventCsv.read(out);
        Topics topics = Topics.defaults();
        java.time.LocalDate d1 = java.time.LocalDate.of(2018, 4, 8);
        java.time.LocalDate d2 = java.time.LocalDate.of(2018, 4, 14);
        List<String> whole = replay(RawEventApp.labelledReplay(all, null, null, 3, topics.input(), topics.labels()));
        List<String> first = replay(RawEventApp.labelledReplay(all, null, d1, 3, topics.input(), topics.labels()));
        List<String> second = replay(RawEventApp.labelledReplay(all, d1, d2, 3, topics.input(), topics.labels()));
        List<String> third = replay(RawEventApp.labelledReplay(all, d2, null, 3, topics.input(), topics.labels()));
        // Then together they send the same records in the same order: no label lost at a seam, none sent twice
        List<String> runs = new java.util.ArrayList<>(first);
        runs.addAll(second);
        runs.addAll(third);
        assertThat(runs).isEqualTo(whole);
        assertThat(whole.stream().filter(r -> r.startsWith(topics.labels() + " ")).count()).isGreaterThan(100);
        // each later run sends the labels of the days before its --from, which the run before could not (not yet due)
        long d1Time = d1.atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
        assertThat(second.stream().filter(r -> r.startsWith(topics.labels() + " ")).filter(r -> {
            String dt = r.substring(r.indexOf("\"TX_DATETIME\"") + 15, r.indexOf("\"TX_DATETIME\"") + 34);
            return java.time.LocalDateTime.parse(dt).toEpochSecond(java.time.ZoneOffset.UTC) < d1Time;
        }).count()).isGreaterThan(50);
    }

    @Test
    void aVerdictNotKnownInTheFileIsNeverSentAsALabel() throws Exception {
        // Given payments of which every fifth has an empty TX_FRAUD (its verdict not in yet)
        Path out = simulate(12, 8, 40, 80);
        RawEvents all = RawEventCsv.read(out);
        int n = all.size();
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 5 == 0 ? RawEvents.UNKNOWN : all.label(i));
        }
        RawEvents partial = all.withLabels(labels, "partial");
        java.util.Set<Long> unknown = new java.util.HashSet<>();
        for (int i = 0; i < n; i += 5) {
            unknown.add(all.id(i));
        }
        Topics topics = Topics.defaults();
        // produce --labels --with-labels: no label record for them, no TX_FRAUD in their events
        List<String> withUnknown = replay(RawEventApp.labelledReplay(partial, null, null, 3, topics.input(),
                topics.labels()).withEventLabels());
        List<String> whole = replay(RawEventApp.labelledReplay(all, null, null, 3, topics.input(), topics.labels())
                .withEventLabels());
        int labelRecords = 0;
        for (String r : withUnknown) {
            JsonNode v = JSON.readTree(r.substring(r.indexOf(' ') + 1));
            boolean isUnknown = unknown.contains(v.get("TRANSACTION_ID").asLong());
            if (r.startsWith(topics.labels() + " ")) {
                labelRecords++;
                assertThat(isUnknown).as("a label sent for a verdict the file does not know: %s", r).isFalse();
            } else {
                assertThat(v.has("TX_FRAUD")).as(r).isEqualTo(!isUnknown);
            }
        }
        int wholeLabels = 0;
        int wholeUnknownLabels = 0;
        for (String r : whole) {
            if (r.startsWith(topics.labels() + " ")) {
                wholeLabels++;
                long id = JSON.readTree(r.substring(r.indexOf(' ') + 1)).get("TRANSACTION_ID").asLong();
                wholeUnknownLabels += unknown.contains(id) ? 1 : 0;
            }
        }
        assertThat(wholeUnknownLabels).isPositive();
        assertThat(labelRecords).as("every known one still sent").isEqualTo(wholeLabels - wholeUnknownLabels);
        assertThat(withUnknown).hasSize(whole.size() - wholeUnknownLabels);
        // backfill: a payment of history whose verdict is not known goes without one
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer());
        RawEventReplay.of(partial, topics.input()).asHistory().send(producer, new AtomicBoolean(true),
                new AtomicLong());
        assertThat(producer.history()).hasSize(n);
        for (ProducerRecord<String, byte[]> r : producer.history()) {
            long id = JSON.readTree(r.value()).get("TRANSACTION_ID").asLong();
            assertThat(org.fraudscorer.scorer.config.Backfill.isMarked(r.headers())).isTrue();
            assertThat(org.fraudscorer.scorer.config.Backfill.label(r.headers()) < 0).as("payment %d", id)
                    .isEqualTo(unknown.contains(id));
        }
    }

    @Test
    void produceLabelsTakesAPeriodWhoseVerdictsAreNotInWhileEarlierOnesFallDueInIt() throws Exception {
        Path out = simulate(12, 9, 20, 20);
        // the last 3 days' verdicts are not in (empty TX_FRAUD cells)
        List<String> lines = java.nio.file.Files.readAllLines(out);
        int col = List.of(lines.get(0).split(",")).indexOf("TX_FRAUD");
        List<String> pending = new java.util.ArrayList<>(List.of(lines.get(0)));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f[1].compareTo("2018-04-10") >= 0) {
                f[col] = "";
            }
            pending.add(String.join(",", f));
        }
        Path file = java.nio.file.Files.write(dir.resolve("pending.csv"), pending);
        // Then produce --labels --from that day is not refused for its labels (it goes on to the cluster)
        CliRun r = CliRun.of("produce", "--bootstrap-servers", "127.0.0.1:1", "--data", file.toString(), "--labels",
                "--from", "2018-04-10");
        assertThat(r.errorLines()).startsWith("error: cannot reach Kafka at 127.0.0.1:1");
        // while a file without a single label is
        List<String> none = new java.util.ArrayList<>(List.of(lines.get(0)));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            f[col] = "";
            none.add(String.join(",", f));
        }
        Path unlabelled = java.nio.file.Files.write(dir.resolve("none.csv"), none);
        CliRun refused = CliRun.of("produce", "--bootstrap-servers", "127.0.0.1:1", "--data", unlabelled.toString(),
                "--labels");
        assertThat(refused.errorLines()).isEqualTo("error: --labels needs a TX_FRAUD column in " + unlabelled
                + " with labels (every cell is empty)");
    }

    @Test
    void aNegativeLabelDelayIsAUsageError() {
        // on raw events, where --labels and --delay-days apply (no cluster is contacted before the check)
        Path out = simulate(3, 7, 10, 10);
        CliRun r = CliRun.of("produce", "--bootstrap-servers", "127.0.0.1:1", "--data", out.toString(), "--labels",
                "--delay-days", "-1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errorLines()).startsWith("error: --delay-days must be ≥ 0, got -1");
        // without --labels, the label options were ignored
        for (String option : List.of("--delay-days", "--labels-topic")) {
            CliRun alone = CliRun.of("produce", "--bootstrap-servers", "127.0.0.1:1", "--data", out.toString(), option,
                    option.equals("--delay-days") ? "3" : "my.labels");
            assertThat(alone.exitCode()).as(option).isEqualTo(2);
            assertThat(alone.errorLines()).startsWith("error: " + option + " goes with --labels (raw events' label "
                    + "feedback)").doesNotContain("\n");
        }
    }

    /** {@code simulate --days --seed --customers --terminals} into events.csv, checked to succeed. */
    private Path simulate(int days, int seed, int customers, int terminals) {
        Path out = dir.resolve("events.csv");
        CliRun r = CliRun.of("simulate", "--out", out.toString(), "--days", Integer.toString(days), "--seed",
                Integer.toString(seed), "--customers", Integer.toString(customers), "--terminals",
                Integer.toString(terminals));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return out;
    }

    /** What a replay sends, as "topic value" lines. */
    private static List<String> replay(RawEventReplay replay) throws Exception {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer());
        replay.send(producer, new AtomicBoolean(true), new AtomicLong());
        return producer.history().stream().map(r -> r.topic() + " " + new String(r.value(),
                java.nio.charset.StandardCharsets.UTF_8)).toList();
    }

    private static long nextEventTime(List<ProducerRecord<String, byte[]>> h, ProducerRecord<String, byte[]> label,
                                      Topics topics) throws Exception {
        for (int k = h.indexOf(label) + 1; k < h.size(); k++) {
            if (h.get(k).topic().equals(topics.input())) {
                String dt = JSON.readTree(h.get(k).value()).get("TX_DATETIME").asText();
                return java.time.LocalDateTime.parse(dt).toEpochSecond(java.time.ZoneOffset.UTC);
            }
        }
        return Long.MAX_VALUE;
    }
}
