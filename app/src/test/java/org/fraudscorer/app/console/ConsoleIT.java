package org.fraudscorer.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The console on a real broker, behind the real scorer: alerts in, one label out per verdict, across a restart. */
@ExtendWith(KafkaBrokerExtension.class)
class ConsoleIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;

    private ConsoleConfig config(TestBroker broker, Topics topics, String group, URI metrics) {
        return new ConsoleConfig(ConsoleKafka.connection(broker), topics.flagged(), topics.labels(), group, "127.0.0.1",
                0, null, metrics, 100);
    }

    private HttpResponse<String> confirm(AnalystConsole console, String id, String reviewer) throws Exception {
        String body = JSON.createObjectNode().put("id", id).put("action", "confirmed_fraud").put("reviewer", reviewer).toString();
        return http.send(HttpRequest.newBuilder(URI.create(console.url() + "api/verdicts"))
                .header("Content-Type", "application/json").header("X-Fraud-Console", "1")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode state(AnalystConsole console) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(console.url() + "api/state")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    @Timeout(240)
    void shouldShowTheScorersAlertsAndWriteOneLabelPerVerdictEvenAcrossARestart(TestBroker broker) throws Exception {
        // Given a scorer that flags every event, and a console reading its flagged topic
        Topics topics = ConsoleKafka.topics(broker, "console-it");
        List<String> ids = IntStream.range(0, 20).mapToObj(i -> "tx-" + i).toList();
        double[] judged = new double[1];
        try (ScorerApp scorer = ConsoleKafka.scorer(broker, topics, dir)) {
            try (AnalystConsole console = AnalystConsole.start(config(broker, topics, "console-a", ConsoleKafka.metricsUrl(scorer)))) {
                // When 20 events pass through the scorer and a record nobody can read lands on the flagged topic
                ConsoleKafka.produceEvents(broker, topics.input(), ids);
                ConsoleKafka.produceValue(broker, topics.flagged(), "{\"not\":\"an alert\"".getBytes(StandardCharsets.UTF_8));

                // Then the console holds the 20 alerts, counts the bad record, and reads the scorer's figures
                ConsoleKafka.await(Duration.ofSeconds(90), () -> console.buffer().stats(System.currentTimeMillis()).received() == 20
                        && console.buffer().stats(System.currentTimeMillis()).malformed() == 1, "20 alerts and 1 skipped record");
                assertThat(console.buffer().snapshot()).extracting(Alert::id).containsExactlyInAnyOrderElementsOf(ids);
                Alert tx3 = console.buffer().find("tx-3").orElseThrow();
                judged[0] = tx3.probability();
                assertThat(tx3.modelVersion()).isEqualTo("console-it-v1");
                assertThat(tx3.topFeatures()).isNotEmpty();
                ConsoleKafka.await(Duration.ofSeconds(30), () -> {
                    try {
                        return state(console).at("/stats/scorer/modelVersion").asText().equals("console-it-v1");
                    } catch (Exception e) {
                        return false;
                    }
                }, "the scorer's model version read from its /metrics");
                JsonNode stats = state(console).get("stats");
                assertThat(stats.at("/scorer/flagRate").asDouble()).isEqualTo(1.0);
                assertThat(stats.at("/malformed").asLong()).isEqualTo(1);

                // When an analyst confirms tx-3, and a second click (another analyst) follows
                HttpResponse<String> first = confirm(console, "tx-3", "ana");
                HttpResponse<String> second = confirm(console, "tx-3", "bob");
                assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
                assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
                assertThat(JSON.readTree(second.body()).get("reviewer").asText()).isEqualTo("ana");
                assertThat(state(console).at("/stats/precision").asDouble()).isEqualTo(1.0);
            }

            // And the console restarted (the same group, which has read every alert) shows the latest alerts again,
            // and does not write that verdict again
            try (AnalystConsole again = AnalystConsole.start(config(broker, topics, "console-a", null))) {
                // its live precision counts the verdict read back (its label carries the alert's probability)
                assertThat(state(again).at("/stats/reviewed").asLong()).isEqualTo(1);
                assertThat(state(again).at("/stats/precision").asDouble()).isEqualTo(1.0);
                ConsoleKafka.await(Duration.ofSeconds(60), () -> again.buffer().find("tx-3").isPresent(), "tx-3 re-read");
                assertThat(state(again).at("/stats/reviewed").asLong()).as("counted once").isEqualTo(1);
                HttpResponse<String> third = confirm(again, "tx-3", "carl");
                assertThat(third.statusCode()).as(third.body()).isEqualTo(200);
                assertThat(JSON.readTree(third.body()).get("written").asBoolean()).isFalse();
                assertThat(again.buffer().verdicts("tx-3")).extracting(Verdict::reviewer).containsExactly("ana");
            }
        }

        // Then the labels topic holds exactly one label: tx-3's row, keyed by its id, marked fraud, with who and when
        List<ConsumerRecord<String, byte[]>> labels = ConsoleKafka.readAll(broker, topics.labels(), Duration.ofSeconds(3));
        assertThat(labels).hasSize(1);
        assertThat(labels.get(0).key()).isEqualTo("tx-3");
        JsonNode row = JSON.readTree(labels.get(0).value());
        assertThat(row.get("Class").asInt()).isEqualTo(1);
        assertThat(row.get("id").asText()).isEqualTo("tx-3");
        assertThat(LabelWriter.fromHeaders(labels.get(0).headers()).reviewer()).isEqualTo("ana");
        assertThat(Double.parseDouble(new String(labels.get(0).headers().lastHeader(LabelWriter.PROBABILITY_HEADER)
                .value(), StandardCharsets.UTF_8))).isEqualTo(judged[0]); // the alert's, as the analyst saw it
    }

    @Test
    @Timeout(180)
    void shouldShowEveryAlertInEachOfTwoConsolesOfOneGroup(TestBroker broker) throws Exception {
        // Given two consoles started with the same group (the default one is the same for every analyst), on a flagged
        // topic of two partitions
        Topics topics = ConsoleKafka.topics(broker, "console-group");
        try (AnalystConsole a = AnalystConsole.start(config(broker, topics, "shared", null))) {
            try (AnalystConsole b = AnalystConsole.start(config(broker, topics, "shared", null))) {
                // When alerts land on both partitions
                for (int i = 0; i < 10; i++) {
                    ConsoleKafka.produceValue(broker, topics.flagged(), i % 2,
                            FlaggedRecords.creditcard("g-" + i, 0.9));
                }

                // Then each console shows all of them, not the share of partitions its group gave it
                ConsoleKafka.await(Duration.ofSeconds(60), () -> a.buffer().snapshot().size() == 10
                        && b.buffer().snapshot().size() == 10, "10 alerts in each console");
            }
            // And once the other console stops, the first still gets every alert of both partitions
            for (int i = 10; i < 14; i++) {
                ConsoleKafka.produceValue(broker, topics.flagged(), i % 2, FlaggedRecords.creditcard("g-" + i, 0.9));
            }
            ConsoleKafka.await(Duration.ofSeconds(60), () -> a.buffer().snapshot().size() == 14, "14 alerts");
            assertThat(a.buffer().stats(System.currentTimeMillis()).received()).isEqualTo(14);
        }
    }

    /**
     * A verdict given on one console reaches another console (another group) as it is written: it shows there, counts
     * in its precision, and a click there that repeats it writes nothing (each wrote its own label before).
     */
    @Test
    @Timeout(180)
    void shouldShareVerdictsBetweenConsolesAsTheyAreWritten(TestBroker broker) throws Exception {
        Topics topics = ConsoleKafka.topics(broker, "console-share");
        ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.creditcard("shared-1", 0.8));
        try (AnalystConsole a = AnalystConsole.start(config(broker, topics, "console-a", null));
             AnalystConsole b = AnalystConsole.start(config(broker, topics, "console-b", null))) {
            ConsoleKafka.await(Duration.ofSeconds(60), () -> a.buffer().find("shared-1").isPresent()
                    && b.buffer().find("shared-1").isPresent(), "the alert in both consoles");

            // When an analyst confirms it on the first console
            HttpResponse<String> first = confirm(a, "shared-1", "ana");
            assertThat(first.statusCode()).as(first.body()).isEqualTo(201);

            // Then the second console shows it and counts it, and a click there that repeats it writes nothing
            ConsoleKafka.await(Duration.ofSeconds(30), () -> !b.buffer().verdicts("shared-1").isEmpty(),
                    "the verdict on the second console");
            assertThat(b.buffer().verdicts("shared-1")).extracting(Verdict::reviewer).containsExactly("ana");
            assertThat(state(b).at("/stats/reviewed").asLong()).isEqualTo(1);
            HttpResponse<String> second = confirm(b, "shared-1", "bob");
            assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        }
        assertThat(ConsoleKafka.readAll(broker, topics.labels(), Duration.ofSeconds(3))).hasSize(1);
    }

    /**
     * A console whose flagged topic does not exist says so on its page and in its log, and reads the topic once it
     * exists: it showed "live" with nothing, its --flagged-topic not the scorer's (found in a helper session).
     */
    @Test
    @Timeout(180)
    void shouldSayTheFlaggedTopicDoesNotExistUntilItDoes(TestBroker broker) throws Exception {
        Topics topics = ConsoleKafka.topics(broker, "console-missing");
        String flagged = topics.flagged() + ".not-yet";
        try (AnalystConsole console = AnalystConsole.start(new ConsoleConfig(ConsoleKafka.connection(broker), flagged,
                topics.labels(), "console-missing", "127.0.0.1", 0, null, null, 100))) {
            ConsoleKafka.await(Duration.ofSeconds(30), () -> {
                try {
                    return !state(console).at("/stats/flaggedTopic/exists").asBoolean(true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "the page told the topic is missing");
            JsonNode missing = state(console).at("/stats/flaggedTopic");
            assertThat(missing.get("name").asText()).isEqualTo(flagged);
            assertThat(missing.get("missingSinceMs").asLong()).isPositive()
                    .isLessThanOrEqualTo(System.currentTimeMillis());
            // and the console does not create it (the broker creates topics on demand): it stays missing
            Thread.sleep(3_000); // three of its checks
            assertThat(state(console).at("/stats/flaggedTopic/exists").asBoolean()).isFalse();
            try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                    java.util.Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).doesNotContain(flagged);
            }

            broker.createTopic(flagged, 2);
            ConsoleKafka.produceValue(broker, flagged, FlaggedRecords.creditcard("late-1", 0.9));
            ConsoleKafka.await(Duration.ofSeconds(60), () -> console.buffer().find("late-1").isPresent(),
                    "the alert of the topic created later");
            JsonNode found = state(console).at("/stats/flaggedTopic");
            assertThat(found.get("exists").asBoolean()).as(found.toString()).isTrue();
            assertThat(found.has("missingSinceMs")).isFalse();
        }
    }
}
