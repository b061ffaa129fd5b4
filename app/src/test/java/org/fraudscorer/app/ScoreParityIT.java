package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's {@code score} command and the streaming scorer give the same probability for the same row and the
 * same model file — the trainer's output is written with Double.toString, so the comparison is exact (well within
 * the 1e-12 the product promises). The rows carry a bank's own identifiers (an {@code id} column): {@code produce}
 * sends them as the events' ids and keys, and both outputs are matched by them.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ScoreParityIT {
    /** How long the outputs must stay unchanged before the reader believes it has seen everything. */
    private static final Duration QUIET = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private static double metricValue(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(series + " not in /metrics"));
    }

    /**
     * The id of data row {@code row} (1-based): not its row number, not in row order, and some as a bank may write
     * them: with a comma and quotes (quoted in the CSV files), with accents and an emoji.
     */
    private static String id(int row) {
        String id = "card-" + (row * 7919 % 2_003) + "/tx-" + (100_000 - row);
        return row % 7 == 0 ? "DE, \"" + id + "\"" : row % 11 == 0 ? "caf\u00e9-\uD83D\uDE00-" + id : id;
    }

    /** {@code value} as a CSV field (RFC 4180). */
    private static String csvField(String value) {
        return value.contains(",") || value.contains("\"") ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /** The file with an {@code id} column in front. */
    private static Path withIds(Path file) throws java.io.IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> out = new java.util.ArrayList<>();
        out.add("id," + lines.get(0));
        for (int row = 1; row < lines.size(); row++) {
            out.add(csvField(id(row)) + "," + lines.get(row));
        }
        return Files.write(file, out);
    }

    @Test
    void streamingScorerAgreesWithTheTrainersScoreCommandRowByRow(TestBroker broker) throws Exception {
        // Given a model trained by the CLI and the trainer's batch scores of 2,000 rows with the bank's own ids
        Path data = withIds(MadeUpTransactions.write(dir.resolve("rows.csv"), 2_000, 0.05, 7));
        Path model = dir.resolve("model.json");
        assertThat(CliRun.of("train", "--data", data.toString(), "--out", model.toString(), "--epochs", "4").exitCode()).isZero();
        Path scores = dir.resolve("scores.csv");
        assertThat(CliRun.of("score", "--model", model.toString(), "--data", data.toString(), "--out", scores.toString(),
                "--top-features", "3").exitCode()).isZero();
        Map<String, Double> offline = new HashMap<>();
        Map<String, String> offlineReasons = new HashMap<>();
        assertThat(Files.readAllLines(scores).get(0)).isEqualTo("id,probability,flagged,top_features");
        try (var parser = org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                .get().parse(Files.newBufferedReader(scores))) {
            for (var f : parser) {
                offline.put(f.get("id"), Double.parseDouble(f.get("probability")));
                if (f.get("flagged").equals("1")) {
                    offlineReasons.put(f.get("id"), f.get("top_features"));
                } else {
                    assertThat(f.get("top_features")).as("a clean row is not explained").isEmpty();
                }
            }
        }
        assertThat(offline).hasSize(2_000).containsKey(id(1)).containsKey(id(7)).containsKey(id(11))
                .containsKey(id(2_000));

        // When the same rows are replayed by `fraud produce` through a running scorer
        String p = "parity-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics(p + ".in", p + ".flagged", p + ".clean", p + ".dlq", p + ".models");
        for (String t : List.of(topics.input(), topics.flagged(), topics.clean(), topics.deadLetter())) {
            broker.createTopic(t, 3);
        }
        broker.createTopic(topics.models(), 1, Map.of("cleanup.policy", "compact"));
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", broker.bootstrapServers());
        kafka.put("application.id", p);
        kafka.put("state.dir", Files.createDirectories(dir.resolve("state")).toString());
        ScorerConfig config = new ScorerConfig(topics, kafka, 16_384, 3);
        Map<String, Double> streamed = new HashMap<>();
        Map<String, String> streamedReasons = new HashMap<>();
        try (ScorerApp app = ScorerApp.start(config, ModelFile.read(model), new ScorerApp.Options("127.0.0.1", 0, 0))) {
            CliRun produce = CliRun.of("produce", "--bootstrap-servers", broker.bootstrapServers(), "--data", data.toString(),
                    "--rate", "0", "--input-topic", topics.input());
            assertThat(produce.exitCode()).as(produce.err()).isZero();
            Properties c = new Properties();
            c.put("bootstrap.servers", broker.bootstrapServers());
            c.put(ConsumerConfig.GROUP_ID_CONFIG, p + "-reader");
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            ObjectMapper json = new ObjectMapper();
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            int deadLetters = 0;
            int read = 0;
            List<String> duplicates = new java.util.ArrayList<>();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(topics.outputs());
                // Read past the 2,000th record until nothing new came for a quiet period, so that an extra record shows
                long lastGrowth = System.nanoTime();
                while (System.nanoTime() < deadline
                        && (read < 2_000 || System.nanoTime() - lastGrowth < QUIET.toNanos())) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        read++;
                        lastGrowth = System.nanoTime();
                        if (r.topic().equals(topics.deadLetter())) {
                            deadLetters++;
                            continue;
                        }
                        JsonNode n = json.readTree(r.value());
                        assertThat(r.key()).isEqualTo(n.get("id").asText());
                        if (n.has("topFeatures")) { // as score --top-features writes them
                            List<String> reasons = new java.util.ArrayList<>();
                            n.get("topFeatures").forEach(t -> reasons.add(t.get("feature").asText() + ":"
                                    + t.get("contribution").asDouble()));
                            streamedReasons.put(n.get("id").asText(), String.join(";", reasons));
                        }
                        if (streamed.put(n.get("id").asText(), n.get("probability").asDouble()) != null) {
                            duplicates.add(n.get("id").asText());
                        }
                    }
                }
            }
            assertThat(duplicates).as("ids output more than once").isEmpty();
            assertThat(deadLetters).isZero();
            assertThat(read).as("output records (flagged + clean + dead letters), read until %s without a new one", QUIET)
                    .isEqualTo(2_000);
            // And the running instance reports itself over HTTP, on localhost only
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + app.metricsPort();
            var health = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(json.readTree(health.body()).get("modelVersion").asText())
                    .isEqualTo(ModelFile.read(model).modelVersion());
            assertThat(json.readTree(health.body()).get("modelWatcherError").isNull()).isTrue();
            String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            double flagged = metricValue(metrics, "fraud_events_total{outcome=\"flagged\"}");
            double clean = metricValue(metrics, "fraud_events_total{outcome=\"clean\"}");
            assertThat(flagged + clean).isEqualTo(2_000);
            assertThat(metrics).contains("fraud_end_to_end_latency_seconds_bucket", "fraud_scoring_time_seconds_count",
                    "fraud_flag_rate", "fraud_model_info{", "fraud_streams_running 1.0", "fraud_model_watcher_up 1.0");
        }

        // Then every row has the same probability on both paths
        assertThat(streamed).hasSize(2_000).containsOnlyKeys(offline.keySet());
        for (Map.Entry<String, Double> e : offline.entrySet()) {
            assertThat(Math.abs(streamed.get(e.getKey()) - e.getValue())).as("row " + e.getKey()).isLessThanOrEqualTo(1e-12);
            assertThat(streamed.get(e.getKey())).isEqualTo(e.getValue());
        }
        // And every flagged row is explained alike: the same three features, in order, with the same contributions
        assertThat(offlineReasons).isNotEmpty();
        assertThat(offlineReasons.values()).allSatisfy(r -> assertThat(r.split(";")).hasSize(3));
        assertThat(streamedReasons).isEqualTo(offlineReasons);
    }
}
